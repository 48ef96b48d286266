import Foundation
import SimCore

extension PlatformConfig {
    /// Decodes the platform sections of a validated scenario document in one walk of the
    /// document and `PlatformSchema` (`SchemaReader`): an absent key takes the schema's
    /// default. Nil (with errors) if a required section is missing or a cross-reference dangles.
    public static func decode(_ document: ConfigNode, errors: inout [ScenarioError]) -> PlatformConfig? {
        let start = errors.count
        let mismatches = DecodeMismatches()
        let root = SchemaReader(document, ScenarioSchema.root, mismatches: mismatches)
        // A section written as null (`demand: ~`) passes validation (every section is optional
        // to the validator) but holds none of its required keys: refused like a missing one.
        func need(_ key: String) -> SchemaReader? {
            if document[key] != nil, key == "regions" || root.given(key) != nil { return root.object(key) }
            errors.append(ScenarioError(document.location, path: key, "a platform scenario needs a `\(key)` section",
                                        fix: "add `\(key):` (see scenarios/baseline.yaml)"))
            return nil
        }
        let regionsNode = need("regions"), demand = need("demand"), rest = need("restaurants"), cour = need("couriers")
        let svc = need("services"), cache = need("cache"), db = need("database"), kafka = need("kafka")
        let lb = root.object("load_balancer"), matching = root.object("matching")
        guard regionsNode != nil, let demand, let rest, let cour, let svc, let cache, let db, let kafka else { return nil }

        let regionsLocation = document["regions"]?.location ?? document.location
        let entries = root.entries("regions")
        let names = entries.map(\.key)
        func regionIndex(_ node: ConfigNode?, _ path: String) -> Int? { Self.regionIndex(node, path, names: names, errors: &errors) }
        if entries.isEmpty {
            errors.append(ScenarioError(regionsLocation, path: "regions", "no regions", fix: "add one, e.g. `us_east: { primary: true, ... }`"))
            return nil
        }
        let primaries = entries.indices.filter { entries[$0].reader.bool("primary") }
        if primaries.count != 1 {
            errors.append(ScenarioError(regionsLocation, path: "regions", "exactly one region must be primary (found \(primaries.count))",
                                        fix: "set `primary: true` on the region holding the database primary"))
        }
        let primary = primaries.first ?? entries.startIndex
        var regions: [Region] = []
        var shareSum = 0.0
        for (i, e) in entries.enumerated() {
            let n = e.reader
            var rtt = Array(repeating: SimTime(0), count: entries.count)
            for r in n.given("rtt")?.entries ?? [] {
                guard let j = regionIndex(ConfigNode(.scalar(r.key, quoted: false), at: r.keyLocation), "regions.\(e.key).rtt.\(r.key)"),
                      let t = r.node.durationValue else { continue }
                rtt[j] = t
            }
            let share = n.double("demand_share")
            shareSum += share
            let down = n.bool("down")
            var servedBy = i
            if down {
                servedBy = regionIndex(n.given("failover"), "regions.\(e.key).failover") ?? primary
                if servedBy == i || entries[servedBy].reader.bool("down") {
                    errors.append(ScenarioError(n.node?.location ?? regionsLocation, path: "regions.\(e.key).failover",
                                                "a region that is down needs a failover region that is up",
                                                fix: "set `failover:` to a region that is not down"))
                }
            }
            let center = n.object("center")
            var region = Region(name: e.key, primary: i == primary, latencyTarget: n.duration("latency_target"),
                                demandShare: share, longitude: center.double("lon"), latitude: center.double("lat"),
                                cityRadius: n.distance("city_radius"), rtt: rtt, down: down, servedBy: servedBy)
            region.utcOffset = SimTime((n.double("utc_offset") * Double(SimUnit.hour)).rounded())
            decodeMetros(n, into: &region, errors: &errors)
            regions.append(region)
        }
        // A round trip given once counts both ways.
        for i in regions.indices { for j in regions.indices where regions[i].rtt[j] == 0 { regions[i].rtt[j] = regions[j].rtt[i] } }
        if abs(shareSum - 1) > 1e-6 {
            errors.append(ScenarioError(regionsLocation, path: "regions", "demand_share adds up to \(shareSum), not 1", fix: "make the shares sum to 1"))
        }
        if regions[primary].down {
            errors.append(ScenarioError(regionsLocation, path: "regions.\(names[primary]).down", "the primary region cannot be down in this model",
                                        fix: "make another region primary"))
        }

        let profile = decodeProfile(demand, errors: &errors)
        let services = decodeServices(svc, errors: &errors)

        let hc = lb.object("health_check")
        let hInterval = hc.duration("interval")
        // The fault schedule: its crashes at a time and crash rates feed the pods' failures.
        let faults = decodeFaults(root, regions: regions, primary: primary, errors: &errors)
        var crashes: [Crash] = []
        var rates = serviceNames.map { _ in 0.0 }
        for f in faults where f.kind == .replicaCrash {
            guard let service = f.service else { continue }
            if f.rate > 0 {
                rates[service] += f.rate
            } else if let r = f.region, let at = f.at {
                crashes.append(Crash(service: service, region: r, at: at, count: f.count))
            }
        }
        let epoch = decodeEpoch(db, errors: &errors)
        let l1 = cache.object("l1"), l2 = cache.object("l2"), l3 = cache.object("l3").distribution("latency")
        let orderEvents = kafka.object("order_events"), locationUpdates = kafka.object("location_updates")
        var config = PlatformConfig(
            regions: regions, primaryRegion: primary,
            ordersPerHour: demand.rate("orders_per_hour") * 3600, profile: profile,
            profileStart: demand.duration("start_at"),
            menuViewsPerOrder: demand.double("menu_views_per_order"),
            deliveryRadius: demand.distance("delivery_radius"),
            customers: demand.int("customers"),
            statusReads: demand.bool("status_reads"),
            statusReadDelay: demand.duration("status_read_delay"),
            historyViewsPerOrder: demand.double("history_views_per_order"),
            historyRange: demand.duration("history_range"),
            restaurantCount: rest.int("count"), zipfExponent: rest.double("zipf_exponent"),
            prepTime: rest.distribution("prep_time"),
            courierCount: cour.int("count"), courierSpeed: cour.speed("speed"),
            pingIdle: cour.duration("ping_idle"),
            pingTrip: cour.duration("ping_trip"),
            pickupService: cour.duration("pickup_service"),
            dropoffService: cour.duration("dropoff_service"),
            shiftLength: cour.optional("shift_length") { $0.distribution(.duration) },
            services: services,
            lbAlgorithm: lb.string("algorithm"),
            healthPath: hc.string("path"), healthInterval: hInterval,
            healthTimeout: hc.optional("timeout", \.durationValue) ?? hInterval,
            healthRise: hc.int("rise"), healthFall: hc.int("fall"),
            stickySessions: lb.bool("sticky_sessions"),
            sessionTTL: lb.duration("session_ttl"),
            l1TTL: l1.duration("ttl"),
            l1Latency: l1.distribution("latency"),
            l1Capacity: l1.int("capacity"),
            l2TTL: l2.duration("ttl"),
            l2Latency: l2.distribution("latency"),
            l3Latency: l3,
            shards: db.int("shards"), monthlyPartitions: db.string("time_partitions") != "none", epoch: epoch,
            readReplicas: db.int("read_replicas"),
            replicationLag: db.distribution("replication_lag"),
            connectionsPerShard: db.int("connections_per_shard"),
            writeLatency: db.distribution("write_latency"),
            readLatency: db.optional("read_latency") { $0.distribution(.duration) } ?? l3,
            orderEvents: Topic(partitions: orderEvents.int("partitions"), replication: orderEvents.int("replication")),
            locationUpdates: Topic(partitions: locationUpdates.int("partitions"), replication: locationUpdates.int("replication")),
            produceLatency: kafka.distribution("produce_latency"),
            rebalancePause: kafka.duration("rebalance_pause"),
            sessionTimeout: kafka.duration("session_timeout"),
            matchingPolicy: MatchingPolicy.allCases[matching.choice("policy", among: MatchingPolicy.allCases.map(\.rawValue))],
            matchingInterval: matching.duration("interval"),
            matchingRadius: matching.distance("radius"),
            bundleSize: matching.int("bundle_size"),
            cancelAfter: matching.duration("cancel_after"),
            crashes: crashes, crashRates: rates, faults: faults)
        decodeRealism(&config, demand: demand, restaurants: rest, couriers: cour, matching: matching, errors: &errors)
        decodeBrokers(&config, kafka: kafka, l2: l2, root: root, errors: &errors)
        decodeConsumer(&config, kafka: kafka)
        decodeExpand(&config, matching: matching, errors: &errors)
        // Each interval is reported at its own key (the schema's lower bounds catch these first;
        // this guards a decoder default).
        for (node, path, value) in [(matching.given("interval"), "matching.interval", config.matchingInterval), (cour.given("ping_idle"), "couriers.ping_idle", config.pingIdle),
                                    (cour.given("ping_trip"), "couriers.ping_trip", config.pingTrip), (hc.given("interval"), "load_balancer.health_check.interval", config.healthInterval)]
            where value <= 0 {
            errors.append(ScenarioError(node?.location ?? document.location, path: path, "the interval must be positive", fix: "use a duration above 0s"))
        }
        config.shardKey = PlatformConfig.ShardKey.allCases[db.choice("shard_key", among: PlatformConfig.ShardKey.allCases.map(\.rawValue))]
        config.transactionRoundTrips = db.optional("round_trips", \.intValue)
        if db.given("cpu") != nil {
            let cpu = db.object("cpu")
            let cores = cpu.int("cores")
            config.databaseCPU = DatabaseCPU(cores: cores, replicaCores: cpu.optional("replica_cores", \.intValue) ?? cores,
                                             insert: cpu.distribution("insert"), update: cpu.distribution("update"),
                                             keyedRead: cpu.distribution("keyed_read"), rangeScan: cpu.distribution("range_scan"))
        }
        if let t = demand.given("trace"), let path = t.stringValue {
            let base = (t.location.file as NSString).deletingLastPathComponent
            let resolved = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
            config.traceFile = resolved
            if !FileManager.default.fileExists(atPath: resolved) {
                errors.append(ScenarioError(t.location, path: "demand.trace", "the trace file '\(resolved)' does not exist",
                                            fix: "give a CSV path relative to this scenario file"))
            }
        }
        decodeReplication(&config, db: db, root: root, errors: &errors)
        config.parallelRegions = root.bool("parallel_regions")
        errors += mismatches.errors
        return errors.count == start ? config : nil
    }

