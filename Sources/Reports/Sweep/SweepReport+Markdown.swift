extension SweepReport {
    /// The sweep as Markdown: parameters, knees, and the table of points.
    public var markdown: String {
        var out = "# Sweep of \(scenarioName)\n\n"
        out += "Scenario `\(scenarioFile)`, seed \(seed), \(replications) replication\(replications == 1 ? "" : "s") per point, \(points.count) points.\n\n"
        for a in axes { out += "- `\(a.path)`: \(a.values.joined(separator: ", "))\n" }
        if !objectives.isEmpty {
            out += "\n## SLOs across the sweep\n\n"
            for l in sloLimitLines { out += "**\(l)**\n\n" }
            let t = sloTable
            out += "| " + t.headers.map(SweepReport.cell).joined(separator: " | ") + " |\n"
            out += "|" + t.headers.indices.map { $0 < axes.count ? ":--" : "--:" }.joined(separator: "|") + "|\n"
            for r in t.rows { out += "| " + r.map(SweepReport.cell).joined(separator: " | ") + " |\n" }
        }
        out += "\n## Knees\n\n"
        let knees = kneeRows
        if knees.isEmpty {
            out += "No curve has a knee.\n\n"
        } else {
            out += "| figure | curve | knee at | value there |\n|:--|:--|:--|--:|\n"
            for r in knees { out += "| " + r.map(SweepReport.cell).joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        out += "## Points\n\n"
        let (headers, rows, _) = pointTable
        out += "| " + headers.map(SweepReport.cell).joined(separator: " | ") + " |\n"
        out += "|" + headers.indices.map { i in i > axes.count && i < headers.count - 3 ? "--:" : ":--" }.joined(separator: "|") + "|\n"
        for r in rows { out += "| " + r.map(SweepReport.cell).joined(separator: " | ") + " |\n" }
        return out
    }

    static func cell(_ s: String) -> String {
        var out = ""
        for c in s { out += c == "|" ? "\\|" : c == "\n" ? " " : String(c) }
        return out
    }
}
