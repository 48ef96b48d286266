import Foundation
import SimCore

/// The delivery platform's typed configuration (see `PlatformSchema` for every key).
public struct PlatformConfig: Sendable {
    public struct Region: Sendable {
        public var name: String
        public var primary: Bool
        public var latencyTarget: SimTime
        public var demandShare: Double
        public var longitude: Double
        public var latitude: Double
        public var cityRadius: Double
        /// Round trip to every region, by region index (0 to itself).
        public var rtt: [SimTime]
        public var down: Bool
        /// Index of the region whose services serve this city (itself unless down).
        public var servedBy: Int
    }

    public struct Service: Sendable {
        public var name: String
        public var min: Int
        public var max: Int
        public var targetCPU: Int
        public var initial: Int
        public var cores: Int
        /// CPU demand per request type, in the order of `PlatformConfig.requestTypes[service]`.
        public var cpu: [Distribution]
        public var startup: SimTime
        public var readiness: SimTime
        public var timeout: SimTime
        /// Client retries of a failed call (timeout, no backend, dead pod), through the balancer again.
        public var retries: Int
        /// Backoff before retry k (1-based): `retryBackoff × 2^(k-1)`, with full jitter.
        public var retryBackoff: SimTime
    }

    public struct Topic: Sendable {
        public var partitions: Int
        public var replication: Int
    }

    public enum MatchingPolicy: String, Sendable { case greedy, batched }

    public struct Crash: Sendable {
        public var service: Int
        public var region: Int
        public var at: SimTime
        public var count: Int
    }

    public static let serviceNames = ["order_service", "location_service", "matching_service"]
    public static let requestTypes = [["place_order", "menu_view", "order_status", "order_history"], ["location_update", "location_consume"], ["order_event", "match_batch"]]

    public var regions: [Region]
    public var primaryRegion: Int
    // demand
    public var ordersPerHour: Double
    /// Rate multiplier per profile hour (mean 1 over the day).
    public var profile: [Double]
    public var profileStart: SimTime
    public var menuViewsPerOrder: Double
    public var deliveryRadius: Double
    /// Customers (sessions) in all regions, split by demand share.
    public var customers: Int
    /// Whether the customer's app reads the order (GET /orders/{id}) after each status change.
    public var statusReads: Bool
    public var statusReadDelay: SimTime
    /// Order-history page views (a range query over `historyRange`) per order.
    public var historyViewsPerOrder: Double
    public var historyRange: SimTime
    /// An order trace (CSV) that replaces the Poisson orders, resolved against the file that
    /// named it; nil for generated demand.
    public var traceFile: String? = nil
    // restaurants, couriers
    public var restaurantCount: Int
    public var zipfExponent: Double
    public var prepTime: Distribution
    public var courierCount: Int
    public var courierSpeed: Double
    public var pingIdle: SimTime
    public var pingTrip: SimTime
    public var pickupService: SimTime
    public var dropoffService: SimTime
    /// Shift length; nil: every courier is on duty for the whole run.
    public var shiftLength: Distribution?
    // services: order, location, matching
    public var services: [Service]
    // load balancer
    public var lbAlgorithm: String
    public var healthPath: String
    public var healthInterval: SimTime
    public var healthTimeout: SimTime
    public var healthRise: Int
    public var healthFall: Int
    public var stickySessions: Bool
    /// Lifetime of a sticky-session cookie since its last use.
    public var sessionTTL: SimTime
    // cache
    public var l1TTL: SimTime
    public var l1Latency: Distribution
    public var l1Capacity: Int
    public var l2TTL: SimTime
    public var l2Latency: Distribution
    public var l3Latency: Distribution
    // database
    public var shards: Int
    public var monthlyPartitions: Bool
    public var epoch: (year: Int, month: Int, day: Int)
    public var readReplicas: Int
    public var replicationLag: Distribution
    public var connectionsPerShard: Int
    public var writeLatency: Distribution
    public var readLatency: Distribution
    // kafka
    public var orderEvents: Topic
    public var locationUpdates: Topic
    public var produceLatency: Distribution
    public var rebalancePause: SimTime
    /// A consumer that stops heartbeating leaves the group after this long (`session.timeout.ms`).
    public var sessionTimeout: SimTime
    // matching
    public var matchingPolicy: MatchingPolicy
    public var matchingInterval: SimTime
    public var matchingRadius: Double
    public var bundleSize: Int
    public var cancelAfter: SimTime
    // failures
    public var crashes: [Crash]
    /// Crash rate per live replica per second, by service index.
    public var crashRates: [Double]