    /// The index of the region `node` names, or nil (with an error suggesting the closest
    /// name) when no region is called that; nil without an error when `node` is absent.
    static func regionIndex(_ node: ConfigNode?, _ path: String, names: [String], errors: inout [ScenarioError]) -> Int? {
        guard let node, let s = node.stringValue else { return nil }
        if let i = names.firstIndex(of: s) { return i }
        let hint = Suggest.closest(s, among: names).map { "did you mean '\($0)'? " } ?? ""
        errors.append(ScenarioError(node.location, path: path, "no region called '\(s)'", fix: "\(hint)regions: \(names.joined(separator: ", "))"))
        return nil
    }

    /// The keys of issue 11 (dispatch, demand over the day, couriers, kitchens); each default
    /// leaves the model as before.
    static func decodeRealism(_ config: inout PlatformConfig, demand: SchemaReader, restaurants: SchemaReader, couriers: SchemaReader,
                              matching: SchemaReader, errors: inout [ScenarioError]) {
        let k = matching.int("candidates")
        config.matchingCandidates = k > 0 ? k : .max
        config.matchingSplit = matching.choice("split", among: ["none", "by_cell"]) == 1
        let hold = matching.object("dispatch_hold")
        config.holdEnabled = hold.bool("enabled")
        config.holdMargin = hold.duration("margin")
        config.declineShare = couriers.double("decline_share")
        if let node = couriers.given("staffing") {
            config.staffing = node.items?.compactMap(\.doubleValue) ?? []
            if !config.staffing.contains(where: { $0 > 0 }) {
                errors.append(ScenarioError(node.location, path: "couriers.staffing", "the staffing curve needs at least one hour above 0",
                                            fix: "one multiplier of couriers.count per local hour, e.g. [0.5, 1, 2]"))
                config.staffing = []
            }
        }
        config.dayFactor = demand.double("day_factor")
        config.drain = demand.duration("drain")
        let burst = demand.object("burst")
        config.burstWindow = burst.duration("window")
        config.burstFactor = burst.double("factor")
        if Double(config.burstWindow) * config.burstFactor > Double(SimUnit.hour) {
            errors.append(ScenarioError(burst.node?.location ?? demand.node?.location ?? SourceLocation(file: "", line: 0, column: 0), path: "demand.burst",
                                        "window × factor is more than an hour: the rest of the hour would need a negative rate",
                                        fix: "lower the factor or the window (e.g. window: 15min, factor: 1.4)"))
        }
        config.kitchenCapacity = restaurants.int("kitchen_capacity")
    }

