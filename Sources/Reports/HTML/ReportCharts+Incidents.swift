import SimCore

extension ReportCharts {
    /// Pods of one service over time, a colour per region: pods (per-interval max, solid) and
    /// ready pods (per-interval min, dashed), so a crash shows as a dip of the ready line
    /// and a scale-out as a step of the pods line even between samples. The legend carries
    /// each region's extremes (labels on the plot overprinted each other); the configured
    /// min and max are drawn as reference lines.
    static func replicaChart(_ service: String, _ items: [(region: String?, variant: String, s: ChartSeries)], xLabel: String,
                             x: (Double) -> Double, counters: [(name: String, value: Double)], resolved: JSONValue,
                             rules: [LineChart.Rule], events: [LineChart.Event], fromX: Double = -.infinity) -> LineChart {
        // Extremes in the legend count from the warm-up: the pods start at zero.
        func measured(_ s: ChartSeries) -> [Double] { zip(s.seconds, s.values).filter { x($0.0) >= fromX && $0.1.isFinite }.map(\.1) }
        let regions = ValueAxis.unique(items.map { $0.region ?? "" }).sorted(by: NaturalOrder.less)
        var lines: [LineChart.Line] = []
        for (k, r) in regions.enumerated() {
            let mine = items.filter { ($0.region ?? "") == r }
            // Prefer the per-interval extremes; older reports have only the means.
            let pods = mine.first { $0.variant == "max" } ?? mine.first { $0.variant == "total" }
            let ready = mine.first { $0.variant == "ready_min" } ?? mine.first { $0.variant == "ready" }
            let name = r.isEmpty ? service : r
            if let p = pods {
                let hi = measured(p.s).max().map { " (max \(Report.num($0)))" } ?? ""
                lines.append(.init(name: "\(name) pods\(hi)", points: zip(p.s.seconds, p.s.values).map { (x($0), $1) }, color: k))
            }
            if let q = ready {
                let lo = measured(q.s).min().map { " (min \(Report.num($0)))" } ?? ""
                lines.append(.init(name: "\(name) ready\(lo)", points: zip(q.s.seconds, q.s.values).map { (x($0), $1) }, color: k, dash: .dashed))
            }
        }
        var chart = LineChart(title: "\(service) replicas", xLabel: xLabel, yLabel: "replicas", lines: lines)
        for (key, suffix, label) in [("min", "min_replicas", "configured min"), ("max", "max_replicas", "configured max")] {
            let v = resolved["services"]?[service]?[key]?.doubleValue ?? counters.first { $0.name == "\(service).\(suffix)" }?.value
            if let v { chart.rules.append(.init(value: v, label: "\(label) \(Report.num(v))")) }
        }
        chart.rules += rules
        chart.events = events
        return chart
    }

    /// Consumer lag per topic: the time-weighted mean per interval (solid) and the largest
    /// lag within each interval (dotted), so a spike between samples reaches the chart: its
    /// highest point is the levels table's max.
    static func kafkaLagCharts(_ items: [(topic: String, variant: String, s: ChartSeries)], xLabel: String, x: (Double) -> Double,
                               rules: [LineChart.Rule], events: [LineChart.Event]) -> [LineChart] {
        let topics = ValueAxis.unique(items.map(\.topic)).sorted(by: NaturalOrder.less)
        let perChart = linesPerChart / 2
        return stride(from: 0, to: topics.count, by: perChart).map { start in
            let chunk = Array(topics[start..<min(topics.count, start + perChart)])
            var lines: [LineChart.Line] = []
            for (k, t) in chunk.enumerated() {
                for variant in ["mean", "max"] {
                    guard let s = items.first(where: { $0.topic == t && $0.variant == variant })?.s else { continue }
                    let peak = variant == "max" ? s.values.filter(\.isFinite).max().map { " (peak \(Report.num($0)))" } ?? "" : ""
                    lines.append(.init(name: "\(t) \(variant)\(peak)", points: zip(s.seconds, s.values).map { (x($0), $1) },
                                       color: k, dash: variant == "max" ? .dotted : .solid))
                }
            }
            let suffix = topics.count > perChart ? " (\(start / perChart + 1) of \((topics.count + perChart - 1) / perChart))" : ""
            let unit = items.first { chunk.contains($0.topic) }?.s.unit ?? ""
            var chart = LineChart(title: "Kafka consumer lag" + suffix, xLabel: xLabel, yLabel: unit.isEmpty ? "lag" : "lag (\(unit))", lines: lines)
            chart.rules = rules
            chart.events = events
            return chart
        }
    }
}

extension LineChart {
    /// An incident on the time axis (a crash, a scale event, a rebalance, a failover): a
    /// tick at the top of the plot and a faint line down, its text on hover, so many of them
    /// never overprint.
    public struct Event: Sendable {
        public var x: Double
        public var kind: String
        public var label: String
        public init(x: Double, kind: String, label: String) { self.x = x; self.kind = kind; self.label = label }

        /// Events at the same x and of the same kind become one, their labels joined; at most
        /// `limit` are kept (the first ones), so a chart stays legible.
        static func grouped(_ raw: [(x: Double, kind: String, label: String)], limit: Int = 60) -> [Event] {
            var out: [Event] = []
            for e in raw {
                if let i = out.firstIndex(where: { $0.kind == e.kind && abs($0.x - e.x) < 1e-9 }) { out[i].label += "; " + e.label }
                else { out.append(Event(x: e.x, kind: e.kind, label: e.label)) }
            }
            return Array(out.prefix(limit))
        }

        static func color(_ kind: String) -> String {
            switch kind {
            case "crash": return "#b22222"
            case "failover": return "#6a3d9a"
            case "rebalance": return "#E69F00"
            default: return "#777777"
            }
        }
    }
}