    /// The share of a day's orders per hour from t = 0 (about 10:00), averaged over the
    /// Grubhub MDRP seeds 0-9 (grubhub/mdrplib `{seed}o100t100s1p100/orders.txt`, counted
    /// here): lunch and dinner humps.
    public static let lunchAndDinner: [Double] = [1.2, 4.3, 5.5, 5.9, 5.0, 5.8, 5.4, 7.2, 10.3, 12.8, 11.1, 8.7, 6.6, 4.5, 3.2, 1.9]

    /// Days in a month of the proleptic Gregorian calendar.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Decodes the platform sections of a validated scenario document; nil (with errors) if
    /// a required section is missing or a cross-reference dangles.
    public static func decode(_ document: ConfigNode, errors: inout [ScenarioError]) -> PlatformConfig? {
        let start = errors.count
        func need(_ key: String) -> ConfigNode? {
            if let n = document[key] { return n }
            errors.append(ScenarioError(document.location, path: key, "a platform scenario needs a `\(key)` section",
                                        fix: "add `\(key):` (see scenarios/baseline.yaml)"))
            return nil
        }
        let regionsNode = need("regions"), demand = need("demand"), rest = need("restaurants"), cour = need("couriers")
        let svc = need("services"), cache = need("cache"), db = need("database"), kafka = need("kafka")
        let lb = document["load_balancer"], matching = document["matching"], failures = document["failures"]
        guard let regionsNode, let demand, let rest, let cour, let svc, let cache, let db, let kafka else { return nil }

        let entries = regionsNode.entries ?? []
        let names = entries.map(\.key)
        func regionIndex(_ node: ConfigNode?, _ path: String) -> Int? {
            guard let node, let s = node.stringValue else { return nil }
            if let i = names.firstIndex(of: s) { return i }
            let hint = Suggest.closest(s, among: names).map { "did you mean '\($0)'? " } ?? ""
            errors.append(ScenarioError(node.location, path: path, "no region called '\(s)'", fix: "\(hint)regions: \(names.joined(separator: ", "))"))
            return nil
        }
        if entries.isEmpty {
            errors.append(ScenarioError(regionsNode.location, path: "regions", "no regions", fix: "add one, e.g. `us_east: { primary: true, ... }`"))
            return nil
        }
        let primaries = entries.indices.filter { entries[$0].node["primary"]?.boolValue == true }
        if primaries.count != 1 {
            errors.append(ScenarioError(regionsNode.location, path: "regions", "exactly one region must be primary (found \(primaries.count))",
                                        fix: "set `primary: true` on the region holding the database primary"))
        }
        let primary = primaries.first ?? 0
        var regions: [Region] = []
        var shareSum = 0.0
        for (i, e) in entries.enumerated() {
            let n = e.node
            var rtt = Array(repeating: SimTime(0), count: entries.count)
            for r in n["rtt"]?.entries ?? [] {
                guard let j = regionIndex(ConfigNode(.scalar(r.key, quoted: false), at: r.keyLocation), "regions.\(e.key).rtt.\(r.key)") else { continue }
                rtt[j] = r.node.durationValue ?? 0
            }
            let share = n["demand_share"]?.doubleValue ?? 0
            shareSum += share
            let down = n["down"]?.boolValue ?? false
            var servedBy = i
            if down {
                servedBy = regionIndex(n["failover"], "regions.\(e.key).failover") ?? primary
                if servedBy == i || entries[servedBy].node["down"]?.boolValue == true {
                    errors.append(ScenarioError(n.location, path: "regions.\(e.key).failover", "a region that is down needs a failover region that is up",
                                                fix: "set `failover:` to a region that is not down"))
                }
            }
            regions.append(Region(name: e.key, primary: i == primary, latencyTarget: n["latency_target"]?.durationValue ?? 0,
                                  demandShare: share, longitude: n["center"]?["lon"]?.doubleValue ?? 0,
                                  latitude: n["center"]?["lat"]?.doubleValue ?? 0, cityRadius: n["city_radius"]?.distanceValue ?? 8000,
                                  rtt: rtt, down: down, servedBy: servedBy))
        }
        // A round trip given once counts both ways.
        for i in regions.indices { for j in regions.indices where regions[i].rtt[j] == 0 { regions[i].rtt[j] = regions[j].rtt[i] } }
        if abs(shareSum - 1) > 1e-6 {
            errors.append(ScenarioError(regionsNode.location, path: "regions", "demand_share adds up to \(shareSum), not 1", fix: "make the shares sum to 1"))
        }
        if regions[primary].down {
            errors.append(ScenarioError(regionsNode.location, path: "regions.\(names[primary]).down", "the primary region cannot be down in this model",
                                        fix: "make another region primary"))
        }

        var profile = lunchAndDinner
        if let p = demand["profile"] {
            if let items = p.items {
                profile = items.map { $0.doubleValue ?? 0 }
                if profile.isEmpty || profile.reduce(0, +) <= 0 {
                    errors.append(ScenarioError(p.location, path: "demand.profile", "the profile needs at least one positive hour", fix: "e.g. [1, 2, 3]"))
                    profile = [1]
                }
            } else if p.stringValue == "flat" {
                profile = [1]
            }
        }
        let total = profile.reduce(0, +)
        profile = profile.map { $0 * Double(profile.count) / total }

        var services: [Service] = []
        for (k, name) in serviceNames.enumerated() {
            let n = svc[name]
            let mn = n?["min"]?.intValue ?? 1, mx = n?["max"]?.intValue ?? 1
            if mn > mx {
                errors.append(ScenarioError(n?.location ?? svc.location, path: "services.\(name)", "min \(mn) is above max \(mx)", fix: "make min ≤ max"))
            }
            let initial = n?["initial"]?.intValue ?? mn
            // Request types added after the first schema default to the service's second type's CPU.
            let cpu = requestTypes[k].map { n?["cpu"]?[$0]?.distribution(.duration) }
            let fallback = cpu.count > 1 ? cpu[1] ?? .constant(0) : .constant(0)
            services.append(Service(name: name, min: mn, max: max(mn, mx), targetCPU: Int((n?["target_cpu"]?.percentageValue ?? 70).rounded()),
                                    initial: initial, cores: n?["cores"]?.intValue ?? 2,
                                    cpu: cpu.map { $0 ?? fallback },
                                    startup: n?["startup"]?.durationValue ?? 20 * SimUnit.second,
                                    readiness: n?["readiness"]?.durationValue ?? 10 * SimUnit.second,
                                    timeout: n?["timeout"]?.durationValue ?? 5 * SimUnit.second,
                                    retries: n?["retries"]?.intValue ?? 0,
                                    retryBackoff: n?["retry_backoff"]?.durationValue ?? 100 * SimUnit.millisecond))
        }

        let hc = lb?["health_check"]
        let hInterval = hc?["interval"]?.durationValue ?? 10 * SimUnit.second
        var crashes: [Crash] = []
        for (i, c) in (failures?["crashes"]?.items ?? []).enumerated() {
            guard let r = regionIndex(c["region"], "failures.crashes[\(i)].region") else { continue }
            crashes.append(Crash(service: serviceNames.firstIndex(of: c["service"]?.stringValue ?? "") ?? 0, region: r,
                                 at: c["at"]?.durationValue ?? 0, count: c["count"]?.intValue ?? 1))
        }
        var rates = [0.0, 0.0, 0.0]
        for c in failures?["rates"]?.items ?? [] {
            rates[serviceNames.firstIndex(of: c["service"]?.stringValue ?? "") ?? 0] += c["per_replica"]?.rateValue ?? 0
        }
        var epoch = (year: 2024, month: 1, day: 1)
        if let s = db["epoch"]?.stringValue {
            let parts = s.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
            if parts.count == 3, (1...9999).contains(parts[0]), (1...12).contains(parts[1]),
               (1...daysInMonth(year: parts[0], month: parts[1])).contains(parts[2]) {
                epoch = (parts[0], parts[1], parts[2])
            } else {
                errors.append(ScenarioError(db["epoch"]!.location, path: "database.epoch", "'\(s)' is not a calendar date (year 1-9999, month 1-12, a day the month has)", fix: "write YYYY-MM-DD, e.g. 2024-01-01"))
            }
        }
        let l3 = cache["l3"]?["latency"]?.distribution(.duration) ?? .constant(0.05)
        var config = PlatformConfig(
            regions: regions, primaryRegion: primary,
            ordersPerHour: (demand["orders_per_hour"]?.rateValue ?? 0) * 3600, profile: profile,
            profileStart: demand["start_at"]?.durationValue ?? 0,
            menuViewsPerOrder: demand["menu_views_per_order"]?.doubleValue ?? 8,
            deliveryRadius: demand["delivery_radius"]?.distanceValue ?? 3500,
            customers: demand["customers"]?.intValue ?? 100_000,
            statusReads: demand["status_reads"]?.boolValue ?? true,
            statusReadDelay: demand["status_read_delay"]?.durationValue ?? 500 * SimUnit.millisecond,
            historyViewsPerOrder: demand["history_views_per_order"]?.doubleValue ?? 0.2,
            historyRange: demand["history_range"]?.durationValue ?? 90 * SimUnit.day,
            restaurantCount: rest["count"]?.intValue ?? 1, zipfExponent: rest["zipf_exponent"]?.doubleValue ?? 1,
            prepTime: rest["prep_time"]?.distribution(.duration) ?? .constant(600),
            courierCount: cour["count"]?.intValue ?? 1, courierSpeed: cour["speed"]?.speedValue ?? 19 / 3.6,
            pingIdle: cour["ping_idle"]?.durationValue ?? 15 * SimUnit.second,
            pingTrip: cour["ping_trip"]?.durationValue ?? 4 * SimUnit.second,
            pickupService: cour["pickup_service"]?.durationValue ?? 4 * SimUnit.minute,
            dropoffService: cour["dropoff_service"]?.durationValue ?? 4 * SimUnit.minute,
            shiftLength: cour["shift_length"]?.distribution(.duration),
            services: services,
            lbAlgorithm: lb?["algorithm"]?.stringValue ?? "least_connections",
            healthPath: hc?["path"]?.stringValue ?? "/health", healthInterval: hInterval,
            healthTimeout: hc?["timeout"]?.durationValue ?? hInterval,
            healthRise: hc?["rise"]?.intValue ?? 2, healthFall: hc?["fall"]?.intValue ?? 3,
            stickySessions: lb?["sticky_sessions"]?.boolValue ?? false,
            sessionTTL: lb?["session_ttl"]?.durationValue ?? SimUnit.hour,
            l1TTL: cache["l1"]?["ttl"]?.durationValue ?? 300 * SimUnit.second,
            l1Latency: cache["l1"]?["latency"]?.distribution(.duration) ?? .constant(0),
            l1Capacity: cache["l1"]?["capacity"]?.intValue ?? 10_000,
            l2TTL: cache["l2"]?["ttl"]?.durationValue ?? 3600 * SimUnit.second,
            l2Latency: cache["l2"]?["latency"]?.distribution(.duration) ?? .constant(0.005),
            l3Latency: l3,
            shards: db["shards"]?.intValue ?? 16, monthlyPartitions: db["time_partitions"]?.stringValue != "none", epoch: epoch,
            readReplicas: db["read_replicas"]?.intValue ?? 1,
            replicationLag: db["replication_lag"]?.distribution(.duration) ?? .constant(0),
            connectionsPerShard: db["connections_per_shard"]?.intValue ?? 100,
            writeLatency: db["write_latency"]?.distribution(.duration) ?? .constant(0.005),
            readLatency: db["read_latency"]?.distribution(.duration) ?? l3,
            orderEvents: Topic(partitions: kafka["order_events"]?["partitions"]?.intValue ?? 1,
                               replication: kafka["order_events"]?["replication"]?.intValue ?? 3),
            locationUpdates: Topic(partitions: kafka["location_updates"]?["partitions"]?.intValue ?? 1,
                                   replication: kafka["location_updates"]?["replication"]?.intValue ?? 3),
            produceLatency: kafka["produce_latency"]?.distribution(.duration) ?? .constant(0.002),
            rebalancePause: kafka["rebalance_pause"]?.durationValue ?? 3 * SimUnit.second,
            sessionTimeout: kafka["session_timeout"]?.durationValue ?? 45 * SimUnit.second,
            matchingPolicy: MatchingPolicy(rawValue: matching?["policy"]?.stringValue ?? "batched") ?? .batched,
            matchingInterval: matching?["interval"]?.durationValue ?? 30 * SimUnit.second,
            matchingRadius: matching?["radius"]?.distanceValue ?? 2700,
            bundleSize: matching?["bundle_size"]?.intValue ?? 1,
            cancelAfter: matching?["cancel_after"]?.durationValue ?? 15 * SimUnit.minute,
            crashes: crashes, crashRates: rates)
        // Each interval is reported at its own key (the schema's lower bounds catch these first;
        // this guards a decoder default).
        for (node, path, value) in [(matching?["interval"], "matching.interval", config.matchingInterval), (cour["ping_idle"], "couriers.ping_idle", config.pingIdle),
                                    (cour["ping_trip"], "couriers.ping_trip", config.pingTrip), (hc?["interval"], "load_balancer.health_check.interval", config.healthInterval)]
            where value <= 0 {
            errors.append(ScenarioError(node?.location ?? document.location, path: path, "the interval must be positive", fix: "use a duration above 0s"))
        }
        if let t = demand["trace"], let path = t.stringValue {
            let base = (t.location.file as NSString).deletingLastPathComponent
            let resolved = path.hasPrefix("/") ? path : (base as NSString).appendingPathComponent(path)
            config.traceFile = resolved
            if !FileManager.default.fileExists(atPath: resolved) {
                errors.append(ScenarioError(t.location, path: "demand.trace", "the trace file '\(resolved)' does not exist",
                                            fix: "give a CSV path relative to this scenario file"))
            }
        }
        return errors.count == start ? config : nil
    }
}
