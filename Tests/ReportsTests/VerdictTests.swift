import Reports
import SimCore
import Testing

/// Issue 15: no data never passes a gate, verdicts lead the report, names sort as people
/// count, knees need more than noise, a comparison leads with what differs.
@Suite struct VerdictTests {
    /// A report with `click_to_door` without samples (no order delivered after the warm-up)
    /// and `place_order@us_west.latency` with samples, plus shard counters.
    static func report(objectives: Bool = true) throws -> Report {
        var m = RunMetrics()
        m.latency("click_to_door", LatencyHistogram())
        m.latency("place_order@us_west.latency", SyntheticReports.histogram(100, spread: 5, n: 2000, seed: 3))
        for i in [10, 2, 1] { m.counter("db.shard.\(i).writes", Double(100 + i)) }
        m.findings = [("info", "over_provisioned", "menu_service@us_east averaged 3% CPU"),
                      ("error", "slo_at_risk", "place_order@us_west p99 107 ms exceeds the region's latency target 50 ms"),
                      ("error", "cross_region_writes", "place_order@us_west: every order write crosses to the primary database in us_east and pays the 65 ms round trip")]
        var r = Report(header: SyntheticReports.header, replications: [m])
        let t = FigureTable(report: r)
        if objectives {
            r.objectives = [
                try Objective(name: "ctd", metric: "click_to_door", stat: "p99", max: .duration(nanoseconds: 60e9)).resolve(in: t),
                try Objective(name: "po", metric: "place_order.latency", stat: "p99", max: .duration(nanoseconds: 50e6), region: "us_west").resolve(in: t),
            ]
        }
        return r
    }

    /// Today `click_to_door p99 = 0 ms` passed `max: 1min`. No samples is no data: null in
    /// report.json with count 0, NaN when read back, and the SLO fails saying why.
    @Test func noDataFailsTheSLOEverywhere() throws {
        let r = try Self.report()
        let j = r.json
        #expect(j["latency_ms"]?["click_to_door"]?["count"] == .integer(0))
        #expect(j["latency_ms"]?["click_to_door"]?["p99"] == .null)
        #expect(j["latency_ms"]?["click_to_door"]?["mean"] == .null)
        #expect(j["schema_version"] == .integer(2))

        // Read back from the file text, as check and baseline do.
        let back = FigureTable(json: try JSONValue.parse(j.serialized(sortedKeys: true)))
        let p99 = try #require(back.figure("click_to_door", "p99"))
        #expect(p99.value.isNaN)
        let o = r.objectives[0]
        let e = o.evaluate(back)
        #expect(e.verdict == .noData)
        #expect(!e.passed)
        let c = o.check(back, scenario: "s")
        #expect(!c.passed)
        #expect(c.message.contains("no data"), "\(c.message)")
        #expect(c.message.contains("no samples after the warm-up"), "\(c.message)")

        // The report's SLO section: figure "no data", verdict "no data".
        let slo = try #require(j["slos"]?.arrayValue?.first { $0["name"] == .string("ctd") })
        #expect(slo["verdict"] == .string("no data"))
        #expect(slo["value"] == .null)
        // Tables show "—", never 0.
        let md = r.markdown
        let row = try #require(md.split(separator: "\n").first { $0.hasPrefix("| click_to_door |") })
        #expect(row.contains("| 0 | — | — |"), "\(row)")
        #expect(!r.summaryCSV.contains("click_to_door,latency_ms,p99,0\n"))
    }

    /// A baseline check on a figure without data fails (it passed when both were "no value").
    @Test func baselineOnNoDataFails() throws {
        let t = FigureTable(report: try Self.report())
        let gate = BaselineGate(tolerance: 0.05)
        let checks = gate.exact(scenario: "s", candidate: t, baseline: t, targets: [.init(metric: "click_to_door", stat: "p99", higherIsWorse: true)])
        #expect(checks.count == 1)
        #expect(checks[0].passed == false)
        #expect(checks[0].message.contains("no data in either run"), "\(checks[0].message)")
    }

    /// Verdicts first: the SLO table before the findings, failures before passes, errors
    /// before the info lines, the failure's cause (the cross-region write) named beside it.
    @Test func verdictsLeadTheReportWithTheirCause() throws {
        let r = try Self.report()
        let md = r.markdown
        let slos = try #require(md.range(of: "## SLOs"))
        let findings = try #require(md.range(of: "## Findings"))
        let latency = try #require(md.range(of: "## Latency"))
        #expect(slos.lowerBound < findings.lowerBound && findings.lowerBound < latency.lowerBound)
        let rows = r.sloRows()
        #expect(rows.map { $0[4] } == ["fail", "no data"] || rows.map { $0[4] } == ["no data", "fail"])
        let po = try #require(rows.first { $0[0] == "place_order@us_west.latency p99" })
        #expect(po[5].contains("round trip"), "\(po)")
        // Groups: errors first, the cause (cross-region writes) before the symptom, info last.
        #expect(r.findingGroups.map(\.code) == ["cross_region_writes", "slo_at_risk", "over_provisioned"])
        let html = r.html
        let h = try #require(html.range(of: "id=\"slos\""))
        let f = try #require(html.range(of: "id=\"findings\""))
        #expect(h.lowerBound < f.lowerBound)
    }

