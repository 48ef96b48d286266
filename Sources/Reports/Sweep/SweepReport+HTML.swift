import SimCore

extension SweepReport {
    /// The value text of the first parameter at a curve's knee.
    func kneeValue(_ c: Curve) -> String? {
        guard let k = c.knee, let first = axes.first else { return nil }
        return first.values[points[c.points[k.index]].indices[0]]
    }

    /// Every figure against the first parameter, knees marked, SLO limits drawn.
    public func charts() -> [LineChart] {
        guard let first = axes.first else { return [] }
        let categories = first.numeric == nil ? first.values : nil
        var charts: [LineChart] = []
        var done: [String] = []
        let ordered = chartedFigures.filter { isSLOMetric($0.metric) } + chartedFigures.filter { !isSLOMetric($0.metric) && !$0.metric.contains(".partition.") }
        for (metric, _, kind) in ordered where !done.contains(metric) {
            done.append(metric)
            let stats = kind == .latency ? ["p99", "p50"].filter { s in chartedFigures.contains { $0.metric == metric && $0.stat == s } }
                : [kind == .gauge ? "mean" : "value"]
            let unit = points.lazy.compactMap { $0.figures.figure(metric, stats[0])?.unit }.first ?? ""
            let all = stats.flatMap { s in curves(metric, s) }
            let axis = ValueAxis(units: [unit], values: all.flatMap { $0.ys.map { (unit, $0) } })
            var lines: [LineChart.Line] = []
            var marks: [LineChart.Mark] = []
            for (si, s) in stats.enumerated() {
                for (ci, c) in curves(metric, s).enumerated() {
                    let name = (kind == .latency ? s : metric) + (c.label.isEmpty ? "" : " · " + c.label)
                    lines.append(.init(name: name, points: zip(c.xs, c.ys).map { ($0, axis.convert($1, from: unit)) },
                                       color: ci, dash: si == 0 ? .solid : .dashed))
                    if si == 0, let k = c.knee, let v = kneeValue(c) {
                        marks.append(.init(x: k.x, y: axis.convert(k.y, from: unit), label: "knee \(v)", color: ci))
                    }
                }
            }
            let title = kind == .latency ? "\(metric) vs \(first.path)" : "\(metric)\(kind == .gauge ? " (mean)" : "") vs \(first.path)"
            var chart = LineChart(title: title, xLabel: first.label, yLabel: axis.label(metric), categories: categories, lines: lines)
            chart.marks = marks
            for o in objectives where o.metric == metric && stats.contains(o.stat) {
                let shown = axis.convert(o.limit, from: o.unit)
                chart.rules.append(.init(value: shown, label: "SLO \(o.stat) \(o.isMax ? "≤" : "≥") \(Report.num(shown))\(axis.unitLabel.isEmpty ? "" : " " + axis.unitLabel)"))
            }
            chart.includeZero = kind != .counter || all.allSatisfy { $0.ys.allSatisfy { !$0.isFinite || $0 >= 0 } }
            charts.append(chart)
        }
        return charts
    }

    /// The combined sweep page: parameters, knees, charts, and a table of every point.
    public var html: String {
        var page = HTMLPage(title: "Sweep of \(scenarioName) — capsim")
        page.heading(1, "Sweep of \(scenarioName)")
        page.paragraph("Scenario \(scenarioFile), seed \(seed), \(replications) replication\(replications == 1 ? "" : "s") per point, \(points.count) points. "
                       + "Each point is a run with the overrides below; its full report is in its folder.", className: "meta")
        page.table(["parameter", "values"], axes.map { [$0.path, $0.values.joined(separator: ", ")] })
        if !objectives.isEmpty {
            page.heading(2, "SLOs across the sweep", id: "slos")
            for l in sloLimitLines { page.element("p", [("class", "verdict")], l) }
            let t = sloTable
            page.table(t.headers, t.rows, numeric: Set(axes.count..<t.headers.count), rowClasses: t.classes)
        }
        let knees = kneeRows
        page.heading(2, "Knees")
        page.paragraph("The knee of a curve is the swept value where it departs most from the straight line joining its ends "
                       + "(both axes scaled to [0, 1]; at least 10 % of the range away, else the curve is nearly straight and has none). "
                       + "A curve whose whole change is under \(Report.num(KneeDetector.minimumRelativeChange * 100)) % of its level, "
                       + "or within twice its replications' 95 % interval, is noise and has no knee. Listed: the SLO metrics and each latency p99.",
                       className: "meta")
        if knees.isEmpty { page.paragraph("No curve has a knee.") }
        else { page.table(["figure", "curve", "knee at", "value there"], knees, numeric: [3]) }
        page.heading(2, "Charts")
        page.charts(charts())
        page.heading(2, "Points")
        let (headers, rows, classes) = pointTable
        page.table(headers, rows, numeric: Set(axes.count + 1..<(headers.count - 3)), rowClasses: classes)
        return page.render()
    }

    /// (figure, curve, knee at, value) for every curve with a knee.
    var kneeRows: [[String]] {
        kneeFigures.flatMap { f in
            curves(f.metric, f.stat).compactMap { c -> [String]? in
                guard let k = c.knee, let v = kneeValue(c) else { return nil }
                let unit = points.lazy.compactMap { $0.figures.figure(f.metric, f.stat)?.unit }.first ?? ""
                return [f.kind == .counter ? f.metric : "\(f.metric) \(f.stat)", c.label.isEmpty ? "—" : c.label,
                        "\(axes[0].path)=\(v)", Report.num(k.y) + (unit.isEmpty ? "" : " " + unit)]
            }
        }
    }

    /// Latency metrics shown as table columns (p99 each), at most eight.
    var tableMetrics: [String] {
        var out: [String] = []
        for f in chartedFigures where f.kind == .latency && f.stat == "p99" && !out.contains(f.metric) { out.append(f.metric) }
        return Array(out.prefix(8))
    }

    /// Headers, rows and row classes of the point table.
    var pointTable: ([String], [[String]], [String?]) {
        let metrics = tableMetrics
        let headers = ["#"] + axes.map(\.path) + metrics.map { "\($0) p99 (ms)" } + ["SLOs", "invariants", "report"]
        var rows: [[String]] = []
        var classes: [String?] = []
        for (i, p) in points.enumerated() {
            let failed = p.checks.filter { !$0.passed }
            let slo = p.checks.isEmpty ? "—" : failed.isEmpty ? "all \(p.checks.count) pass" : "\(failed.count) of \(p.checks.count) fail: " + failed.map(\.name).joined(separator: ", ")
            rows.append([String(i)] + zip(axes, p.indices).map { $0.values[$1] }
                        + metrics.map { m in p.figures.figure(m, "p99").map { Report.num($0.value) } ?? "—" }
                        + [slo, p.invariantsHold ? "hold" : "VIOLATED", p.folder])
            classes.append(!failed.isEmpty || !p.invariantsHold ? "fail" : nil)
        }
        return (headers, rows, classes)
    }
}
