import SimCore

/// Helpers every component's report part shares: series, deterministic means of a
/// distribution, and the number formats of the findings.
enum MetricsFormat {
    /// A bounded `TimeSeries` as a report series (each point's mean at its interval start).
    static func addSeries(_ m: inout RunMetrics, _ name: String, unit: String, _ series: TimeSeries) {
        m.addSeries(name, unit: unit, times: series.points.indices.map { series.time(ofPoint: $0) }, values: series.points.map(\.mean))
    }

    /// A level series as two report series: the per-interval time-weighted mean under
    /// `name` and the per-interval max (or min) under `name.max` (`name.min`).
    static func addLevels(_ m: inout RunMetrics, _ name: String, unit: String, _ series: inout GaugeSeries, at now: SimTime, extreme: String) {
        series.finish(at: now)
        let n = series.count
        let times = (0..<n).map { series.time(ofPoint: $0) }
        m.addSeries(name, unit: unit, times: times, values: (0..<n).map { series.mean(ofPoint: $0) })
        m.addSeries("\(name).\(extreme)", unit: unit, times: times, values: extreme == "max" ? series.maxima : series.minima)
    }

    /// An endpoint's latency p50 and p99 (ms) and throughput (completed per s) per interval;
    /// nothing when it served no request.
    static func addLatencySeries(_ m: inout RunMetrics, _ name: String, _ series: PercentileSeries?) {
        guard let series, series.count > 0 else { return }
        let times = (0..<series.count).map { series.time(ofPoint: $0) }
        guard (0..<series.count).contains(where: { series.samples(inPoint: $0) > 0 }) else { return }
        for (stat, p) in [("p50", 50.0), ("p99", 99.0)] {
            m.addSeries("\(name).latency.\(stat)", unit: "ms", times: times,
                        values: (0..<series.count).map { series.percentile(p, inPoint: $0).map { $0 / 1e6 } ?? .nan })
        }
        let seconds = SimUnit.seconds(series.interval)
        m.addSeries("\(name).throughput", unit: "per s", times: times, values: (0..<series.count).map { Double(series.samples(inPoint: $0)) / seconds })
    }

    /// The interval of the chart series for a run of `duration`: the smallest of 1, 2, 5,
    /// 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min, 1, 2, 6, 12 h that gives at most `points`
    /// intervals, so charts have enough points to show an incident and never too many.
    static func chartInterval(_ duration: SimTime, points: Int) -> SimTime {
        let s = SimUnit.second, mi = SimUnit.minute, h = SimUnit.hour
        for step in [s, 2 * s, 5 * s, 10 * s, 15 * s, 30 * s, mi, 2 * mi, 5 * mi, 10 * mi, 15 * mi, 30 * mi, h, 2 * h, 6 * h, 12 * h]
        where duration / step <= SimTime(points) { return step }
        return 24 * h
    }

    /// A distribution's mean, estimated from 20,000 draws of a fixed stream (deterministic).
    static func meanOf(_ d: Distribution) -> Double {
        if case .constant(let x) = d { return x }
        let stream = RandomStream(seed: 12345)
        var sum = 0.0
        for _ in 0..<20_000 { sum += d.sample(stream) }
        return sum / 20_000
    }

    static func ms(_ seconds: Double) -> String { fmt(seconds * 1000) + " ms" }
    static func fmt(_ x: Double) -> String { String(Double(Int((x * 100).rounded())) / 100) }
}
