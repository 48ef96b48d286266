import SimCore

/// The canonical result of running one scenario: what every output format is written from.
///
/// Latencies are in milliseconds. With several replications, each statistic carries a 95 %
/// confidence interval computed across replications (Student t), while the point values
/// come from the merged histogram of all replications.
public struct Report: Sendable {
    /// 2: a latency without samples writes its statistics as `null` (count 0), and the
    /// document carries `capsim_version`, `model_version` and the evaluated `slos`.
    public static let schemaVersion = 2

    public struct Header: Sendable {
        public var scenarioName: String
        public var scenarioFile: String
        public var description: String
        public var resolvedScenario: JSONValue
        public var seed: UInt64
        public var replications: Int
        /// The kind of model (`platform`, `queueing`).
        public var model: String
        /// The capsim release that wrote the report.
        public var capsimVersion: String
        /// The world model's behaviour version (bumped whenever the model's behaviour
        /// changes): two reports of different model versions differ by the model, not only
        /// by the change under test.
        public var modelVersion: Int
        public init(scenarioName: String, scenarioFile: String, description: String, resolvedScenario: JSONValue, seed: UInt64, replications: Int,
                    model: String, capsimVersion: String = "", modelVersion: Int = 0) {
            self.scenarioName = scenarioName; self.scenarioFile = scenarioFile; self.description = description
            self.resolvedScenario = resolvedScenario; self.seed = seed; self.replications = replications; self.model = model
            self.capsimVersion = capsimVersion; self.modelVersion = modelVersion
        }
    }

    /// Summary statistics of one latency metric, in milliseconds.
    public struct LatencySummary: Sendable {
        public var count: UInt64
        public var mean, min, p50, p90, p95, p99, p999, max: Double
        /// Per statistic name ("mean", "p99", ...), the 95 % CI across replications.
        public var intervals: [(String, ConfidenceInterval)]

        /// The statistic, nil when unknown or when there are no samples (no data).
        public func value(_ stat: String) -> Double? {
            if count == 0 && stat != "count" { return nil }
            switch stat {
            case "mean": return mean
            case "min": return min
            case "p50": return p50
            case "p90": return p90
            case "p95": return p95
            case "p99": return p99
            case "p99.9": return p999
            case "max": return max
            case "count": return Double(count)
            default: return nil
            }
        }
    }

    public var header: Header
    public var latencies: [(name: String, summary: LatencySummary)]
    public var counters: [(name: String, value: Double, interval: ConfidenceInterval?)]
    public var gauges: [(name: String, gauge: RunMetrics.Gauge, interval: ConfidenceInterval?)]
    /// Series of replication 0 (the charts show one realisation, not an average of several).
    public var series: [(name: String, series: RunMetrics.Series)]
    public var invariants: [(name: String, holds: Bool, detail: String)]
    public var findings: [(severity: String, code: String, message: String)]
    /// The scenario's SLOs resolved against this report (set by the caller, which knows the
    /// scenario); evaluated by `ResolvedObjective.evaluate`, the one place that decides.
    public var objectives: [ResolvedObjective] = []
    /// Incidents on the time axis (crashes, scale events, rebalances, failovers), replication 0.
    public var markers: [RunMetrics.Marker] = []
    public var simulatedTime: SimTime
    public var warmup: SimTime
    public var events: UInt64

    public static let latencyStats = ["mean", "p50", "p90", "p95", "p99", "p99.9", "max"]

    /// Builds the report from replications in index order.
    public init(header: Header, replications runs: [RunMetrics]) {
        precondition(!runs.isEmpty)
        self.header = header
        let first = runs[0]
        simulatedTime = first.simulatedTime
        warmup = first.warmupCut
        events = runs.reduce(0) { $0 + $1.eventsProcessed }
        series = first.series.sorted { $0.name < $1.name }
        invariants = runs.enumerated().flatMap { (i, r) in
            r.invariants.map { (runs.count > 1 ? "\($0.name)[rep \(i)]" : $0.name, $0.holds, $0.detail) }
        }
        findings = first.findings
        markers = first.markers

        let names = Report.unionNames(runs.map { $0.latencies.map(\.name) })
        latencies = names.map { name in
            var merged = LatencyHistogram()
            var perRep: [[Double]] = Array(repeating: [], count: Report.latencyStats.count)
            for r in runs {
                guard let h = r.histogram(name) else { continue }
                merged.merge(h)
                if h.count > 0 {
                    for (k, s) in Report.latencyStats.enumerated() { perRep[k].append(Report.stat(h, s)) }
                }
            }
            let ci: [(String, ConfidenceInterval)] = runs.count > 1
                ? Report.latencyStats.enumerated().compactMap { (k, s) in perRep[k].count > 1 ? (s, ConfidenceInterval(samples: perRep[k])) : nil }
                : []
            return (name, LatencySummary(count: merged.count, mean: ms(merged.mean), min: merged.count == 0 ? 0 : ms(Double(merged.min)),
                                         p50: Report.stat(merged, "p50"), p90: Report.stat(merged, "p90"), p95: Report.stat(merged, "p95"),
                                         p99: Report.stat(merged, "p99"), p999: Report.stat(merged, "p99.9"),
                                         max: merged.count == 0 ? 0 : ms(Double(merged.max)), intervals: ci))
        }
        let counterNames = Report.unionNames(runs.map { $0.counters.map(\.name) })
        counters = counterNames.map { name in
            let values = runs.compactMap { $0.counterValue(name) }
            let mean = values.reduce(0, +) / Double(max(1, values.count))
            return (name, mean, runs.count > 1 ? ConfidenceInterval(samples: values) : nil)
        }
        let gaugeNames = Report.unionNames(runs.map { $0.gauges.map(\.name) })
        gauges = gaugeNames.map { name in
            let gs = runs.compactMap { r in r.gauges.first { $0.name == name }?.gauge }
            let mean = gs.map(\.mean).reduce(0, +) / Double(max(1, gs.count))
            let mx = gs.map(\.max).max() ?? 0
            return (name, RunMetrics.Gauge(mean: mean, max: mx, unit: gs.first?.unit ?? ""),
                    runs.count > 1 ? ConfidenceInterval(samples: gs.map(\.mean)) : nil)
        }
    }

    /// Names in sorted order, from all replications (a metric may be absent from some).
    static func unionNames(_ lists: [[String]]) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for l in lists { for n in l where seen.insert(n).inserted { out.append(n) } }
        return out.sorted()
    }

    static func stat(_ h: LatencyHistogram, _ s: String) -> Double {
        switch s {
        case "mean": return ms(h.mean)
        case "max": return ms(Double(h.max))
        case "p50": return ms(h.percentile(50))
        case "p90": return ms(h.percentile(90))
        case "p95": return ms(h.percentile(95))
        case "p99": return ms(h.percentile(99))
        case "p99.9": return ms(h.percentile(99.9))
        default: return 0
        }
    }

    public func latency(_ name: String) -> LatencySummary? { latencies.first { $0.name == name }?.summary }
    public func counter(_ name: String) -> Double? { counters.first { $0.name == name }?.value }
    public var invariantsHold: Bool { invariants.allSatisfy(\.holds) }
}

/// Nanoseconds to milliseconds.
@inline(__always) func ms(_ ns: Double) -> Double { ns / 1e6 }
