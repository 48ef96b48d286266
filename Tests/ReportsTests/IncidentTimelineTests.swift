import Reports
import SimCore
import Testing

/// The incident timeline read from the model's `fault.*` counters, and the SLO minutes
/// breached in each window counted by hand from a made-up p99 series.
@Suite struct IncidentTimelineTests {
    static func report() throws -> Report {
        var m = RunMetrics()
        var h = LatencyHistogram()
        for _ in 0..<100 { h.record(20_000_000) }
        m.latency("place_order@x.latency", h)
        // p99 per minute: beyond the 50 ms limit in minutes 2, 3, 4 only.
        let p99: [Double] = [10, 10, 80, 80, 80, 10, 10, 10, 10, 10]
        m.addSeries("place_order@x.latency.p99", unit: "ms", times: (0..<10).map { SimTime($0) * SimUnit.minute }, values: p99)
        for (name, v) in [("start_s", 120.0), ("detected_s", 150), ("mitigated_s", 150), ("recovered_s", 300), ("failed_requests", 7), ("retries", 9)] {
            m.counter("fault.0.region_outage@x.\(name)", v)
        }
        for (name, v) in [("start_s", 400.0), ("failed_requests", 1), ("retries", 2)] { m.counter("fault.1.replica_crash@order_service@x.\(name)", v) }
        m.simulatedTime = 10 * SimUnit.minute
        var r = Report(header: Report.Header(scenarioName: "t", scenarioFile: "t.yaml", description: "", resolvedScenario: .null, seed: 1,
                                             replications: 1, model: "platform"), replications: [m])
        r.objectives = [try Objective(name: "s", metric: "place_order@x.latency", stat: "p99", max: .duration(nanoseconds: 50e6))
            .resolve(in: FigureTable(report: r))]
        return r
    }

    @Test func incidentsAndBreachMinutes() throws {
        let r = try Self.report()
        let i = r.incidents
        #expect(i.count == 2)
        #expect(i[0].kind == "region_outage" && i[0].place == "x" && i[0].start == 120 && i[0].detected == 150 && i[0].recovered == 300)
        #expect(i[0].failedRequests == 7 && i[0].retries == 9)
        // Window [120 s, 300 s): the minutes starting at 120, 180, 240 s are beyond 50 ms.
        #expect(i[0].sloMinutesBreached == 3)
        // Unrecovered: its window runs to the end of the run (400-600 s), all within the limit.
        #expect(i[1].kind == "replica_crash" && i[1].place == "order_service@x" && i[1].recovered == nil && i[1].sloMinutesBreached == 0)
        #expect(r.markdown.contains("## Incidents"))
        #expect(r.markdown.contains("| 0 region_outage | x | 2min | 2.5min (+30 s) |"))
        guard case .array(let rows)? = r.json["incidents"] else { Issue.record("no incidents in report.json"); return }
        #expect(rows.count == 2 && rows[0]["detection_s"] == .integer(30) && rows[1]["recovered_s"] == .null)
        #expect(r.html.contains("id=\"incidents\""))
    }
}
