import SimCore

extension PlanReport {
    /// Column headers of the level table (also the CSV's, with one margin column per SLO).
    var sloNames: [String] { levels.first?.answer.margins.map(\.name) ?? [] }

    func money(_ x: Double) -> String { x.isFinite ? "\(Report.num(x)) \(currency)" : "—" }

    /// One row per demand level: what the plan needs, its cost, what limits it, each SLO's margin.
    var levelRows: [[String]] {
        levels.map { l in
            let what: String
            if !l.feasible {
                what = "infeasible: " + l.answer.margins.filter { !$0.holds }.map(PlanReport.describe).joined(separator: "; ")
            } else {
                what = l.limitingResource ?? "none (all at their smallest value)"
            }
            return [Report.num(l.demand), l.feasible ? configuration(l.values) : "> " + configuration(l.values),
                    l.feasible ? money(l.answer.costPerHour) : "—", l.feasible ? money(l.answer.costPerOrder) : "—", what]
                + l.answer.margins.map { $0.margin.isFinite ? Report.num($0.margin * 100) + " %" : "no value" }
                + [l.current.holds ? "holds" : "fails (\(l.current.binding.map { $0.name } ?? "?"))"]
                + [l.fallback == nil ? "" : "local grid"]
        }
    }

    var levelHeaders: [String] {
        ["demand (\(demandUnit))", "cheapest configuration", "cost/h", "cost/order", "limiting resource"]
            + sloNames.map { "margin \($0)" } + ["scenario as written", "note"]
    }

    var headroomLine: String {
        let current = zip(resources, currentValues).map { r, v in "\(r.label)=\(v.map(String.init) ?? "as configured")" }.joined(separator: ", ")
        var s = "Scenario as written (\(current)): "
        if let d = headroom.demand { s += "sustains up to \(Report.num(d)) \(demandUnit)" } else { s += "fails already at the smallest level" }
        if let f = headroom.failsAt {
            s += "; at \(Report.num(f)) \(demandUnit) \(headroom.failingSLO ?? "an SLO") fails first"
            if !headroom.failingResources.isEmpty { s += ", and the plan needs more \(headroom.failingResources.joined(separator: " and "))" }
        } else {
            s += " (every level tried)"
        }
        return s + "."
    }

    var searchLine: String {
        "The search took \(runs) simulation runs (\(replications) replication\(replications == 1 ? "" : "s") each, levels and headroom; "
            + "sensitivity included); a full grid of the \(levels.count) levels × "
            + resources.map { String($0.values.count) }.joined(separator: " × ") + " configurations would take \(fullGridRuns)."
    }

    var sensitivityHeaders: [String] { ["input", "factor", "cost/order", "configuration", "limiting resource", "binding SLO"] }
    var sensitivityRows: [[String]] {
        sensitivity.map { s in
            [s.input, "×\(Report.num(s.factor))", s.feasible ? money(s.costPerOrder) : "infeasible",
             (s.feasible ? "" : "> ") + configuration(s.values), s.limitingResource ?? "—", s.bindingSLO ?? "—"]
        }
    }

    /// The text `capsim plan` prints: the level table, headroom and run count.
    public var summary: String {
        var out = "\(scenarioName): capacity plan over \(resources.map(\.path).joined(separator: ", ")) (\(demandNote))\n"
        out += PlanReport.textTable(levelHeaders.dropLast(), levelRows.map { Array($0.dropLast()) }) + "\n"
        for l in levels where l.fallback != nil { out += "  at \(Report.num(l.demand)): \(l.fallback!)\n" }
        out += headroomLine + "\n" + searchLine + "\n"
        if !sensitivity.isEmpty {
            out += "Sensitivity at \(Report.num(sensitivityBase ?? 0)) \(demandUnit) (largest effect first):\n"
            out += PlanReport.textTable(sensitivityHeaders, sensitivityRows) + "\n"
        }
        return out
    }

    /// Fixed-width columns for a terminal.
    static func textTable<S: Sequence>(_ headers: S, _ rows: [[String]]) -> String where S.Element == String {
        let h = Array(headers)
        var widths = h.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            "  " + cells.enumerated().map { i, c in c + String(repeating: " ", count: max(0, widths[i] - c.count)) }.joined(separator: "  ")
        }
        return ([line(h)] + rows.map(line)).joined(separator: "\n")
    }

    /// plan.md.
    public var markdown: String {
        var out = "# Capacity plan: \(scenarioName)\n\n"
        out += "Scenario `\(scenarioFile)`, model \(model), seed \(seed), \(replications) replication\(replications == 1 ? "" : "s") per configuration "
        out += "(common random numbers). An SLO holds when its \(Report.num(confidence * 100)) % one-sided confidence bound across replications "
        out += "is within the limit (the point value with one replication). Demand: \(demandNote).\n\n"
        if !currency.isEmpty { out += "Costs in \(currency).\n\n" }
        out += "| " + levelHeaders.joined(separator: " | ") + " |\n|" + levelHeaders.map { _ in "--|" }.joined() + "\n"
        for r in levelRows { out += "| " + r.joined(separator: " | ") + " |\n" }
        out += "\n" + headroomLine + "\n\n" + searchLine + "\n\n"
        for l in levels where l.fallback != nil { out += "- At \(Report.num(l.demand)) \(demandUnit): \(l.fallback!)\n" }
        for l in levels where l.feasible && l.limitingResource != nil {
            if let b = l.belowLimit, let m = b.binding {
                out += "- At \(Report.num(l.demand)) \(demandUnit): one step less of \(l.limitingResource!) fails — \(PlanReport.describe(m)).\n"
            }
        }
        if !sensitivity.isEmpty {
            out += "\n## Sensitivity to the scenario's assumptions\n\nAt \(Report.num(sensitivityBase ?? 0)) \(demandUnit), each input at ±25 %, largest effect first.\n\n"
            out += "| " + sensitivityHeaders.joined(separator: " | ") + " |\n|" + sensitivityHeaders.map { _ in "--|" }.joined() + "\n"
            for r in sensitivityRows { out += "| " + r.joined(separator: " | ") + " |\n" }
        }
        if !notes.isEmpty { out += "\n## Notes\n\n" + notes.map { "- " + $0 }.joined(separator: "\n") + "\n" }
        return out
    }

    /// plan.csv: one row per level.
    public var csv: String {
        func cell(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var header = ["demand_per_hour", "feasible"] + resources.map(\.path) + ["cost_per_hour", "cost_per_order", "limiting_resource"]
        header += sloNames.flatMap { ["\($0) bound", "\($0) margin"] } + ["scenario_as_written_holds", "monotonicity_fallback"]
        var out = header.map(cell).joined(separator: ",") + "\n"
        for l in levels {
            var row = [Report.num6(l.demand), l.feasible ? "true" : "false"] + l.values.map(String.init)
            row += [Report.num6(l.answer.costPerHour), Report.num6(l.answer.costPerOrder), l.limitingResource ?? ""]
            row += l.answer.margins.flatMap { [Report.num6($0.bound), Report.num6($0.margin)] }
            row += [l.current.holds ? "true" : "false", l.fallback ?? ""]
            out += row.map(cell).joined(separator: ",") + "\n"
        }
        return out
    }
}
