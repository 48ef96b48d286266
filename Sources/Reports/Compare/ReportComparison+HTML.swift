import SimCore

extension ReportComparison {
    /// The comparison as a self-contained page: both headers, the table of every figure
    /// with deltas (latency rows tinted when significantly worse or better), each latency
    /// distribution of A over B, and every time series both reports have, overlaid.
    public var html: String {
        var page = HTMLPage(title: "Compare \(a.name) with \(b.name) — capsim")
        page.heading(1, "Compare \(a.name) (A) with \(b.name) (B)")
        page.table(["", "A", "B"], [
            ["report", a.source, b.source], ["scenario", "\(a.name) (\(a.file))", "\(b.name) (\(b.file))"],
            ["seed", String(a.seed), String(b.seed)], ["replications", String(a.replications), String(b.replications)],
            ["simulated seconds", Report.num(a.simulatedSeconds), Report.num(b.simulatedSeconds)],
        ])
        page.paragraph(methodNote, className: "meta")

        // Distributions: the latency percentiles of A and B on one chart per metric.
        let cats = ReportCharts.distributionPoints.map(\.0)
        var dist: [LineChart] = []
        for metric in a.figures.metricNames(.latency) where b.figures.kind(of: metric) == .latency {
            let va = cats.map { a.figures.figure(metric, $0)?.value ?? .nan }, vb = cats.map { b.figures.figure(metric, $0)?.value ?? .nan }
            guard (a.figures.figure(metric, "count")?.value ?? 0) > 0 || (b.figures.figure(metric, "count")?.value ?? 0) > 0 else { continue }
            let top = (va + vb).filter(\.isFinite).max() ?? 0
            let unit = DisplayUnit.durationAxis(maxSeconds: top / 1000)
            let f = 1e-3 / unit.seconds
            dist.append(LineChart(title: "\(metric) distribution", xLabel: "percentile", yLabel: "\(metric) (\(unit.unit))", categories: cats,
                                  lines: [.init(name: "A: \(a.name)", points: va.enumerated().map { (Double($0), $1 * f) }, color: 0),
                                          .init(name: "B: \(b.name)", points: vb.enumerated().map { (Double($0), $1 * f) }, color: 1, dash: .dashed)]))
        }
        if !dist.isEmpty {
            page.heading(2, "Distributions")
            page.charts(dist)
        }

        // Time series both sides have, A solid and B dashed.
        var overlays: [LineChart] = []
        let span = (a.series + b.series).map { $0.seconds.last ?? 0 }.max() ?? 0
        let time = DisplayUnit.timeAxis(spanSeconds: span)
        for sa in a.series {
            guard let sb = b.series.first(where: { $0.name == sa.name }) else { continue }
            let axis = ValueAxis(units: [sa.unit, sb.unit], values: sa.values.map { (sa.unit, $0) } + sb.values.map { (sb.unit, $0) })
            overlays.append(LineChart(title: sa.name, xLabel: "simulated time (\(time.unit))", yLabel: axis.label(sa.name), lines: [
                .init(name: "A: \(a.name)", points: zip(sa.seconds, sa.values).map { ($0 / time.seconds, axis.convert($1, from: sa.unit)) }, color: 0),
                .init(name: "B: \(b.name)", points: zip(sb.seconds, sb.values).map { ($0 / time.seconds, axis.convert($1, from: sb.unit)) }, color: 1, dash: .dashed),
            ]))
        }
        if !overlays.isEmpty {
            page.heading(2, "Time series")
            page.charts(overlays)
        }

        page.heading(2, "Figures")
        page.table(["figure", "unit", "A", "B", "Δ", "Δ %", "significant"], rows.map { r in
            [r.label, r.unit, ReportComparison.value(r.a), ReportComparison.value(r.b), ReportComparison.signed(r.delta),
             r.relative.map { ReportComparison.signed($0 * 100) + " %" } ?? "—",
             ReportComparison.verdict(r).replacingOccurrences(of: "**", with: "")]
        }, numeric: [2, 3, 4, 5], rowClasses: rows.map { r in
            guard r.significance.isSignificant, r.higherIsWorse == true, let d = r.delta else { return nil }
            return d > 0 ? "worse" : "better"
        })
        return page.render()
    }
}
