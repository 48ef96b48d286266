/// Where a topic's partition replicas live: Kafka's rack-unaware replica assignment
/// (apache/kafka `core/src/main/scala/kafka/admin/AdminUtils.scala`,
/// `assignReplicasToBrokersRackUnaware`). The first replica of partition p goes to broker
/// `(p + startIndex) % n` (round robin), and its followers follow it at a shift that grows by one
/// every n partitions (`replicaIndex`: `1 + (shift + j) % (n - 1)` brokers further on), so the
/// followers of one broker's leaders spread over the others. Kafka draws `startIndex` and the
/// first shift at random unless fixed (`fixedStartIndex`); they are the caller's here.
public enum KafkaReplicaAssignment {
    /// The ordered replica list (leader first) of partitions `0..<partitions` over brokers
    /// `0..<brokers`. Requires `1 <= replicationFactor <= brokers`.
    public static func assign(partitions: Int, replicationFactor: Int, brokers: Int,
                              startIndex: Int = 0, firstShift: Int = 0) -> [[Int]] {
        precondition(brokers >= 1 && replicationFactor >= 1 && replicationFactor <= brokers,
                     "replication factor must be between 1 and the broker count")
        var out: [[Int]] = []
        out.reserveCapacity(partitions)
        var shift = firstShift
        for p in 0..<partitions {
            if p > 0 && p % brokers == 0 { shift += 1 }
            let first = (p + startIndex) % brokers
            var replicas = [first]
            for j in 0..<(replicationFactor - 1) {
                replicas.append((first + 1 + (shift + j) % (brokers - 1)) % brokers)
            }
            out.append(replicas)
        }
        return out
    }
}
