/// The optional broker and node models: `kafka.brokers` (each region cluster's brokers with
/// their replica placement, ISR and producer settings) and `cache.l2.nodes` (the region's Redis
/// Cluster nodes), decoded by `PlatformConfig.decodeBrokers`. Absent, the model is the one
/// before them (topics without brokers, one L2 without nodes).
extension PlatformSchema {
    static let kafkaBrokers = ObjectSchema("Kafka brokers of each region's cluster (absent: no brokers are modelled). Replicas are placed as apache/kafka AdminUtils.assignReplicasToBrokersRackUnaware does; each topic's `replication` is its replication factor", [
        Field("count", .integer(min: 1, max: 1000), required: true, "Brokers per region cluster (at least each topic's replication)"),
        Field("min_insync_replicas", .integer(min: 1, max: 16), default: "1", "min.insync.replicas: acks=all produces are refused (NOT_ENOUGH_REPLICAS) while the ISR is smaller (Kafka default 1)"),
        Field("acks", .enumeration(["all", "leader"]), default: "all", "Producer acks: all (-1, the producer default since Kafka 3.0) or leader (acks=1)"),
        Field("unclean_leader_election", .boolean, default: "false", "unclean.leader.election.enable: elect an out-of-sync replica when no in-sync one is live (Kafka default false)"),
        Field("replica_lag_max", .duration(min: "1ms"), default: "30s", "replica.lag.time.max.ms: a follower that has not caught up this long leaves the ISR (Kafka default 30000)"),
        Field("session_timeout", .duration(min: "1ms"), default: "9s", "The controller declares a silent broker lost after this and moves its leaderships (KRaft broker.session.timeout.ms, default 9000)"),
        Field("records_per_second", .number(min: 0, max: 1e12), default: "0", "Records one broker appends or replicates per second (a FIFO queue per broker); 0: unlimited"),
        Field("retry_backoff", .duration(min: "1ms"), default: "100ms", "Producer wait before resending a refused or failed batch (retry.backoff.ms, default 100)"),
        Field("retry_backoff_max", .duration(min: "1ms"), default: "1s", "The backoff doubles at each retry up to this (retry.backoff.max.ms, default 1000, KIP-580)"),
        Field("delivery_timeout", .duration(min: "1ms"), default: "120s", "The producer gives a record up this long after its first send and the request fails (delivery.timeout.ms, default 120000)"),
    ])

    static let redisNodes = ObjectSchema("Redis Cluster nodes holding the region's L2 (absent: one L2 without nodes). Keys hash to 16384 slots by CRC16, slots split evenly over the nodes as redis-cli --cluster create does", [
        Field("count", .integer(min: 1, max: 1000), required: true, "Master nodes per region"),
        Field("ops_per_second", .number(min: 0, max: 1e12), default: "0", "Commands one node serves per second (a FIFO queue per node); 0: unlimited"),
        Field("node_timeout", .duration(min: "1ms"), default: "15s", "cluster-node-timeout: a silent node is flagged failed after this (Redis default 15000 ms)"),
    ])

    /// The L2 tier: `tier` plus its nodes.
    static func l2Tier(ttl: FieldDefault) -> ObjectSchema {
        var t = tier(ttl: ttl)
        t.fields.append(Field("nodes", .object(redisNodes), "Redis Cluster nodes (absent: one L2 without nodes)"))
        return t
    }
}
