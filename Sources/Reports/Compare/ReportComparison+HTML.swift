import SimCore

extension ReportComparison {
    /// The comparison as a self-contained page: both headers, the table of every figure
    /// with deltas (latency rows tinted when significantly worse or better), each latency
    /// distribution of A over B, and every time series both reports have, overlaid.
    public var html: String {
        var page = HTMLPage(title: "Compare \(a.name) with \(b.name) — capsim")
        page.heading(1, "Compare \(a.name) (A) with \(b.name) (B)")
        page.table(["", "A", "B"], headerRows)
        if let note = modelNote { page.element("p", [("class", "bad")], note) }
        page.heading(2, "Scenario differences", id: "scenario-diff")
        if scenarioDiff.isEmpty { page.paragraph("None: the same resolved scenario, seed and replications.") }
        else {
            page.table(["path", "A", "B", ""], scenarioDiff.changes.map { [$0.path, $0.a ?? "(absent)", $0.b ?? "(absent)", $0.blocking ? "figures not comparable" : ""] },
                       rowClasses: scenarioDiff.changes.map { $0.blocking ? "fail" : nil })
        }
        page.heading(2, method == "none" ? "Largest moves" : "Largest significant moves")
        let moves = largestMoves
        if moves.isEmpty { page.paragraph(method == "none" ? "No figure changed." : "No significant change.") }
        else { figureTable(&page, moves) }
        page.heading(2, "SLOs and findings")
        let slo = sloChanges
        if !slo.isEmpty {
            page.table(["SLO", "A", "B", ""], slo.map { [$0.name, $0.a, $0.b, $0.changed ? "changed" : ""] },
                       rowClasses: slo.map { $0.changed ? "worse" : nil })
        } else { page.paragraph("No SLOs in either report.") }
        let f = findingChanges
        if f.isEmpty { page.paragraph("Findings: the same kinds and counts on both sides.") }
        else { page.table(["finding", "A", "B"], f.map { ["\(FindingGuide.title($0.code)) (\($0.code))", String($0.a), String($0.b)] }, numeric: [1, 2]) }
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

        page.heading(2, "All figures")
        let changed = rows.filter { !isUnchanged($0) }, same = rows.filter { isUnchanged($0) }
        if changed.isEmpty { page.paragraph("No figure changed.") } else { figureTable(&page, changed) }
        if !same.isEmpty { page.folded("\(same.count) unchanged figures") { figureTable(&$0, same) } }
        return page.render()
    }

    func figureTable(_ page: inout HTMLPage, _ rs: [Row]) {
        page.table(["figure", "unit", "A", "B", "Δ", "Δ %", "significant"], rs.map { r in
            [r.label, r.unit, ReportComparison.value(r.a), ReportComparison.value(r.b), ReportComparison.signed(r.delta),
             ReportComparison.percent(r.relative), ReportComparison.verdict(r).replacingOccurrences(of: "**", with: "")]
        }, numeric: [2, 3, 4, 5], rowClasses: rs.map { r in
            guard r.significance.isSignificant, r.higherIsWorse == true, let d = r.delta else { return nil }
            return d > 0 ? "worse" : "better"
        })
    }
}
