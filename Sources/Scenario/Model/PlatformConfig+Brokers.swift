import SimCore

extension PlatformConfig {
    /// `kafka.brokers`: each region cluster's brokers (see `PlatformSchema.kafkaBrokers`).
    public struct KafkaBrokerSettings: Sendable, Equatable {
        public var count: Int
        public var minInsyncReplicas: Int
        /// acks=all (false: acks=1, acknowledged by the leader alone).
        public var acksAll: Bool
        public var uncleanLeaderElection: Bool
        public var replicaLagMax: SimTime
        public var sessionTimeout: SimTime
        /// Records per second per broker; 0 unlimited.
        public var recordsPerSecond: Double
        public var retryBackoff: SimTime
        public var deliveryTimeout: SimTime
        public var retryBackoffMax: SimTime = 0
    }

    /// `cache.l2.nodes`: the region's Redis Cluster masters (see `PlatformSchema.redisNodes`).
    public struct RedisNodeSettings: Sendable, Equatable {
        public var count: Int
        /// Commands per second per node; 0 unlimited.
        public var opsPerSecond: Double
        public var nodeTimeout: SimTime
    }

    /// Reads `kafka.brokers` and `cache.l2.nodes` and checks the broker and node faults against them.
    static func decodeBrokers(_ config: inout PlatformConfig, kafka: SchemaReader, l2: SchemaReader, root: SchemaReader,
                              errors: inout [ScenarioError]) {
        if kafka.given("brokers") != nil {
            let b = kafka.object("brokers")
            let s = KafkaBrokerSettings(count: b.int("count"), minInsyncReplicas: b.int("min_insync_replicas"), acksAll: b.string("acks") == "all",
                                        uncleanLeaderElection: b.bool("unclean_leader_election"), replicaLagMax: b.duration("replica_lag_max"),
                                        sessionTimeout: b.duration("session_timeout"), recordsPerSecond: b.double("records_per_second"),
                                        retryBackoff: b.duration("retry_backoff"), deliveryTimeout: b.duration("delivery_timeout"))
            var settings = s
            settings.retryBackoffMax = max(s.retryBackoff, b.duration("retry_backoff_max"))
            config.kafkaBrokers = settings
            let replication = max(config.orderEvents.replication, config.locationUpdates.replication)
            if replication > s.count {
                errors.append(ScenarioError(b.given("count")?.location ?? b.node?.location ?? SourceLocation(file: "", line: 0, column: 0),
                                            path: "kafka.brokers.count", "\(s.count) brokers cannot hold \(replication) replicas of a partition",
                                            fix: "use at least \(replication) brokers or lower the topics' replication"))
            }
        }
        if l2.given("nodes") != nil {
            let n = l2.object("nodes")
            config.redisNodes = RedisNodeSettings(count: n.int("count"), opsPerSecond: n.double("ops_per_second"), nodeTimeout: n.duration("node_timeout"))
        }
        let where0 = root.given("faults")?.location ?? SourceLocation(file: "", line: 0, column: 0)
        for (i, f) in root.items("faults").enumerated() where i < config.faults.count {
            let fault = config.faults[i]
            let loc = f.node?.location ?? where0
            switch fault.kind {
            case .brokerLoss:
                guard let b = config.kafkaBrokers else {
                    errors.append(ScenarioError(loc, path: "faults[\(i)].kind", "a broker_loss needs the brokers modelled", fix: "add `kafka.brokers: { count: 3 }`"))
                    continue
                }
                if fault.broker + fault.count > b.count {
                    errors.append(ScenarioError(f.given("broker")?.location ?? loc, path: "faults[\(i)].broker",
                                                "brokers \(fault.broker)…\(fault.broker + fault.count - 1) do not all exist (ids 0…\(b.count - 1))",
                                                fix: "lower `broker:` or `count:`"))
                }
            case .redisNodeLoss:
                guard let n = config.redisNodes else {
                    errors.append(ScenarioError(loc, path: "faults[\(i)].kind", "a redis_node_loss needs the L2 nodes modelled", fix: "add `cache.l2.nodes: { count: 3 }`"))
                    continue
                }
                if fault.node + fault.count > n.count {
                    errors.append(ScenarioError(f.given("node")?.location ?? loc, path: "faults[\(i)].node",
                                                "nodes \(fault.node)…\(fault.node + fault.count - 1) do not all exist (0…\(n.count - 1))",
                                                fix: "lower `node:` or `count:`"))
                }
            default: break
            }
        }
    }

    /// The keys a broker_loss or redis_node_loss takes: `region` and `at` (and `for`, `broker`
    /// or `node`, `count`); not a service or a rate.
    static func checkClusterFault(_ f: SchemaReader, region: Int?, refuse: (String, String, String) -> Void) {
        let kind = f.string("kind")
        if f.given("at") == nil { refuse("at", "a \(kind) needs its start", "add e.g. `at: 20min`") }
        if f.given("region") == nil { refuse("region", "a \(kind) needs the region of its cluster", "add `region:`") }
        for key in ["service", "rate"] where f.given(key) != nil { refuse(key, "a \(kind) takes cluster members, not pods", "remove `\(key):`") }
    }
}
