import SimCore

extension PlatformConfig {
    /// One fault of the `faults:` schedule (see `PlatformSchema.fault`).
    public struct Fault: Sendable {
        public enum Kind: String, Sendable, CaseIterable {
            case replicaCrash = "replica_crash", regionOutage = "region_outage"
            case dbPrimaryFailure = "db_primary_failure", regionPartition = "region_partition"
            case brokerLoss = "broker_loss", redisNodeLoss = "redis_node_loss"
        }
        public enum Detection: String, Sendable, CaseIterable { case healthCheck = "health_check", dns }
        public var kind: Kind
        /// The region (nil for a crash rate: every region).
        public var region: Int?
        public var service: Int?
        /// Start (nil for a crash rate: the whole run).
        public var at: SimTime?
        /// How long a region outage lasts (nil: until the end of the run).
        public var duration: SimTime?
        public var count: Int
        /// Crashes per replica per second (0 unless `rate:`).
        public var rate: Double
        public var detection: Detection
        public var checkInterval: SimTime
        public var fall: Int
        public var dnsTTL: SimTime
        /// The region that serves the failed region's city (its `failover:`, default the primary).
        public var failover: Int
        /// db_primary_failure: the shard, and detection to new primary (`PlatformConfig+DatabaseFaults`).
        public var shard = 0
        public var promotion: SimTime = 0
        /// db_primary_failure `writes: fail`: writes fail until the promotion (else they wait).
        public var failWrites = false
        /// region_partition: the second region (`region` is the first) and the message timeout.
        public var peer = -1
        public var timeout: SimTime = 0
        /// broker_loss: the first broker id lost; redis_node_loss: the first node (`count` of them).
        public var broker = 0
        public var node = 0
    }

    /// resilience4j CircuitBreakerConfig (COUNT_BASED window).
    public struct CircuitBreakerSettings: Sendable, Equatable {
        /// Percent, (0, 100].
        public var failureRate: Double
        public var window: Int
        public var minimumCalls: Int
        public var wait: SimTime
        public var halfOpenCalls: Int
    }

    /// Finagle RetryBudget(ttl, minRetriesPerSec, percentCanRetry).
    public struct RetryBudgetSettings: Sendable, Equatable {
        /// percentCanRetry as a fraction (20 % is 0.2).
        public var percentCanRetry: Double
        public var minPerSecond: Int
        public var ttl: SimTime
    }

    /// NGINX limit_req with `nodelay`: rate in requests per minute (NGINX keeps r/s and r/m).
    public struct LimitReqSettings: Sendable, Equatable {
        public var perMinute: Int64
        public var burst: Int
    }

    /// The protection settings of one service (`services.<name>`), each nil when absent.
    static func decodeProtection(_ n: SchemaReader, service: String, errors: inout [ScenarioError])
        -> (CircuitBreakerSettings?, RetryBudgetSettings?, LimitReqSettings?) {
        let cb = n.given("circuit_breaker").map { _ -> CircuitBreakerSettings in
            let o = n.object("circuit_breaker")
            return CircuitBreakerSettings(failureRate: o.percentage("failure_rate"), window: o.int("window"), minimumCalls: o.int("minimum_calls"),
                                          wait: o.duration("wait"), halfOpenCalls: o.int("half_open_calls"))
        }
        let rb = n.given("retry_budget").map { _ -> RetryBudgetSettings in
            let o = n.object("retry_budget")
            return RetryBudgetSettings(percentCanRetry: o.percentage("percent") / 100, minPerSecond: o.int("min_per_second"), ttl: o.duration("ttl"))
        }
        let lr = n.given("limit_req").map { node -> LimitReqSettings in
            let o = n.object("limit_req")
            let perMinute = (o.rate("rate") * 60).rounded()
            if perMinute < 1 {
                errors.append(ScenarioError(o.given("rate")?.location ?? node.location, path: "services.\(service).limit_req.rate",
                                            "NGINX limit_req needs at least 1 request per minute", fix: "use a rate of at least 1/min"))
            }
            return LimitReqSettings(perMinute: Int64(max(1, perMinute)), burst: o.int("burst"))
        }
        return (cb, rb, lr)
    }

