import SimCore

/// Per-partition Kafka lag levels (`kafka.<topic>@<region>.partition.<p>.lag`), grouped by
/// topic for a compact section instead of one Levels row per partition.
extension Report {
    struct PartitionLag {
        var topic: String
        /// (partition, time-weighted mean lag, max lag), by partition number.
        var partitions: [(partition: Int, mean: Double, max: Double)]
    }

    /// The partition number of a per-partition lag gauge and its topic label, else nil.
    static func partitionLagName(_ name: String) -> (topic: String, partition: Int)? {
        guard name.hasPrefix("kafka."), name.hasSuffix(".lag"), let range = name.range(of: ".partition.", options: .backwards) else { return nil }
        let number = name[range.upperBound..<name.index(name.endIndex, offsetBy: -4)]
        guard let p = Int(number) else { return nil }
        return (String(name[name.index(name.startIndex, offsetBy: 6)..<range.lowerBound]), p)
    }

    /// Levels that are not per-partition lags (those go to `partitionLags`).
    var levelGauges: [(name: String, gauge: RunMetrics.Gauge, interval: ConfidenceInterval?)] {
        gauges.filter { Report.partitionLagName($0.name) == nil }
    }

    /// Per-partition lags grouped by topic, topics in name order.
    var partitionLags: [PartitionLag] {
        var groups: [PartitionLag] = []
        for g in gauges {
            guard let (topic, p) = Report.partitionLagName(g.name) else { continue }
            if groups.last?.topic != topic { groups.append(PartitionLag(topic: topic, partitions: [])) }
            groups[groups.count - 1].partitions.append((p, g.gauge.mean, g.gauge.max))
        }
        for i in groups.indices { groups[i].partitions.sort { $0.partition < $1.partition } }
        return groups.sorted { $0.topic < $1.topic }
    }

    /// One row per topic: partitions, mean over partitions, the busiest partition by mean,
    /// the largest lag, and every partition's mean lag in partition order.
    static func partitionLagRows(_ groups: [PartitionLag], format: (Double) -> String) -> [[String]] {
        groups.map { g in
            let meanOfMeans = g.partitions.map(\.mean).reduce(0, +) / Double(max(1, g.partitions.count))
            let busiest = g.partitions.max { $0.mean < $1.mean || ($0.mean == $1.mean && $0.partition > $1.partition) }
            let worst = g.partitions.max { $0.max < $1.max || ($0.max == $1.max && $0.partition > $1.partition) }
            return [g.topic, String(g.partitions.count), format(meanOfMeans),
                    busiest.map { "p\($0.partition): \(format($0.mean))" } ?? "",
                    worst.map { "p\($0.partition): \(format($0.max))" } ?? "",
                    g.partitions.map { format($0.mean) }.joined(separator: " ")]
        }
    }

    static let partitionLagHeaders = ["topic", "partitions", "mean lag", "busiest (mean)", "largest lag", "mean lag by partition"]
}
