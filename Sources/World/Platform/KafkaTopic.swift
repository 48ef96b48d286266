import DequeModule
import Platform
import Scenario
import SimCore

/// One Kafka topic in one region with its consumer group.
///
/// Producers pick the partition with Kafka's key partitioner (`KafkaKeyPartitioner`, the
/// murmur2 of the key); a record is visible to consumers once acks=all completes. The
/// group assigns each partition to at most one member (round robin over members sorted by
/// id, like the `RoundRobinAssignor`); members beyond the partition count get nothing.
/// Every membership change pauses the whole group for `rebalancePause` (eager rebalance).
/// A partition has at most one record in processing, so records are consumed in order.
final class KafkaTopic {
    struct Record {
        /// The key: order id or courier id.
        var key: Int32
        var longitude: Double
        var latitude: Double
        var producedAt: SimTime
    }

    let name: String
    let partitions: Int
    let replication: Int
    var queues: [Deque<Record>]
    var produced: [Int]
    var consumed: [Int]
    /// Consumer replica (pool replica id) per partition, or -1.
    var owner: [Int]
    var inFlight: [Bool]
    /// Members of the group (ready consumer replicas), in id order.
    var members: [Int] = []
    var paused = false
    var generation: UInt64 = 0
    var rebalances = 0
    var pausedTime: SimTime = 0
    var pausedSince: SimTime = 0
    var maxMembers = 0
    var lag = 0
    var lagGauge = TimeWeightedGauge()
    var maxPartitionLag: [Int]
    var lagSeries: [Double] = []

    init(name: String, partitions: Int, replication: Int) {
        self.name = name
        self.partitions = partitions
        self.replication = replication
        queues = Array(repeating: Deque<Record>(), count: partitions)
        produced = Array(repeating: 0, count: partitions)
        consumed = Array(repeating: 0, count: partitions)
        owner = Array(repeating: -1, count: partitions)
        inFlight = Array(repeating: false, count: partitions)
        maxPartitionLag = Array(repeating: 0, count: partitions)
    }

    /// The partition of a record keyed by a 64-bit id (Kafka `LongSerializer` bytes).
    @inline(__always) func partition(forKey key: Int) -> Int {
        KafkaKeyPartitioner.partition(forLongKey: Int64(key), partitionCount: partitions)
    }

    func append(_ record: Record, to p: Int, now: SimTime) {
        queues[p].append(record)
        produced[p] += 1
        lag += 1
        lagGauge.set(Double(lag), at: now)
        let l = produced[p] - consumed[p]
        if l > maxPartitionLag[p] { maxPartitionLag[p] = l }
    }

    /// A record finished processing (its offset is committed).
    func commit(_ p: Int, now: SimTime) {
        consumed[p] += 1
        inFlight[p] = false
        lag -= 1
        lagGauge.set(Double(lag), at: now)
    }

    /// A record whose processing failed goes back to the head of its partition.
    func putBack(_ record: Record, _ p: Int) {
        queues[p].prepend(record)
        inFlight[p] = false
    }

    /// Membership changed: revoke every partition and pause. Returns the generation the
    /// caller schedules the end of the pause with.
    func beginRebalance(members newMembers: [Int], now: SimTime) -> UInt64 {
        members = newMembers
        maxMembers = max(maxMembers, members.count)
        if !paused { pausedSince = now }
        paused = true
        generation &+= 1
        rebalances += 1
        for p in 0..<partitions { owner[p] = -1 }
        return generation
    }

    /// The pause is over: assign partitions round robin over the members.
    func endRebalance(_ gen: UInt64, now: SimTime) -> Bool {
        guard gen == generation, paused else { return false }
        paused = false
        pausedTime += now - pausedSince
        let n = members.count
        for p in 0..<partitions { owner[p] = n == 0 ? -1 : members[p % n] }
        return true
    }

    var idleConsumers: Int { max(0, members.count - partitions) }
}