    /// Counters sort as people count: db.shard.2 before db.shard.10.
    @Test func countersInNumericOrder() throws {
        let md = try Self.report().markdown
        let i1 = try #require(md.range(of: "| db.shard.1.writes |")), i2 = try #require(md.range(of: "| db.shard.2.writes |"))
        let i10 = try #require(md.range(of: "| db.shard.10.writes |"))
        #expect(i1.lowerBound < i2.lowerBound && i2.lowerBound < i10.lowerBound)
        #expect(NaturalOrder.less("db.shard.2", "db.shard.10"))
        #expect(!NaturalOrder.less("db.shard.10", "db.shard.2"))
        #expect(NaturalOrder.less("a", "b") && NaturalOrder.less("p9", "p10") && NaturalOrder.less("x.09", "x.10"))
        #expect(!NaturalOrder.less("same", "same"))
    }

    /// Durations in their unit, ratios in percent.
    @Test func readableUnits() {
        #expect(DisplayUnit.readable(1_442_782, unit: "ms") == "24.05 min")
        #expect(DisplayUnit.readable(107, unit: "ms") == "107 ms")
        #expect(DisplayUnit.readable(0.734, unit: "ratio") == "73.4 %")
    }

    /// p99 reading 11.17, 11.21, 11.19, 11.23 ms across the sweep is flat: no knee (it got
    /// "knee 16000/h" from the jitter).
    @Test func flatSeriesHasNoKnee() {
        let x = [4000.0, 8000, 12000, 16000]
        #expect(KneeDetector.knee(x: x, y: [11.17, 11.21, 11.19, 11.23]) == nil)
        // A hockey stick keeps its knee.
        let k = KneeDetector.knee(x: [1, 2, 3, 4, 5], y: [10, 11, 12, 40, 200])
        #expect(k?.x == 4)
        // A bend of 4 ms is real with ±0.1 ms intervals, noise with ±2.5 ms.
        let y = [10.0, 10.2, 10.4, 14]
        #expect(KneeDetector.knee(x: x, y: y, halfWidths: [0.1, 0.1, 0.1, 0.1])?.x == 12000)
        #expect(KneeDetector.knee(x: x, y: y, halfWidths: [2.5, 2.5, 2.5, 2.5]) == nil)
    }

    static func snapshot(duration: String, seed: Int64, modelVersion: Int, p99: Double) -> ReportSnapshot {
        let json = JSONValue.object([
            ("schema_version", .integer(2)), ("model_version", .integer(Int64(modelVersion))),
            ("latency_ms", .object([("place_order@us_west.latency", .object([("count", .integer(100)), ("p99", .number(p99))]))])),
            ("counters", .object([("orders.placed", .integer(100))])), ("gauges", .object([])),
            ("scenario", .object([("name", .string("s")), ("file", .string("s.yaml")),
                                  ("resolved", .object([("duration", .string(duration)), ("warmup", .string("10m")),
                                                        ("regions", .object([("us_west", .object([("latency_target", .string("50ms"))]))]))]))])),
            ("run", .object([("seed", .integer(seed)), ("replications", .integer(1)), ("simulated_seconds", .integer(900))])),
        ])
        return ReportSnapshot(json: json, source: duration)
    }

    /// Compare leads with the scenario diff (a 1 h candidate against a 15 min baseline is
    /// flagged as not comparable), then the moves; unchanged rows are folded.
    @Test func compareLeadsWithTheScenarioDiff() throws {
        let a = Self.snapshot(duration: "15min", seed: 1, modelVersion: 1, p99: 10)
        let b = Self.snapshot(duration: "1h", seed: 1, modelVersion: 2, p99: 134.2)
        let c = ReportComparison(a: a, b: b)
        #expect(c.scenarioDiff.blocking.map(\.path) == ["duration"])
        let md = c.markdown
        let firstSection = try #require(md.split(separator: "\n").first { $0.hasPrefix("## ") })
        #expect(firstSection == "## Scenario differences")
        #expect(md.contains("duration: 15min → 1h (figures not comparable)"))
        #expect(try #require(md.range(of: "## Scenario differences")).lowerBound < (try #require(md.range(of: "## Largest moves"))).lowerBound)
        #expect(md.contains("<details><summary>2 unchanged figures</summary>"))
        #expect(c.modelNote?.contains("different models") == true)
        #expect(ReportComparison.percent(12.42) == "+1242 %")
        #expect(ReportComparison.percent(0.0312) == "+3.1 %")
        #expect(ReportComparison.percent(-0.00123) == "−0.12 %")

        let same = ReportComparison(a: a, b: Self.snapshot(duration: "15min", seed: 1, modelVersion: 1, p99: 11))
        #expect(same.scenarioDiff.isEmpty)
        #expect(same.modelNote == nil)
        // Seed and replications differ: blocking too.
        let seeds = ScenarioDiff(a: .null, b: .null, seedA: 1, seedB: 2, replicationsA: 1, replicationsB: 3)
        #expect(seeds.blocking.map(\.path) == ["run.seed", "run.replications"])
    }

    /// report.json says which capsim and which model wrote it.
    @Test func reportCarriesVersions() throws {
        var h = SyntheticReports.header
        h.capsimVersion = "9.9.9"
        h.modelVersion = 7
        var m = RunMetrics()
        m.latency("x", SyntheticReports.histogram(1, spread: 1, n: 10, seed: 1))
        let j = Report(header: h, replications: [m]).json
        #expect(j["capsim_version"] == .string("9.9.9"))
        #expect(j["model_version"] == .integer(7))
        let snap = ReportSnapshot(json: try JSONValue.parse(j.serialized(sortedKeys: true)), source: "x")
        #expect(snap.modelVersion == 7 && snap.capsimVersion == "9.9.9")
    }
}
