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
        page.paragraph("Scenario \(header.scenarioFile), model \(header.model), seed \(header.seed), "
                       + "\(header.replications) replication\(header.replications == 1 ? "" : "s"), "
                       + "\(DurationFormat.short(simulatedTime)) simulated (warm-up \(DurationFormat.short(warmup)) excluded), \(events) events."
                       + (header.replications > 1 ? " Charts show replication 0; tables give 95 % confidence half-widths across replications (±)." : ""),
                       className: "meta")

        let broken = invariants.filter { !$0.holds }
        if broken.isEmpty {
            page.element("p", [("class", "ok")], "All \(invariants.count) invariants hold.")
        } else {
            page.element("p", [("class", "bad")], "\(broken.count) invariant(s) violated: " + broken.map { "\($0.name) (\($0.detail))" }.joined(separator: "; "))
        }
        if !findings.isEmpty {
            page.heading(2, "Findings")
            page.table(["severity", "code", "message"], findings.map { [$0.severity, $0.code, $0.message] })
        }

        costs?.render(into: &page)

        let chartSeries = series.map { ChartSeries(name: $0.name, series: $0.series) }
        for section in ReportCharts.timeSections(chartSeries, counters: counters.map { ($0.name, $0.value) },
                                                  warmupSeconds: SimUnit.seconds(warmup)) {
            page.heading(2, section.title)
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
            ["scenario", header.scenarioName], ["file", header.scenarioFile], ["model", header.model],
            ["seed", String(header.seed)], ["replications", String(header.replications)],
            ["simulated seconds", Report.num6(SimUnit.seconds(simulatedTime))],
            ["warm-up seconds", Report.num6(SimUnit.seconds(warmup))], ["events", String(events)],
        ], numeric: [1])
        if !latencies.isEmpty {
            page.heading(3, "Latency (ms)")
            let stats = ["count", "mean", "min", "p50", "p90", "p95", "p99", "p99.9", "max"]
            page.table(["metric"] + stats, latencies.map { (name, s) in
                [name] + stats.map { st in
                    let v = st == "count" ? String(s.count) : Report.num6(s.value(st) ?? 0)
                    guard let ci = s.intervals.first(where: { $0.0 == st })?.1 else { return v }
                    return v + " ± " + Report.num6(ci.halfWidth)
                }
            }, numeric: Set(1...stats.count))
        }
        let lags = partitionLags
        if !lags.isEmpty {
            page.heading(3, "Kafka lag per partition (records, time-weighted)")
            page.table(Report.partitionLagHeaders, Report.partitionLagRows(lags, format: Report.num6), numeric: [1, 2])
        }
        let levels = levelGauges
        if !levels.isEmpty {
            page.heading(3, "Levels (time-weighted)")
            page.table(["metric", "mean", "max", "unit"], levels.map { g in
                [g.name, Report.num6(g.gauge.mean) + (g.interval.map { " ± " + Report.num6($0.halfWidth) } ?? ""), Report.num6(g.gauge.max), g.gauge.unit]
            }, numeric: [1, 2])
        }
        if !counters.isEmpty {
            page.heading(3, "Counters")
            page.table(["metric", "value"], counters.map { c in
                [c.name, Report.num6(c.value) + (c.interval.map { " ± " + Report.num6($0.halfWidth) } ?? "")]
            }, numeric: [1])
        }
        if !invariants.isEmpty {
            page.heading(3, "Invariants")
            page.table(["invariant", "holds", "detail"], invariants.map { [$0.name, $0.holds ? "yes" : "NO", $0.detail] },
                       rowClasses: invariants.map { $0.holds ? nil : "fail" })
        }
        page.details("Resolved scenario (as run)", preformatted: header.resolvedScenario.serialized(sortedKeys: true))
        return page.render()
    }
}