    /// The `faults:` schedule, checked per kind; `regionIndex` resolves (and reports) a region name.
    static func decodeFaults(_ root: SchemaReader, regions: [Region], primary: Int, errors: inout [ScenarioError]) -> [Fault] {
        let entries = root.entries("regions")
        let names = regions.map(\.name)
        func regionIndex(_ node: ConfigNode?, _ path: String) -> Int? { Self.regionIndex(node, path, names: names, errors: &errors) }
        var faults: [Fault] = []
        let where0 = root.given("faults")?.location ?? SourceLocation(file: "", line: 0, column: 0)
        for (i, f) in root.items("faults").enumerated() {
            let path = "faults[\(i)]"
            let loc = f.node?.location ?? where0
            func refuse(_ key: String, _ message: String, _ fix: String) {
                errors.append(ScenarioError(f.given(key)?.location ?? loc, path: "\(path).\(key)", message, fix: fix))
            }
            let kind = Fault.Kind.allCases[f.choice("kind", among: Fault.Kind.allCases.map(\.rawValue))]
            let region = f.given("region").flatMap { regionIndex($0, "\(path).region") }
            let service = f.given("service").map { _ in f.choice("service", among: serviceNames) }
            let at = f.optional("at", \.durationValue)
            let perReplica = f.optional("rate", \.rateValue)
            let rate = perReplica ?? 0
            var fault = Fault(kind: kind, region: region, service: service, at: at, duration: f.optional("for", \.durationValue),
                              count: f.int("count"), rate: rate,
                              detection: Fault.Detection.allCases[f.choice("detection", among: Fault.Detection.allCases.map(\.rawValue))],
                              checkInterval: f.duration("check_interval"), fall: f.int("fall"), dnsTTL: f.duration("dns_ttl"), failover: primary)
            fault.promotion = f.duration("promotion")
            fault.timeout = f.duration("timeout")
            fault.failWrites = f.string("writes") == "fail"
            switch kind {
            case .replicaCrash:
                if service == nil { refuse("service", "a replica_crash needs the service whose pods crash", "add `service: order_service` (or location_service, matching_service)") }
                if f.given("for") != nil { refuse("for", "a crashed pod is replaced by its ReplicaSet: a crash has no duration", "remove `for:`") }
                if f.given("rate") != nil {
                    if f.given("at") != nil { refuse("at", "a crash rate applies to the whole run", "remove `at:` (or `rate:` for one crash at a time)") }
                    if f.given("region") != nil { refuse("region", "a crash rate applies to every region's pods", "remove `region:`") }
                } else {
                    if at == nil { refuse("at", "a replica_crash needs `at:` (one crash) or `rate:` (crashes at random)", "add e.g. `at: 30min`") }
                    if f.given("region") == nil { refuse("region", "a replica_crash at a time needs its region", "add `region:` (one of \(regions.map(\.name).joined(separator: ", ")))") }
                }
            case .regionOutage:
                if at == nil { refuse("at", "a region_outage needs its start", "add e.g. `at: 30min`") }
                if f.given("region") == nil { refuse("region", "a region_outage needs its region", "add `region:`") }
                for key in ["service", "rate"] where f.given(key) != nil { refuse(key, "a region_outage takes the whole region out", "remove `\(key):`") }
                if let r = region {
                    // A region that is down reported a bad `failover:` already.
                    let e = entries[r].reader
                    fault.failover = e.given("failover").flatMap { regionIndex($0, "regions.\(regions[r].name).failover") } ?? primary
                    if r == primary {
                        refuse("region", "the primary region holds the database primary: its outage is not modelled",
                               "choose another region (a database failover is a separate fault)")
                    } else if regions[r].down {
                        refuse("region", "region \(regions[r].name) is down for the whole run already", "remove `down: true` or this fault")
                    } else if fault.failover == r || regions[fault.failover].down {
                        refuse("region", "region \(regions[r].name) needs a failover region that is up",
                               "set `regions.\(regions[r].name).failover:` to another region")
                    }
                }
            case .dbPrimaryFailure:
                decodeShardFailure(f, into: &fault, path: path, errors: &errors)
            case .regionPartition:
                decodePartition(f, into: &fault, path: path, names: names, errors: &errors)
            case .brokerLoss, .redisNodeLoss:
                checkClusterFault(f, region: region, refuse: refuse)
            }
            fault.broker = f.int("broker")
            fault.node = f.int("node")
            faults.append(fault)
        }
        // Two outages of one region, or of a region and its failover, must not overlap.
        let outages = faults.indices.filter { faults[$0].kind == .regionOutage && faults[$0].region != nil && faults[$0].at != nil }
        for (k, i) in outages.enumerated() {
            for j in outages[(k + 1)...] {
                let a = faults[i], b = faults[j]
                let related = a.region == b.region || a.failover == b.region || b.failover == a.region
                let aEnd = a.duration.map { a.at! + $0 } ?? .max, bEnd = b.duration.map { b.at! + $0 } ?? .max
                if related && a.at! < bEnd && b.at! < aEnd {
                    errors.append(ScenarioError(root.given("faults")?.items?[j].location ?? where0, path: "faults[\(j)]",
                                                "this outage overlaps faults[\(i)] in the same region or its failover region",
                                                fix: "move one so that they do not overlap"))
                }
            }
        }
        return faults
    }

    /// The error for the removed `failures:` section, naming the `faults:` list that replaces
    /// it (written out from the old entries), or nil when the document has none.
    public static func removedFailuresError(_ document: ConfigNode) -> ScenarioError? {
        guard let old = document["failures"] else { return nil }
        var lines: [String] = []
        for c in old["crashes"]?.items ?? [] {
            let count = c["count"]?.scalar.map { ", count: \($0)" } ?? ""
            lines.append("  - { kind: replica_crash, service: \(c["service"]?.scalar ?? "?"), region: \(c["region"]?.scalar ?? "?"), at: \(c["at"]?.scalar ?? "?")\(count) }")
        }
        for c in old["rates"]?.items ?? [] {
            lines.append("  - { kind: replica_crash, service: \(c["service"]?.scalar ?? "?"), rate: \(c["per_replica"]?.scalar ?? "?") }")
        }
        return ScenarioError(old.location, path: "failures", "`failures:` is now part of the fault schedule `faults:` (a list of {kind, where, at, for | rate})",
                             fix: "replace it with:\nfaults:\n" + (lines.isEmpty ? "  []" : lines.joined(separator: "\n")))
    }
}
