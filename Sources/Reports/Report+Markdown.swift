import SimCore

extension Report {
    /// A readable summary, fit for a CI job summary.
    public var markdown: String {
        var out = "# \(header.scenarioName)\n\n"
        if !header.description.isEmpty { out += header.description + "\n\n" }
        out += "Scenario `\(header.scenarioFile)`, model \(header.model), seed \(header.seed), "
        out += "\(header.replications) replication\(header.replications == 1 ? "" : "s"), "
        out += "\(DurationFormat.short(simulatedTime)) simulated (warm-up \(DurationFormat.short(warmup)) excluded), \(events) events.\n\n"
        let broken = invariants.filter { !$0.holds }
        out += broken.isEmpty ? "All \(invariants.count) invariants hold.\n\n"
            : "**\(broken.count) invariant(s) violated:** " + broken.map { "\($0.name) (\($0.detail))" }.joined(separator: "; ") + "\n\n"
        if !findings.isEmpty {
            out += "## Findings\n\n"
            for f in findings { out += "- **\(f.severity)** `\(f.code)`: \(f.message)\n" }
            out += "\n"
        }
        if let costs { out += costs.markdown }
        if !latencies.isEmpty {
            out += "## Latency (ms)\n\n| metric | count | mean | p50 | p90 | p99 | p99.9 | max |\n|:--|--:|--:|--:|--:|--:|--:|--:|\n"
            for (name, s) in latencies {
                let ci = s.intervals.first { $0.0 == "mean" }.map { " ± " + Report.num($0.1.halfWidth) } ?? ""
                out += "| \(name) | \(s.count) | \(Report.num(s.mean))\(ci) | \(Report.num(s.p50)) | \(Report.num(s.p90)) | \(Report.num(s.p99)) | \(Report.num(s.p999)) | \(Report.num(s.max)) |\n"
            }
            out += "\n"
        }
        let lags = partitionLags
        if !lags.isEmpty {
            out += "## Kafka lag per partition (records, time-weighted)\n\n| " + Report.partitionLagHeaders.joined(separator: " | ") + " |\n|:--|--:|--:|--:|--:|:--|\n"
            for row in Report.partitionLagRows(lags, format: Report.num) { out += "| " + row.joined(separator: " | ") + " |\n" }
            out += "\n"
        }
        let levels = levelGauges
        if !levels.isEmpty {
            out += "## Levels (time-weighted)\n\n| metric | mean | max | unit |\n|:--|--:|--:|:--|\n"
            for g in levels {
                let ci = g.interval.map { " ± " + Report.num($0.halfWidth) } ?? ""
                out += "| \(g.name) | \(Report.num(g.gauge.mean))\(ci) | \(Report.num(g.gauge.max)) | \(g.gauge.unit) |\n"
            }
            out += "\n"
        }
        if !counters.isEmpty {
            out += "## Counters\n\n| metric | value |\n|:--|--:|\n"
            for c in counters {
                let ci = c.interval.map { " ± " + Report.num($0.halfWidth) } ?? ""
                out += "| \(c.name) | \(Report.num(c.value))\(ci) |\n"
            }
            out += "\n"
        }
        return out
    }

    /// A number for tables: 4 significant digits, no exponent.
    public static func num(_ x: Double) -> String {
        guard x.isFinite else { return "∞" }
        if x == x.rounded(), abs(x) >= 1000 { return String(Int64(x)) }
        return DurationFormat.significant(x, 4)
    }
}
