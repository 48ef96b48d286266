import SimCore

extension PlanReport {
    /// Cost against demand (cheapest plan and the scenario as written), and one chart per
    /// SLO: its bound against demand for both, with the limit and the headroom drawn.
    public func charts() -> [LineChart] {
        var charts: [LineChart] = []
        let x = "peak-hour demand (\(demandUnit))"
        func headroomRule(_ chart: inout LineChart) {
            if let d = headroom.demand { chart.rules.append(.init(value: d, label: "headroom \(Report.num(d))", vertical: true)) }
        }
        let feasible = levels.filter(\.feasible)
        if feasible.contains(where: { $0.answer.costPerHour.isFinite }) {
            var cost = LineChart(title: "Cost per hour vs demand", xLabel: x, yLabel: "\(currency) per hour", lines: [
                .init(name: "cheapest plan", points: feasible.map { ($0.demand, $0.answer.costPerHour) }, color: 0),
                .init(name: "scenario as written", points: levels.map { ($0.demand, $0.current.costPerHour) }, color: 1, dash: .dashed),
            ])
            headroomRule(&cost)
            charts.append(cost)
            var perOrder = LineChart(title: "Cost per delivered order vs demand", xLabel: x, yLabel: "\(currency) per order", lines: [
                .init(name: "cheapest plan", points: feasible.map { ($0.demand, $0.answer.costPerOrder) }, color: 0),
                .init(name: "scenario as written", points: levels.map { ($0.demand, $0.current.costPerOrder) }, color: 1, dash: .dashed),
            ])
            headroomRule(&perOrder)
            charts.append(perOrder)
        }
        for (i, name) in sloNames.enumerated() {
            let unit = levels.first?.answer.margins[i].unit ?? ""
            var chart = LineChart(title: "\(name) (upper bound) vs demand", xLabel: x, yLabel: unit.isEmpty ? name : "\(name) (\(unit))", lines: [
                .init(name: "cheapest plan", points: feasible.map { ($0.demand, $0.answer.margins[i].bound) }, color: 0),
                .init(name: "scenario as written", points: levels.map { ($0.demand, $0.current.margins[i].bound) }, color: 1, dash: .dashed),
            ])
            if let m = levels.first?.answer.margins[i] {
                chart.rules.append(.init(value: m.limit, label: "SLO \(m.isMax ? "≤" : "≥") \(Report.num(m.limit))\(unit.isEmpty ? "" : " " + unit)"))
            }
            headroomRule(&chart)
            charts.append(chart)
        }
        return charts.filter(\.hasData)
    }

    /// plan.html: one self-contained page (inline SVG, nothing loaded from the network).
    public var html: String {
        var page = HTMLPage(title: "Capacity plan: \(scenarioName) — capsim")
        page.heading(1, "Capacity plan: \(scenarioName)")
        page.paragraph("Scenario \(scenarioFile), model \(model), seed \(seed), \(replications) replication\(replications == 1 ? "" : "s") per configuration "
                       + "(common random numbers). An SLO holds when its \(Report.num(confidence * 100)) % one-sided confidence bound across "
                       + "replications is within the limit. Demand: \(demandNote).", className: "meta")
        page.paragraph(headroomLine)
        page.paragraph(searchLine, className: "meta")
        page.heading(2, "Per demand level")
        page.table(levelHeaders, levelRows, numeric: [0, 2, 3], rowClasses: levels.map { $0.feasible ? nil : "fail" })
        page.charts(charts())
        if !sensitivity.isEmpty {
            page.heading(2, "Sensitivity to the scenario's assumptions")
            page.paragraph("At \(Report.num(sensitivityBase ?? 0)) \(demandUnit), each input at ±25 %, largest effect first.", className: "meta")
            page.table(sensitivityHeaders, sensitivityRows, numeric: [2])
        }
        if !notes.isEmpty {
            page.heading(2, "Notes")
            for n in notes { page.paragraph(n) }
        }
        return page.render()
    }
}
