/// The partition Kafka's producer picks for records WITHOUT a key: "sticky" partitioning, one
/// instance per topic. Randomness comes from the caller's `RandomNumberGenerator`, and the events that
/// make it switch (a new batch was created; bytes were appended) are explicit calls, so the simulator
/// drives it with its own seeded RNG and its own model of batching.
///
/// Two strategies, as shipped by the Java client (apache/kafka `clients/src/main/java/org/apache/kafka/clients/producer/internals/`):
///
/// - `.newBatch` — Kafka 2.4–3.2, KIP-480, `StickyPartitionCache.partition` / `nextPartition`
///   (also kafka-python's `StickyPartitioner`): stick to one partition until the accumulator creates a
///   new batch for it (`onNewBatch`), then pick uniformly among the *available* partitions (leader
///   known), redrawing until the pick differs from the old one; with one available partition take it;
///   with none, `random % partitionCount` over all partitions.
/// - `.adaptive` — Kafka ≥ 3.3, KIP-794, `BuiltInPartitioner.peekCurrentPartitionInfo` /
///   `updatePartitionInfo` / `nextPartition` / `updatePartitionLoadStats`: count bytes appended to the
///   sticky partition (`recordAppended`); switch once `producedBytes >= batch.size` and switching is
///   enabled (the accumulator enables it when all of the partition's queued batches are full:
///   `RecordAccumulator.append` `allBatchesFull(dq)`), or unconditionally at `2 * batch.size`. The next
///   partition is drawn WITHOUT avoiding the current one: uniformly among available partitions (all if
///   none available) when there are no load stats; otherwise weighted by `maxQueueSize + 1 - queueSize`
///   through a cumulative frequency table (`updateLoadStats`).
///
/// Random numbers are drawn like `Utils.toPositive(ThreadLocalRandom.current().nextInt())`: the low
/// 32 bits of `rng.next()` with the sign bit cleared, then `% n` (Java's slight modulo bias included).
///
/// Simplified relative to the real producer: it is a value type driven by one caller (no
/// `AtomicReference` races / `isPartitionChanged` retry); the caller computes the queue sizes the
/// `RecordAccumulator.partitionReady` loop would (queued batches per partition with a leader) and
/// applies `partitioner.availability.timeout.ms` exclusion itself by passing a shorter `length`;
/// rack-aware selection (`partitioner.rack.aware`, newer trunks) is not modelled.
public struct KafkaStickyPartitioner: Sendable {
    public enum Strategy: Sendable, Hashable {
        /// KIP-480 (`StickyPartitionCache`): switch on `onNewBatch`, never to the same partition.
        case newBatch
        /// KIP-794 (`BuiltInPartitioner`): switch by produced bytes, optionally load-weighted.
        case adaptive
    }

    public let partitionCount: Int
    public let strategy: Strategy
    /// `batch.size` (default 16384): the byte budget before an `.adaptive` switch.
    public let stickyBatchSize: Int
    /// The current sticky partition, nil until the first record.
    @inlinable public var currentPartition: Int? { sticky }
    @usableFromInline var sticky: Int?
    /// Bytes appended to the current sticky partition (`.adaptive`).
    public private(set) var producedBytes: Int = 0
    /// Partitions with a known leader, ascending (the order `Cluster.availablePartitionsForTopic`
    /// lists them in for a metadata response sorted by partition).
    public private(set) var availablePartitions: [Int]
    /// KIP-794 load stats: cumulative frequency table and the partition ids it indexes; empty = none.
    @usableFromInline var cumulativeFrequency: [Int] = []
    @usableFromInline var loadPartitionIDs: [Int] = []

    /// - Precondition: `partitionCount >= 1`, `stickyBatchSize >= 1` (as `BuiltInPartitioner`'s constructor).
    public init(partitionCount: Int, strategy: Strategy = .adaptive, stickyBatchSize: Int = 16_384) {
        precondition(partitionCount >= 1, "a topic has at least one partition")
        precondition(stickyBatchSize >= 1, "stickyBatchSize must be >= 1")
        self.partitionCount = partitionCount
        self.strategy = strategy
        self.stickyBatchSize = stickyBatchSize
        availablePartitions = Array(0..<partitionCount)
    }

