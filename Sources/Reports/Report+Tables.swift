import SimCore

/// The rows of the report's tables, shared by Markdown and HTML: durations in the unit that
/// suits each metric, ratios in percent, names in natural order, no data as "—".
extension Report {
    public static let latencyHeaders = ["metric", "unit", "count", "mean", "p50", "p90", "p95", "p99", "p99.9", "max"]

    /// The display unit of a latency metric (by its p99, so a lone outlier does not turn a
    /// 10 ms metric into 0.01 s) and its size in ms.
    static func latencyUnit(_ s: LatencySummary) -> (unit: String, ms: Double) {
        guard s.count > 0 else { return ("ms", 1) }
        let d = DisplayUnit.durationAxis(maxSeconds: s.p99 / 1000)
        return (d.unit, d.seconds * 1000)
    }

    /// One latency row; `format` renders numbers, the mean carries its ± half-width.
    func latencyRows(_ format: (Double) -> String) -> [[String]] {
        NaturalOrder.sorted(latencies, by: \.name).map { (name, s) in
            let u = Report.latencyUnit(s)
            return [name, u.unit, String(s.count)] + ["mean", "p50", "p90", "p95", "p99", "p99.9", "max"].map { st in
                guard let v = s.value(st) else { return "—" }
                let ci = s.intervals.first { $0.0 == st }.map { " ± " + format($0.1.halfWidth / u.ms) } ?? ""
                return format(v / u.ms) + (st == "mean" ? ci : "")
            }
        }
    }

    /// Levels (time-weighted), CPU and other ratios in percent.
    func levelRows(_ format: (Double) -> String) -> [[String]] {
        NaturalOrder.sorted(levelGauges, by: \.name).map { g in
            let pct = g.gauge.unit == "ratio"
            let f = pct ? 100.0 : 1.0
            let ci = g.interval.map { " ± " + format($0.halfWidth * f) } ?? ""
            return [g.name, format(g.gauge.mean * f) + ci, format(g.gauge.max * f), pct ? "%" : g.gauge.unit]
        }
    }

    /// Counters in natural order (`db.shard.2` before `db.shard.10`); ratios in percent.
    func counterRows(_ format: (Double) -> String) -> [[String]] {
        NaturalOrder.sorted(counters.filter { !Report.isStageCounter($0.name) }, by: \.name).map { c in
            let pct = c.name.hasSuffix("_ratio") || c.name.contains(".hit_ratio") || c.name.hasSuffix("_share")
            let f = pct ? 100.0 : 1.0
            return [c.name, format(c.value * f) + (pct ? " %" : "") + (c.interval.map { " ± " + format($0.halfWidth * f) } ?? "")]
        }
    }
}
