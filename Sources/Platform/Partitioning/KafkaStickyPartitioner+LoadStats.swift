extension KafkaStickyPartitioner {
    /// KIP-794 `BuiltInPartitioner.updatePartitionLoadStats`: partitions with shorter queues get
    /// proportionally more of the next switches.
    ///
    /// - Parameters:
    ///   - queueSizes: queued batches per partition that has a leader (`RecordAccumulator.partitionReady`).
    ///   - partitionIDs: the partition of each entry of `queueSizes`.
    ///   - length: how many leading entries count (the Java caller shortens it to drop partitions whose
    ///     broker exceeded `partitioner.availability.timeout.ms`); defaults to all.
    ///
    /// As in Java: no stats (uniform choice) when `length < 1`, when fewer than 2 partitions have a
    /// leader, or when all queue sizes are equal and none was excluded. Otherwise, with
    /// `M = max(queueSizes[0..<length]) + 1`, the table is the running sum of `M - queueSizes[i]`:
    /// sizes `0 3 1` give `4 5 8`, so a random `r % 8` in 0...3 picks the first partition, 4 the
    /// second, 5...7 the third.
    /// - Complexity: O(length); reuses its storage.
    public mutating func updateLoadStats(queueSizes: [Int], partitionIDs: [Int], length: Int? = nil) {
        precondition(queueSizes.count == partitionIDs.count, "one partition id per queue size")
        let n = length ?? queueSizes.count
        precondition(n <= queueSizes.count)
        cumulativeFrequency.removeAll(keepingCapacity: true)
        loadPartitionIDs.removeAll(keepingCapacity: true)
        guard n >= 1, queueSizes.count >= 2 else { return }
        var maxPlus1 = queueSizes[0]
        var allEqual = true
        for i in 1..<n {
            if queueSizes[i] != maxPlus1 { allEqual = false }
            if queueSizes[i] > maxPlus1 { maxPlus1 = queueSizes[i] }
        }
        maxPlus1 += 1
        if allEqual && n == queueSizes.count { return }
        var sum = 0
        for i in 0..<n {
            sum += maxPlus1 - queueSizes[i]
            cumulativeFrequency.append(sum)
            loadPartitionIDs.append(partitionIDs[i])
        }
    }

    /// Drops the load stats (Java: `updatePartitionLoadStats(null, ...)`, or adaptive partitioning
    /// disabled): the next switches are uniform again.
    public mutating func clearLoadStats() {
        cumulativeFrequency.removeAll(keepingCapacity: true)
        loadPartitionIDs.removeAll(keepingCapacity: true)
    }

    /// The end of the random range when load stats are set (Java's test hook `loadStatsRangeEnd`).
    public var loadStatsRangeEnd: Int? { cumulativeFrequency.last }
}
