import SimCore

extension Report {
    /// A readable summary, fit for a CI job summary: the verdicts first (SLOs, findings by
    /// cause, what to change), then every figure.
    public var markdown: String {
        var out = "# \(header.scenarioName)\n\n"
        if !header.description.isEmpty { out += header.description + "\n\n" }
        out += "Scenario `\(header.scenarioFile)`, model \(header.model)\(versionText), seed \(header.seed), "
        out += "\(header.replications) replication\(header.replications == 1 ? "" : "s"), "
        out += "\(DurationFormat.short(simulatedTime)) simulated (warm-up \(DurationFormat.short(warmup)) excluded), \(events) events.\n\n"
        if !objectives.isEmpty {
            out += "## SLOs\n\n" + Report.mdTable(Report.sloHeaders, sloRows(), right: [1, 2, 3]) + "\n"
        }
        let broken = invariants.filter { !$0.holds }
        out += broken.isEmpty ? "All \(invariants.count) invariants hold.\n\n"
            : "**\(broken.count) invariant(s) violated:** " + broken.map { "\($0.name) (\($0.detail))" }.joined(separator: "; ") + "\n\n"
        out += incidentMarkdown
        let groups = findingGroups
        if !groups.isEmpty {
            out += "## Findings\n\n"
            for g in groups {
                out += "**\(g.title)** (\(g.severity), `\(g.code)`)\n\n"
                for f in g.findings { out += "- \(f.severity): \(f.message)\n" }
                out += "\n"
            }
        }
        let todo = advice
        if !todo.isEmpty {
            out += "## What to change\n\n"
            for a in todo { out += "- **\(a.title)**: \(a.advice)\n" }
            out += "\n"
        }
        if let costs { out += costs.markdown }
        out += stagesMarkdown
        if !latencies.isEmpty {
            out += "## Latency\n\n" + Report.mdTable(Report.latencyHeaders, latencyRows(Report.num), right: Set(2..<Report.latencyHeaders.count)) + "\n"
        }
        let lags = partitionLags
        if !lags.isEmpty {
            out += "## Kafka lag per partition (records, time-weighted)\n\n"
                + Report.mdTable(Report.partitionLagHeaders, Report.partitionLagRows(lags, format: Report.num), right: [1, 2]) + "\n"
        }
        if !levelGauges.isEmpty {
            out += "## Levels (time-weighted)\n\n" + Report.mdTable(["metric", "mean", "max", "unit"], levelRows(Report.num), right: [1, 2]) + "\n"
        }
        if !counters.isEmpty {
            out += "## Counters\n\n" + Report.mdTable(["metric", "value"], counterRows(Report.num), right: [1]) + "\n"
        }
        return out
    }

    /// `, capsim 0.2.0, model version 3` when known.
    var versionText: String {
        (header.capsimVersion.isEmpty ? "" : ", capsim \(header.capsimVersion)") + (header.modelVersion > 0 ? ", model version \(header.modelVersion)" : "")
    }

    static func mdTable(_ headers: [String], _ rows: [[String]], right: Set<Int> = []) -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var out = "| " + headers.map(cell).joined(separator: " | ") + " |\n"
        out += "|" + headers.indices.map { right.contains($0) ? "--:" : ":--" }.joined(separator: "|") + "|\n"
        for r in rows { out += "| " + r.map(cell).joined(separator: " | ") + " |\n" }
        return out
    }

    /// A number for tables: 4 significant digits, no exponent.
    public static func num(_ x: Double) -> String {
        guard x.isFinite else { return x.isNaN ? "—" : "∞" }
        if x == x.rounded(), abs(x) >= 1000 { return String(Int64(x)) }
        return DurationFormat.significant(x, 4)
    }
}
