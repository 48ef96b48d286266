import SimCore

extension Report {
    /// The report people look at: one self-contained page with the charts of every series
    /// the model recorded (by the `SeriesCatalog` naming convention), the latency
    /// distributions, and tables of every figure in report.json. No wall-clock values, no
    /// hash order: the page is a function of the report alone.
    public var html: String {
        var page = HTMLPage(title: "\(header.scenarioName) — capsim report")
        page.heading(1, header.scenarioName)
        if !header.description.isEmpty { page.paragraph(header.description) }
        page.paragraph("Scenario \(header.scenarioFile), model \(header.model)\(versionText), seed \(header.seed), "
                       + "\(header.replications) replication\(header.replications == 1 ? "" : "s"), "
                       + "\(DurationFormat.short(simulatedTime)) simulated (warm-up \(DurationFormat.short(warmup)) excluded), \(events) events."
                       + (header.replications > 1 ? " Charts show replication 0; tables give 95 % confidence half-widths across replications (±)." : ""),
                       className: "meta")

        let evaluations = sloEvaluations()
        if !evaluations.isEmpty {
            let failed = evaluations.filter { !$0.evaluation.passed }.count
            page.heading(2, failed == 0 ? "SLOs: all \(evaluations.count) met" : "SLOs: \(failed) of \(evaluations.count) not met", id: "slos")
            page.table(Report.sloHeaders, sloRows(), numeric: [1, 2, 3],
                       rowClasses: evaluations.map { $0.evaluation.passed ? "pass" : "fail" })
        }
        let broken = invariants.filter { !$0.holds }
        if broken.isEmpty {
            page.element("p", [("class", "ok")], "All \(invariants.count) invariants hold.")
        } else {
            page.element("p", [("class", "bad")], "\(broken.count) invariant(s) violated: " + broken.map { "\($0.name) (\($0.detail))" }.joined(separator: "; "))
        }
        renderIncidents(into: &page)
        let groups = findingGroups
        if !groups.isEmpty {
            page.heading(2, "Findings", id: "findings")
            for g in groups {
                page.heading(3, "\(g.title) (\(g.severity), \(g.code))")
                page.table(["severity", "finding"], g.findings.map { [$0.severity, $0.message] },
                           rowClasses: g.findings.map { $0.severity == "error" ? "fail" : nil })
            }
        }
        let todo = advice
        if !todo.isEmpty {
            page.heading(2, "What to change", id: "advice")
            page.table(["cause", "change"], todo.map { [$0.title, $0.advice] })
        }

        costs?.render(into: &page)
        renderStages(into: &page)

        let chartSeries = series.map { ChartSeries(name: $0.name, series: $0.series) }
        for section in ReportCharts.timeSections(chartSeries, counters: counters.map { ($0.name, $0.value) },
                                                  warmupSeconds: SimUnit.seconds(warmup), objectives: objectives,
                                                  markers: markers, resolved: header.resolvedScenario) {
            page.heading(2, section.title, id: Report.slug(section.title))
            page.charts(section.charts)
        }
        let dist = ReportCharts.distributionCharts(latencies)
        if !dist.isEmpty {
            page.heading(2, "Distributions")
            page.paragraph("Latency at each percentile over the whole run (all replications merged).", className: "meta")
            page.charts(dist)
        }

        page.heading(2, "Figures")
        page.table(["run", "value"], [
            ["scenario", header.scenarioName], ["file", header.scenarioFile], ["model", header.model], ["capsim version", header.capsimVersion], ["model version", String(header.modelVersion)],
            ["seed", String(header.seed)], ["replications", String(header.replications)],
            ["simulated seconds", Report.num6(SimUnit.seconds(simulatedTime))],
            ["warm-up seconds", Report.num6(SimUnit.seconds(warmup))], ["events", String(events)],
        ], numeric: [1])
        if !latencies.isEmpty {
            page.heading(3, "Latency")
            page.table(Report.latencyHeaders, latencyRows(Report.num6), numeric: Set(2..<Report.latencyHeaders.count))
        }
        let lags = partitionLags
        if !lags.isEmpty {
            page.heading(3, "Kafka lag per partition (records, time-weighted)")
            page.table(Report.partitionLagHeaders, Report.partitionLagRows(lags, format: Report.num6), numeric: [1, 2])
        }
        if !levelGauges.isEmpty {
            page.heading(3, "Levels (time-weighted)")
            page.table(["metric", "mean", "max", "unit"], levelRows(Report.num6), numeric: [1, 2])
        }
        if !counters.isEmpty {
            page.heading(3, "Counters")
            page.table(["metric", "value"], counterRows(Report.num6), numeric: [1])
        }
        if !invariants.isEmpty {
            page.heading(3, "Invariants")
            page.table(["invariant", "holds", "detail"], invariants.map { [$0.name, $0.holds ? "yes" : "NO", $0.detail] },
                       rowClasses: invariants.map { $0.holds ? nil : "fail" })
        }
        page.details("Resolved scenario (as run)", preformatted: header.resolvedScenario.serialized(sortedKeys: true))
        return page.render()
    }

    /// `Kafka lag` → `kafka-lag`: section anchors for links into the page.
    static func slug(_ s: String) -> String {
        var out = ""
        for c in s.lowercased() { out += c.isLetter || c.isNumber ? String(c) : (out.hasSuffix("-") ? "" : "-") }
        return out
    }
}
