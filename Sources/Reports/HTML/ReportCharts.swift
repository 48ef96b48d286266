import SimCore

/// Turns what a report holds into charts, by the naming convention of `SeriesCatalog`:
/// whatever series exist are charted, in a fixed order of sections, so the platform's
/// metrics appear as soon as the model records them under those names.
public enum ReportCharts {
    public struct Section: Sendable {
        public var title: String
        public var charts: [LineChart]
    }

    /// Most lines one chart carries before it is split, so the legend stays readable.
    static let linesPerChart = 8

    /// The time-series sections, in reading order. `counters` supply configured replica
    /// bounds (`<service>.min_replicas`, `<service>.max_replicas`) when the resolved scenario
    /// has none (`services.<service>.min`/`max`); `warmupSeconds` > 0 draws the warm-up cut on
    /// every time chart; `objectives` draw SLO lines on the charts of their metric; `markers`
    /// (crashes, scale events, rebalances, failovers) are drawn as ticks on the charts they
    /// concern.
    public static func timeSections(_ series: [ChartSeries], counters: [(name: String, value: Double)] = [],
                                     warmupSeconds: Double = 0, objectives: [ResolvedObjective] = [],
                                     markers: [RunMetrics.Marker] = [], resolved: JSONValue = .null) -> [Section] {
        let span = series.map { $0.seconds.last ?? 0 }.max() ?? 0
        let time = DisplayUnit.timeAxis(spanSeconds: span)
        let xLabel = "simulated time (\(time.unit))"
        func x(_ s: Double) -> Double { s / time.seconds }
        let warmupRule = warmupSeconds > 0 ? [LineChart.Rule(value: x(warmupSeconds), label: "warm-up", vertical: true)] : []
        func events(_ keep: (RunMetrics.Marker) -> Bool) -> [LineChart.Event] {
            LineChart.Event.grouped(markers.filter(keep).map { (x(SimUnit.seconds($0.time)), $0.kind, $0.label) })
        }

        var statistic: [(key: String, items: [(region: String?, stat: String, s: ChartSeries)])] = []
        var replicas: [(key: String, items: [(region: String?, variant: String, s: ChartSeries)])] = []
        var throughput: [(key: String, items: [(region: String?, s: ChartSeries)])] = []
        var cpu: [ChartSeries] = [], kafka: [(String, String, ChartSeries)] = [], cache: [(String, ChartSeries)] = []
        var queues: [(String, ChartSeries)] = [], other: [ChartSeries] = []
        for s in series where !s.values.isEmpty {
            switch SeriesCatalog.role(of: s.name) {
            case .statistic(let metric, let region, let stat):
                if let i = statistic.firstIndex(where: { $0.key == metric }) { statistic[i].items.append((region, stat, s)) }
                else { statistic.append((metric, [(region, stat, s)])) }
            case .replicas(let service, let region, let variant):
                if let i = replicas.firstIndex(where: { $0.key == service }) { replicas[i].items.append((region, variant, s)) }
                else { replicas.append((service, [(region, variant, s)])) }
            case .throughput(let metric, let region):
                if let i = throughput.firstIndex(where: { $0.key == metric }) { throughput[i].items.append((region, s)) }
                else { throughput.append((metric, [(region, s)])) }
            case .cpu: cpu.append(s)
            case .kafkaLag(let topic, let variant): kafka.append((topic, variant, s))
            case .cacheHitRatio(let tier): cache.append((tier, s))
            case .queueLength(let station): queues.append((station, s))
            case .other: other.append(s)
            }
        }
        let incidents = events { $0.kind != "scale" }

        var sections: [Section] = []
        // Latency (and any other statistic) over time: one chart per metric, SLO lines drawn.
        var statCharts: [LineChart] = []
        for group in statistic {
            let items = group.items.sorted { a, b in
                if (a.region ?? "") != (b.region ?? "") { return NaturalOrder.less(a.region ?? "", b.region ?? "") }
                return order(a.stat) < order(b.stat)
            }
            let regions = ValueAxis.unique(items.map { $0.region ?? "" })
            let stats = ValueAxis.unique(items.map(\.stat))
            let slos = objectives.filter { o in
                let (m, _) = SeriesCatalog.splitRegion(o.metric)
                return m == group.key && stats.contains(o.stat)
            }
            var values = items.flatMap { i in i.s.values.map { (i.s.unit, $0) } }
            values += slos.map { ($0.unit, $0.limit) }
            let axis = ValueAxis(units: items.map(\.s.unit), values: values)
            let lines = items.map { i -> LineChart.Line in
                let r = regions.firstIndex(of: i.region ?? "") ?? 0
                let name = i.region.map { "\($0) \(i.stat)" } ?? i.stat
                let color = regions.count > 1 ? r : (stats.firstIndex(of: i.stat) ?? 0)
                let dash: LineChart.Dash = regions.count > 1 ? (i.stat == "p99" ? .solid : i.stat == "p50" ? .dashed : .dotted) : .solid
                return LineChart.Line(name: name, points: zip(i.s.seconds, i.s.values).map { (x($0), axis.convert($1, from: i.s.unit)) },
                                      color: color, dash: dash)
            }
            var chart = LineChart(title: "\(group.key) over time", xLabel: xLabel, yLabel: axis.label(group.key), lines: lines)
            chart.rules = warmupRule
            // One line per distinct limit; regions sharing a limit share its label.
            var limits: [(value: Double, stat: String, isMax: Bool, text: String, regions: [String])] = []
            for o in slos {
                let region = SeriesCatalog.splitRegion(o.metric).region ?? ""
                let v = axis.convert(o.limit, from: o.unit)
                if let i = limits.firstIndex(where: { $0.value == v && $0.stat == o.stat && $0.isMax == o.isMax }) { limits[i].regions.append(region) }
                else { limits.append((v, o.stat, o.isMax, o.formatted(o.limit), [region])) }
            }
            for l in limits {
                let who = l.regions.filter { !$0.isEmpty }.joined(separator: ", ")
                chart.rules.append(.init(value: l.value, label: "SLO\(who.isEmpty ? "" : " " + who) \(l.stat) \(l.isMax ? "≤" : "≥") \(l.text)"))
            }
            chart.events = incidents
            statCharts.append(chart)
        }
        if !statCharts.isEmpty { sections.append(Section(title: "Latency and waits over time", charts: statCharts)) }

        // Throughput: completed requests per second, one chart per endpoint.
        let tputCharts = throughput.map { group -> LineChart in
            let items = group.items.sorted { NaturalOrder.less($0.region ?? "", $1.region ?? "") }
            var chart = LineChart(title: "\(group.key) throughput", xLabel: xLabel, yLabel: "completed per s",
                                  lines: items.enumerated().map { (k, i) in
                                      LineChart.Line(name: i.region ?? group.key, points: zip(i.s.seconds, i.s.values).map { (x($0), $1) }, color: k)
                                  })
            chart.rules = warmupRule
            chart.events = incidents
            return chart
        }
        if !tputCharts.isEmpty { sections.append(Section(title: "Throughput over time", charts: tputCharts)) }

        let replicaCharts = replicas.map { group in
            replicaChart(group.key, group.items, xLabel: xLabel, x: x, counters: counters, resolved: resolved,
                         rules: warmupRule, events: events { $0.label.contains(group.key) }, fromX: warmupSeconds > 0 ? x(warmupSeconds) : -.infinity)
        }
        if !replicaCharts.isEmpty { sections.append(Section(title: "Replicas", charts: replicaCharts)) }

        func combined(_ title: String, _ what: String, _ items: [(String, ChartSeries)]) -> [LineChart] {
            stride(from: 0, to: items.count, by: linesPerChart).map { start in
                let chunk = Array(items[start..<min(items.count, start + linesPerChart)])
                let axis = ValueAxis(units: chunk.map(\.1.unit), values: chunk.flatMap { c in c.1.values.map { (c.1.unit, $0) } })
                let suffix = items.count > linesPerChart ? " (\(start / linesPerChart + 1) of \((items.count + linesPerChart - 1) / linesPerChart))" : ""
                var chart = LineChart(title: title + suffix, xLabel: xLabel, yLabel: axis.label(what),
                                      lines: chunk.enumerated().map { (k, c) in
                                          LineChart.Line(name: c.0, points: zip(c.1.seconds, c.1.values).map { (x($0), axis.convert($1, from: c.1.unit)) }, color: k)
                                      })
                chart.rules = warmupRule
                return chart
            }
        }
        let cpuCharts = combined("CPU utilisation", "CPU", NaturalOrder.sorted(cpu, by: \.name).map { ($0.name.hasSuffix(".cpu") ? String($0.name.dropLast(4)) : $0.name, $0) })
        if !cpuCharts.isEmpty { sections.append(Section(title: "CPU utilisation", charts: cpuCharts)) }
        let lagCharts = kafkaLagCharts(kafka, xLabel: xLabel, x: x, rules: warmupRule,
                                       events: events { $0.kind == "rebalance" || $0.kind == "crash" })
        if !lagCharts.isEmpty { sections.append(Section(title: "Kafka lag", charts: lagCharts)) }
        let cacheCharts = combined("Cache hit ratio", "hit ratio", cache)
        if !cacheCharts.isEmpty { sections.append(Section(title: "Cache hit ratio", charts: cacheCharts)) }
        let queueCharts = combined("Queue length", "queue length", queues)
        if !queueCharts.isEmpty { sections.append(Section(title: "Queues", charts: queueCharts)) }

        let otherCharts = other.map { s -> LineChart in
            let axis = ValueAxis(units: [s.unit], values: s.values.map { (s.unit, $0) })
            var chart = LineChart(title: s.name, xLabel: xLabel, yLabel: axis.label(s.name),
                                  lines: [.init(name: s.name, points: zip(s.seconds, s.values).map { (x($0), axis.convert($1, from: s.unit)) }, color: 0)])
            chart.rules = warmupRule
            chart.includeZero = s.values.allSatisfy { $0 >= 0 }
            return chart
        }
        if !otherCharts.isEmpty { sections.append(Section(title: "Other series", charts: otherCharts)) }
        return sections
    }

