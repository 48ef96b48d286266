import Scenario
import SimCore

/// Batched consumer polling (`kafka.consumer.batched`): when a partition's records are handed
/// to its owner, and how many at once. Owns, per topic and partition, the consumer's
/// outstanding fetch (when it was sent, its expiry event) and the size of the batch in
/// processing; the records themselves stay at the head of the partition (`KafkaTopic.queues`)
/// until the batch is committed, as in Kafka, where a poll's records are only committed offsets
/// later. The caller (`PlatformSimulation+Polling`) asks `take` whenever a partition may have
/// something to hand out, starts the batch request, and reports its end (`finished`) or loss.
///
/// What Kafka does (apache/kafka): `KafkaConsumer.poll` returns at most `max.poll.records`
/// records (`ConsumerConfig`, default 500) from what the fetcher holds; the broker answers a
/// fetch when `fetch.min.bytes` (default 1) are available or `fetch.max.wait.ms` (default
/// 500) has passed since the fetch arrived (`DelayedFetch.tryComplete` and its expiry,
/// core/src/main/scala/kafka/server/DelayedFetch.scala); an empty answer makes the consumer
/// send the next fetch at once.
///
/// Simplified here, and said so in Kafka/README.md:
/// - `fetch.min.bytes` is counted in records (`fetch_min_records`);
/// - each partition has its own fetch and its own batch (a real consumer fetches all its
///   partitions on one broker together and `max.poll.records` caps the sum);
/// - the consumer sends its fetch when its previous batch is done (or when it was assigned the
///   partition), and, while no record comes, again every `fetch_max_wait` (empty answers):
///   a record that arrives to an empty partition is answered at the first of: enough records
///   (`fetch_min_records`), or the end of the fetch window in progress, computed without an
///   event per empty answer;
/// - the fetch's network trip is not modelled (the broker is in the consumer's region).
///
/// With `max_poll_records` = 1, `fetch_min_records` = 1 and no `batch_cpu` it hands out one
/// record at a time exactly when the unbatched model does (the tests check byte-identical reports).
final class KafkaConsumerBatch {
    enum Kind: UInt32 { case fetchExpired }

    let settings: PlatformConfig.KafkaConsumer
    /// Per topic index (`KafkaCluster.topic`), per partition.
    private var sentAt: [[SimTime]]
    private var generation: [[UInt64]]
    private var inBatch: [[Int]]
    /// The token of the partition's armed expiry event (0: none armed).
    private var expiryToken: [[UInt32]]
    private var tokens: UInt32 = 0
    /// Per topic: polls that returned records, and the records they returned.
    private(set) var polls: [Int]
    private(set) var polledRecords: [Int]
    private(set) var largestBatch: [Int]

    /// `partitions[t]`: topic t's partition count (0 for a region that is down).
    init(settings: PlatformConfig.KafkaConsumer, partitions: [Int]) {
        self.settings = settings
        sentAt = partitions.map { Array(repeating: 0, count: $0) }
        generation = partitions.map { Array(repeating: .max, count: $0) }
        inBatch = partitions.map { Array(repeating: 0, count: $0) }
        expiryToken = partitions.map { Array(repeating: 0, count: $0) }
        polls = Array(repeating: 0, count: partitions.count)
        polledRecords = Array(repeating: 0, count: partitions.count)
        largestBatch = Array(repeating: 0, count: partitions.count)
    }

    /// How many of the `available` records at the head of topic `t`'s partition `p` its owner
    /// takes now (0: none yet). Call it whenever the partition may consume (not paused, owned,
    /// nothing in processing): on an append, at the end of a batch, on assignment, at a fetch
    /// expiry (`expired`). `assignment` is the group's generation: a new one means the owner
    /// (re)joined and sent a fresh fetch now. When fewer than `fetch_min_records` are there,
    /// arms the expiry of the fetch window in progress.
    func take(_ t: Int, _ p: Int, available: Int, assignment: UInt64, expired: Bool, _ s: inout Scheduler) -> Int {
        if generation[t][p] != assignment {
            generation[t][p] = assignment
            sentAt[t][p] = s.now
            expiryToken[t][p] = 0
        }
        guard inBatch[t][p] == 0, available > 0 else { return 0 }
        if available >= settings.fetchMinRecords || expired {
            expiryToken[t][p] = 0
            return min(available, settings.maxPollRecords)
        }
        guard expiryToken[t][p] == 0 else { return 0 }
        // The fetch sent at `sentAt` and re-sent every window while empty: the window in
        // progress ends at the first multiple after now (a fetch expiring exactly now answered
        // empty, before this record).
        let w = settings.fetchMaxWait
        let end = sentAt[t][p] + ((s.now - sentAt[t][p]) / w + 1) * w
        tokens &+= 1
        if tokens == 0 { tokens = 1 }
        expiryToken[t][p] = tokens
        s.schedule(at: end, kind: ComponentID.polling.kind(Kind.fetchExpired.rawValue), target: UInt32(t),
                   payload: UInt64(p) | UInt64(tokens) << 32)
        return 0
    }

    /// A fetch expiry event: the (topic, partition) whose fetch answers now with what it has,
    /// or nil when the expiry is stale (the fetch was answered or the partition reassigned).
    func expired(_ e: Event) -> (topic: Int, partition: Int)? {
        let t = Int(e.target), p = Int(e.payload & 0xFFFF_FFFF), token = UInt32(e.payload >> 32)
        guard expiryToken[t][p] == token else { return nil }
        expiryToken[t][p] = 0
        return (t, p)
    }

    /// The owner started processing `n` records of topic `t`'s partition `p`.
    func started(_ t: Int, _ p: Int, _ n: Int) {
        inBatch[t][p] = n
        polls[t] += 1
        polledRecords[t] += n
        largestBatch[t] = max(largestBatch[t], n)
    }

    /// The batch of topic `t`'s partition `p` is processed: its size (the records to commit).
    /// The consumer sends its next fetch now.
    func finished(_ t: Int, _ p: Int, now: SimTime) -> Int {
        let n = inBatch[t][p]
        inBatch[t][p] = 0
        sentAt[t][p] = now
        return n
    }

    /// The batch's consumer crashed: nothing is committed, the records are still at the head.
    func lost(_ t: Int, _ p: Int, now: SimTime) {
        inBatch[t][p] = 0
        sentAt[t][p] = now
        expiryToken[t][p] = 0
    }
}
