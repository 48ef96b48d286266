/// Everything one run measured, by metric name: the hand-off from a model to the report.
///
/// Names are dotted (`station.server.wait`). Entries keep insertion order while the run
/// records; writers sort by name, so no hash order reaches an output.
public struct RunMetrics: Sendable {
    public struct Gauge: Sendable {
        public var mean: Double
        public var max: Double
        public var unit: String
        public init(mean: Double, max: Double, unit: String) { self.mean = mean; self.max = max; self.unit = unit }
    }

    /// A chart-ready series: interval start times (ns) and values.
    public struct Series: Sendable {
        public var unit: String
        public var times: [SimTime]
        public var values: [Double]
        public init(unit: String, times: [SimTime], values: [Double]) { self.unit = unit; self.times = times; self.values = values }
    }

    /// An incident on the time axis: a crash, a scale event, a rebalance, a failover.
    public struct Marker: Sendable, Equatable {
        public var time: SimTime
        /// `crash`, `scale`, `rebalance`, `failover`.
        public var kind: String
        public var label: String
        public init(time: SimTime, kind: String, label: String) { self.time = time; self.kind = kind; self.label = label }
    }

    public var latencies: [(name: String, histogram: LatencyHistogram)] = []
    /// Incidents in time order (bounded by the model).
    public var markers: [Marker] = []
    public var counters: [(name: String, value: Double)] = []
    public var gauges: [(name: String, gauge: Gauge)] = []
    public var series: [(name: String, series: Series)] = []
    /// Checks that must hold at the end of every run; a failed one fails the run.
    public var invariants: [(name: String, holds: Bool, detail: String)] = []
    /// Advisor findings: (severity, code, message).
    public var findings: [(severity: String, code: String, message: String)] = []
    public var eventsProcessed: UInt64 = 0
    public var simulatedTime: SimTime = 0
    public var warmupCut: SimTime = 0

    public init() {}

    public mutating func latency(_ name: String, _ h: LatencyHistogram) { latencies.append((name, h)) }
    public mutating func counter(_ name: String, _ v: Double) { counters.append((name, v)) }
    public mutating func gauge(_ name: String, mean: Double, max: Double, unit: String) { gauges.append((name, Gauge(mean: mean, max: max, unit: unit))) }
    public mutating func addSeries(_ name: String, unit: String, times: [SimTime], values: [Double]) {
        series.append((name, Series(unit: unit, times: times, values: values)))
    }
    public mutating func invariant(_ name: String, _ holds: Bool, _ detail: String) { invariants.append((name, holds, detail)) }

    public func histogram(_ name: String) -> LatencyHistogram? { latencies.first { $0.name == name }?.histogram }
    public func counterValue(_ name: String) -> Double? { counters.first { $0.name == name }?.value }
}
