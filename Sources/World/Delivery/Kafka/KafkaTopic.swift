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
        /// order_events: the order_id (the key is the order's slot); 0 for pings.
        var orderID: Int
        var longitude: Double
        var latitude: Double
        /// order_events: when the record was appended; location_updates: when the courier's
        /// position was taken (the ping), which decides whose shift and which idle spell it
        /// belongs to.
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
    /// ∫ lag dt per partition (record·ns) since `statisticsStart`, up to `lagChanged[p]`.
    var lagIntegral: [Double]
    var lagChanged: [SimTime]
    var statisticsStart: SimTime = 0
    /// The topic's lag, set at every change: per interval its time-weighted mean and its
    /// largest value (the levels table's max is the largest of these after the warm-up).
    var lagSeries: GaugeSeries

    init(name: String, partitions: Int, replication: Int, series: SimTime) {
        lagSeries = GaugeSeries(interval: max(1, series))
        lagIntegral = Array(repeating: 0, count: partitions)
        lagChanged = Array(repeating: 0, count: partitions)
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

    /// Integrates partition `p`'s lag up to `now` (call before its lag changes).
    @inline(__always) func advanceLag(_ p: Int, _ now: SimTime) {
        lagIntegral[p] += Double(produced[p] - consumed[p]) * Double(now - lagChanged[p])
        lagChanged[p] = now
    }

    /// Time-weighted mean lag of partition `p` from the statistics start to `now`.
    func meanLag(_ p: Int, until now: SimTime) -> Double {
        guard now > statisticsStart else { return 0 }
        let open = Double(produced[p] - consumed[p]) * Double(now - lagChanged[p])
        return (lagIntegral[p] + open) / Double(now - statisticsStart)
    }

    /// Restarts the lag statistics at the end of the warm-up.
    func resetLagStatistics(at now: SimTime) {
        lagGauge.reset(at: now)
        statisticsStart = now
        for p in 0..<partitions {
            lagIntegral[p] = 0
            lagChanged[p] = now
            maxPartitionLag[p] = produced[p] - consumed[p]
        }
    }

    func append(_ record: Record, to p: Int, now: SimTime) {
        advanceLag(p, now)
        queues[p].append(record)
        produced[p] += 1
        lag += 1
        lagGauge.set(Double(lag), at: now)
        lagSeries.set(Double(lag), at: now)
        let l = produced[p] - consumed[p]
        if l > maxPartitionLag[p] { maxPartitionLag[p] = l }
    }

    /// A record finished processing (its offset is committed).
    func commit(_ p: Int, now: SimTime) {
        advanceLag(p, now)
        consumed[p] += 1
        inFlight[p] = false
        lag -= 1
        lagGauge.set(Double(lag), at: now)
        lagSeries.set(Double(lag), at: now)
    }

    /// A batch of `n` records finished processing (batched polling, `KafkaConsumerBatch`):
    /// their offsets are committed at once.
    func commit(_ p: Int, count n: Int, now: SimTime) {
        advanceLag(p, now)
        consumed[p] += n
        inFlight[p] = false
        lag -= n
        lagGauge.set(Double(lag), at: now)
        lagSeries.set(Double(lag), at: now)
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
