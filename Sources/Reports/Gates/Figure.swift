import SimCore

/// One number of a report, addressed by metric and statistic: the unit the gates, the
/// comparisons and the sweeps work in.
///
/// Figures are read from the canonical JSON (`Report.json`, or a report.json on disk), so a
/// candidate computed in memory and a baseline read from a file carry exactly the same
/// rounding, and an unchanged model compares equal to the last digit.
public struct Figure: Sendable, Equatable {
    public enum Kind: String, Sendable, Comparable {
        case latency, gauge, counter
        var rank: Int { self == .latency ? 0 : self == .gauge ? 1 : 2 }
        public static func < (a: Kind, b: Kind) -> Bool { a.rank < b.rank }
    }

    /// A 95 % confidence interval across replications, as report.json stores it.
    public struct Interval: Sendable, Equatable {
        public var low: Double, high: Double, halfWidth: Double
        public var n: Int
        public var mean: Double { (low + high) / 2 }
        public init(low: Double, high: Double, halfWidth: Double, n: Int) { self.low = low; self.high = high; self.halfWidth = halfWidth; self.n = n }
    }

    public var metric: String
    /// `count mean min p50 p90 p95 p99 p99.9 max` for latencies, `mean max` for gauges,
    /// `value` for counters.
    public var stat: String
    public var kind: Kind
    /// `ms` for latency statistics (none for their count), the gauge's unit, none for counters.
    public var unit: String
    public var value: Double
    public var interval: Interval?

    public init(metric: String, stat: String, kind: Kind, unit: String, value: Double, interval: Interval? = nil) {
        self.metric = metric; self.stat = stat; self.kind = kind; self.unit = unit; self.value = value; self.interval = interval
    }

    /// Equal figures; two "no data" (NaN) values are equal, so a report read back from its
    /// JSON equals the one in memory.
    public static func == (a: Figure, b: Figure) -> Bool {
        a.metric == b.metric && a.stat == b.stat && a.kind == b.kind && a.unit == b.unit && a.interval == b.interval
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }

    /// `server.wait p99`, or just the name for a counter.
    public var label: String { kind == .counter ? metric : "\(metric) \(stat)" }

    /// The value with its unit for messages: `3108 ms`.
    public func formatted(_ v: Double? = nil) -> String {
        let x = Report.num(v ?? value)
        return unit.isEmpty ? x : "\(x) \(unit)"
    }

    /// The order of statistics within a metric, as the tables list them.
    public static let latencyStats = ["count", "mean", "min", "p50", "p90", "p95", "p99", "p99.9", "max"]
    static func statRank(_ kind: Kind, _ stat: String) -> Int {
        switch kind {
        case .latency: return latencyStats.firstIndex(of: stat) ?? 99
        case .gauge: return stat == "mean" ? 0 : 1
        case .counter: return 0
        }
    }
}