    /// Percentile labels of a distribution chart, and the statistic each shows.
    public static let distributionPoints = [("min", "min"), ("p50", "p50"), ("p90", "p90"), ("p95", "p95"), ("p99", "p99"), ("p99.9", "p99.9"), ("max", "max")]

    /// One chart per latency metric (regions of the same metric together): the latency at
    /// each percentile, so the tail reads at a glance. Click-to-door comes first.
    public static func distributionCharts(_ latencies: [(name: String, summary: Report.LatencySummary)]) -> [LineChart] {
        var groups: [(key: String, items: [(region: String?, s: Report.LatencySummary)])] = []
        for (name, s) in latencies where s.count > 0 {
            let (metric, region) = SeriesCatalog.splitRegion(name)
            if let i = groups.firstIndex(where: { $0.key == metric }) { groups[i].items.append((region, s)) }
            else { groups.append((metric, [(region, s)])) }
        }
        let ordered = groups.filter { $0.key.contains("click_to_door") } + groups.filter { !$0.key.contains("click_to_door") }
        return ordered.flatMap { group -> [LineChart] in
            let items = group.items.sorted { ($0.region ?? "") < ($1.region ?? "") }
            let maxSeconds = items.map { $0.s.max / 1000 }.max() ?? 0
            let unit = DisplayUnit.durationAxis(maxSeconds: maxSeconds)
            let f = 1e-3 / unit.seconds
            let cats = distributionPoints.map(\.0)
            return stride(from: 0, to: items.count, by: linesPerChart).map { start in
                let chunk = Array(items[start..<min(items.count, start + linesPerChart)])
                var chart = LineChart(title: "\(group.key) distribution", xLabel: "percentile", yLabel: "\(group.key) (\(unit.unit))",
                                      categories: cats,
                                      lines: chunk.enumerated().map { (k, i) in
                                          LineChart.Line(name: i.region ?? group.key,
                                                         points: distributionPoints.enumerated().map { (j, p) in (Double(j), (i.s.value(p.1) ?? .nan) * f) },
                                                         color: k)
                                      })
                if chunk.count == 1 { chart.rules = [.init(value: chunk[0].s.mean * f, label: "mean \(Report.num(chunk[0].s.mean * f)) \(unit.unit)")] }
                return chart
            }
        }
    }

    static func order(_ stat: String) -> Int { SeriesCatalog.statisticOrder.firstIndex(of: stat) ?? 99 }

    /// The first smallest (or largest) finite value and its time.
    static func extreme(_ s: ChartSeries, smallest: Bool) -> (t: Double, v: Double)? {
        var best: (Double, Double)?
        for (t, v) in zip(s.seconds, s.values) where v.isFinite {
            if let b = best { if smallest ? v < b.1 : v > b.1 { best = (t, v) } } else { best = (t, v) }
        }
        return best
    }
}