    /// Sets which partitions currently have a leader (metadata update). Ids are sorted and deduplicated.
    public mutating func setAvailablePartitions<S: Sequence>(_ partitions: S) where S.Element == Int {
        availablePartitions = Array(Set(partitions.filter { $0 >= 0 && $0 < partitionCount })).sorted()
    }

    /// The partition for the next keyless record; chooses one if none is chosen yet.
    /// - Complexity: O(1) once chosen, no allocation.
    @inlinable
    public mutating func partition<R: RandomNumberGenerator>(using rng: inout R) -> Int {
        if let p = sticky { return p }
        let p = strategy == .newBatch ? nextPartitionAvoiding(nil, using: &rng) : nextAdaptivePartition(using: &rng)
        sticky = p
        return p
    }

    /// KIP-480 `nextPartition(topic, cluster, prevPartition)`: the accumulator had to create a new batch
    /// for `previousPartition`; switch away only if that is still the sticky partition.
    /// - Returns: the sticky partition afterwards.
    @discardableResult
    public mutating func onNewBatch<R: RandomNumberGenerator>(previousPartition: Int, using rng: inout R) -> Int {
        precondition(strategy == .newBatch, "onNewBatch is the KIP-480 (.newBatch) switch")
        if let old = currentPartition, old != previousPartition { return old }
        let p = nextPartitionAvoiding(currentPartition, using: &rng)
        sticky = p
        return p
    }

    /// KIP-794 `updatePartitionInfo`: `bytes` were appended to the sticky partition.
    /// - Parameter enableSwitch: whether all of the partition's queued batches are full
    ///   (`allBatchesFull(dq)`; true after a new batch was created).
    /// - Returns: true if the sticky partition was re-drawn (it may come out the same).
    @discardableResult
    public mutating func recordAppended<R: RandomNumberGenerator>(
        bytes: Int, enableSwitch: Bool = true, using rng: inout R
    ) -> Bool {
        precondition(strategy == .adaptive, "recordAppended is the KIP-794 (.adaptive) switch")
        if currentPartition == nil { _ = partition(using: &rng) }
        producedBytes += bytes
        guard (producedBytes >= stickyBatchSize && enableSwitch) || producedBytes >= 2 * stickyBatchSize else {
            return false
        }
        sticky = nextAdaptivePartition(using: &rng)
        producedBytes = 0
        return true
    }

    /// `Utils.toPositive(random.nextInt())`.
    @inlinable @inline(__always)
    static func positiveRandom<R: RandomNumberGenerator>(_ rng: inout R) -> Int {
        Int(UInt32(truncatingIfNeeded: rng.next()) & 0x7FFF_FFFF)
    }

    @inlinable
    mutating func nextPartitionAvoiding<R: RandomNumberGenerator>(_ old: Int?, using rng: inout R) -> Int {
        let available = availablePartitions
        if available.isEmpty { return Self.positiveRandom(&rng) % partitionCount }
        if available.count == 1 { return available[0] }
        while true {
            let p = available[Self.positiveRandom(&rng) % available.count]
            if p != old { return p }
        }
    }

    @inlinable
    mutating func nextAdaptivePartition<R: RandomNumberGenerator>(using rng: inout R) -> Int {
        let random = Self.positiveRandom(&rng)
        if cumulativeFrequency.isEmpty {
            if !availablePartitions.isEmpty { return availablePartitions[random % availablePartitions.count] }
            return random % partitionCount
        }
        let weighted = random % cumulativeFrequency[cumulativeFrequency.count - 1]
        // First index whose running sum is strictly greater than `weighted` (the table is ascending).
        var lo = 0
        var hi = cumulativeFrequency.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulativeFrequency[mid] > weighted { hi = mid } else { lo = mid + 1 }
        }
        return loadPartitionIDs[lo]
    }
}