    /// The daily profile, normalised to mean 1: built in by name, or one share per hour.
    static func decodeProfile(_ demand: SchemaReader, errors: inout [ScenarioError]) -> [Double] {
        var profile = lunchAndDinner
        if let p = demand.node("profile") {
            if let items = p.items {
                profile = items.compactMap(\.doubleValue)
                if profile.isEmpty || profile.reduce(0, +) <= 0 {
                    errors.append(ScenarioError(p.location, path: "demand.profile", "the profile needs at least one positive hour", fix: "e.g. [1, 2, 3]"))
                    profile = [1]
                }
            } else if p.stringValue == "flat" {
                profile = [1]
            }
        }
        let total = profile.reduce(0, +)
        return profile.map { $0 * Double(profile.count) / total }
    }

    /// The three service pools, in `serviceNames` order.
    static func decodeServices(_ svc: SchemaReader, errors: inout [ScenarioError]) -> [Service] {
        var services: [Service] = []
        for (k, name) in serviceNames.enumerated() {
            let n = svc.object(name)
            let mn = n.int("min"), mx = n.int("max")
            if mn > mx {
                errors.append(ScenarioError(n.node?.location ?? svc.node?.location ?? SourceLocation(file: "", line: 0, column: 0),
                                            path: "services.\(name)", "min \(mn) is above max \(mx)", fix: "make min ≤ max"))
            }
            // Request types after the first two default to the service's second type's CPU (the schema says "as <second>").
            let cpu = n.object("cpu")
            let second = cpu.distribution(requestTypes[k][1])
            let (breaker, budget, limit) = decodeProtection(n, service: name, errors: &errors)
            services.append(Service(name: name, min: mn, max: max(mn, mx), targetCPU: Int(n.percentage("target_cpu").rounded()),
                                    initial: n.optional("initial", \.intValue) ?? mn, cores: n.int("cores"),
                                    cpu: requestTypes[k].enumerated().map { i, t in i < 2 ? cpu.distribution(t) : cpu.optional(t) { $0.distribution(.duration) } ?? second },
                                    startup: n.duration("startup"),
                                    readiness: n.duration("readiness"),
                                    timeout: n.duration("timeout"),
                                    retries: n.int("retries"),
                                    retryBackoff: n.duration("retry_backoff"),
                                    circuitBreaker: breaker, retryBudget: budget, limitReq: limit, dropAbandoned: n.bool("drop_abandoned")))
            decodeScaling(n, into: &services[services.count - 1], service: k, errors: &errors)
        }
        return services
    }

    /// The calendar date of simulated time 0.
    static func decodeEpoch(_ db: SchemaReader, errors: inout [ScenarioError]) -> (year: Int, month: Int, day: Int) {
        let node = db.node("epoch")
        let s = node?.stringValue ?? ""
        let parts = s.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        if parts.count == 3, let y = parts[0], let m = parts[1], let d = parts[2], (1...9999).contains(y), (1...12).contains(m),
           (1...daysInMonth(year: y, month: m)).contains(d) {
            return (y, m, d)
        }
        errors.append(ScenarioError(node?.location ?? db.node?.location ?? SourceLocation(file: "", line: 0, column: 0), path: "database.epoch",
                                    "'\(s)' is not a calendar date (year 1-9999, month 1-12, a day the month has)", fix: "write YYYY-MM-DD, e.g. 2024-01-01"))
        return (1, 1, 1)
    }
}
