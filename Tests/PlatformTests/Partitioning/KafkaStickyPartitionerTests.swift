import Testing
@testable import Platform

/// Ports of apache/kafka `clients/src/test/java/org/apache/kafka/clients/producer/internals/BuiltInPartitionerTest.java`
/// (KIP-794) with its sequential mock random, plus the KIP-480 `StickyPartitionCache` rules.
@Suite("Kafka sticky partitioner")
struct KafkaStickyPartitionerTests {
    /// testStickyPartitioning: sticky batch size 3 -> the partition switches after 3 one-byte records.
    @Test func switchesAfterStickyBatchSize() {
        var rng = PartitioningSequentialRandom()
        var a = KafkaStickyPartitioner(partitionCount: 3, strategy: .adaptive, stickyBatchSize: 3)
        let partA = a.partition(using: &rng)
        for _ in 0..<3 {
            #expect(a.partition(using: &rng) == partA)
            a.recordAppended(bytes: 1, using: &rng)
        }
        #expect(a.partition(using: &rng) != partA)
        var b = KafkaStickyPartitioner(partitionCount: 1, strategy: .adaptive, stickyBatchSize: 1)
        for _ in 0..<10 {
            #expect(b.partition(using: &rng) == 0)
            b.recordAppended(bytes: 1, using: &rng)
        }
    }

    /// unavailablePartitionsTest.
    @Test func unavailablePartitionsAreNotChosen() {
        var rng = PartitioningSplitMix(seed: 11)
        var a = KafkaStickyPartitioner(partitionCount: 3, strategy: .adaptive, stickyBatchSize: 1)
        a.setAvailablePartitions([0, 2])
        let partA = a.partition(using: &rng)
        a.recordAppended(bytes: 1, using: &rng)
        #expect(partA != 1)
        var foundAnother = false
        for _ in 0..<100 {
            let p = a.partition(using: &rng)
            a.recordAppended(bytes: 1, using: &rng)
            #expect(p != 1)
            foundAnother = foundAnother || p != partA
        }
        #expect(foundAnother)

        var b = KafkaStickyPartitioner(partitionCount: 2, strategy: .adaptive, stickyBatchSize: 1)
        b.setAvailablePartitions([1])
        for _ in 0..<100 {
            #expect(b.partition(using: &rng) == 1)
            b.recordAppended(bytes: 1, using: &rng)
        }
        var c = KafkaStickyPartitioner(partitionCount: 1, strategy: .adaptive, stickyBatchSize: 1)
        c.setAvailablePartitions([])
        #expect(c.partition(using: &rng) == 0)
        c.recordAppended(bytes: 1, using: &rng)
        #expect(c.partition(using: &rng) == 0)
    }

    /// adaptivePartitionsTest: queue sizes {5,0,3,0,1}, sequential random, 2 cycles of the table:
    /// each partition is chosen exactly 2 * (6 - queueSize) times.
    @Test func adaptiveFrequenciesAreReciprocalToQueueSizes() {
        var rng = PartitioningSequentialRandom()
        let queueSizes = [5, 0, 3, 0, 1]
        var p = KafkaStickyPartitioner(partitionCount: 5, strategy: .adaptive, stickyBatchSize: 1)
        p.updateLoadStats(queueSizes: queueSizes, partitionIDs: Array(0..<5))
        let cycles = 2
        let iterations = p.loadStatsRangeEnd! * cycles
        #expect(p.loadStatsRangeEnd == 21)
        var frequencies = [Int](repeating: 0, count: 5)
        for _ in 0..<iterations {
            frequencies[p.partition(using: &rng)] += 1
            p.recordAppended(bytes: 1, using: &rng)
        }
        #expect(frequencies == queueSizes.map { (6 - $0) * cycles })
    }

    /// The worked example of `updatePartitionLoadStats`' comment: sizes 0 3 1 -> table 4 5 8.
    @Test func cumulativeFrequencyTableExample() {
        var p = KafkaStickyPartitioner(partitionCount: 3, strategy: .adaptive, stickyBatchSize: 1)
        p.updateLoadStats(queueSizes: [0, 3, 1], partitionIDs: [0, 1, 2])
        #expect(p.loadStatsRangeEnd == 8)
        var rng = PartitioningSequentialRandom()
        var picks: [Int] = []
        for _ in 0..<8 {
            picks.append(p.partition(using: &rng))
            p.recordAppended(bytes: 1, using: &rng)
        }
        #expect(picks == [0, 0, 0, 0, 1, 2, 2, 2])
        p.updateLoadStats(queueSizes: [2, 2, 2], partitionIDs: [0, 1, 2])
        #expect(p.loadStatsRangeEnd == nil)  // all equal, nothing excluded: uniform
        p.updateLoadStats(queueSizes: [2, 2, 2], partitionIDs: [0, 1, 2], length: 2)
        #expect(p.loadStatsRangeEnd == 2)  // one excluded: adaptive over the remaining two
        p.updateLoadStats(queueSizes: [4], partitionIDs: [0])
        #expect(p.loadStatsRangeEnd == nil)  // fewer than 2 partitions
    }

    @Test func switchWaitsForFullBatchesUpToTwiceTheBatchSize() {
        var rng = PartitioningSequentialRandom()
        var p = KafkaStickyPartitioner(partitionCount: 4, strategy: .adaptive, stickyBatchSize: 100)
        #expect(p.partition(using: &rng) == 0)
        #expect(!p.recordAppended(bytes: 150, enableSwitch: false, using: &rng))
        #expect(p.producedBytes == 150)
        #expect(p.recordAppended(bytes: 50, enableSwitch: false, using: &rng))  // 200 = 2 * batch.size
        #expect(p.producedBytes == 0)
        #expect(p.partition(using: &rng) == 1)
        #expect(!p.recordAppended(bytes: 99, using: &rng))
        #expect(p.recordAppended(bytes: 1, using: &rng))
    }

    /// KIP-480: a new batch moves the sticky partition to a different available one; a stale
    /// `previousPartition` does not move it; one available partition is kept.
    @Test func newBatchStrategyNeverRepeats() {
        var rng = PartitioningSplitMix(seed: 5)
        var p = KafkaStickyPartitioner(partitionCount: 24, strategy: .newBatch)
        var seen = Set<Int>()
        var current = p.partition(using: &rng)
        for _ in 0..<10_000 {
            let next = p.onNewBatch(previousPartition: current, using: &rng)
            #expect(next != current)
            seen.insert(next)
            current = next
        }
        #expect(seen.count == 24)
        #expect(p.onNewBatch(previousPartition: (current + 1) % 24, using: &rng) == current)

        p.setAvailablePartitions([7])
        #expect(p.onNewBatch(previousPartition: current, using: &rng) == 7)
        #expect(p.onNewBatch(previousPartition: 7, using: &rng) == 7)
        p.setAvailablePartitions([])
        var seq = PartitioningSequentialRandom(counter: 29)
        #expect(p.onNewBatch(previousPartition: 7, using: &seq) == 29 % 24)
    }

    @Test func sameSeedSameSequence() {
        func run() -> [Int] {
            var rng = PartitioningSplitMix(seed: 42)
            var p = KafkaStickyPartitioner(partitionCount: 48, strategy: .adaptive)
            var out: [Int] = []
            for i in 0..<5_000 {
                out.append(p.partition(using: &rng))
                p.recordAppended(bytes: 300 + i % 7, enableSwitch: i % 3 != 0, using: &rng)
            }
            return out
        }
        #expect(run() == run())
    }
}
