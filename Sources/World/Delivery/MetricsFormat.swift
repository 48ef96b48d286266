import SimCore

/// Helpers every component's report part shares: series, deterministic means of a
/// distribution, and the number formats of the findings.
enum MetricsFormat {
    /// A bounded `TimeSeries` as a report series (each point's mean at its interval start).
    static func addSeries(_ m: inout RunMetrics, _ name: String, unit: String, _ series: TimeSeries) {
        m.addSeries(name, unit: unit, times: series.points.indices.map { series.time(ofPoint: $0) }, values: series.points.map(\.mean))
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
