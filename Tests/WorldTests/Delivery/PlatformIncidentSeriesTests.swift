import Foundation
import Reports
import Scenario
import SimCore
import Testing
import World

/// Issue 15, point 6: the time series show incidents. In `whatif/location-consumers-crash`
/// the Kafka lag chart peaked at 4 records (one instantaneous sample per minute) while the
/// levels table said 23,446, and the replicas line stayed flat through the 10-pod crash.
@Suite struct PlatformIncidentSeriesTests {
    /// The bundled crash scenario, cut to 35 minutes (the crash is at 30 min) to keep the
    /// debug test short; the sampling does not depend on the length beyond the interval.
    static func crashRun() throws -> RunMetrics { try shared.get() }

    /// One run shared by both tests (it is the expensive part).
    static let shared: Result<RunMetrics, any Error> = Result {
        let path = PlatformSimulationTests.root + "/scenarios/whatif/location-consumers-crash.yaml"
        let c = try ScenarioConfig.load(path: path, overrides: ["duration=35min"])
        return try PlatformRunner.run(c, seed: c.seed, replication: 0, progress: nil)
    }

    @Test func chartMaximumEqualsTheLevelsTableMaximum() throws {
        let m = try Self.crashRun()
        let name = "kafka.location_updates@us_east.lag"
        let table = try #require(m.gauges.first { $0.name == name }?.gauge)
        let maxSeries = try #require(m.series.first { $0.name == name + ".max" }?.series)
        // The levels table counts from the end of the warm-up; so does this maximum.
        let afterWarmup = zip(maxSeries.times, maxSeries.values).filter { $0.0 >= m.warmupCut }.map(\.1)
        #expect(afterWarmup.max() == table.max, "series max \(afterWarmup.max() ?? -1) vs table \(table.max)")
        #expect(table.max > 1000, "the stall should build a lag of thousands of records, got \(table.max)")

        // And the chart the report draws from it peaks at that value.
        let report = Report(header: .init(scenarioName: "crash", scenarioFile: "", description: "", resolvedScenario: .null,
                                          seed: 1, replications: 1, model: "platform"), replications: [m])
        let sections = ReportCharts.timeSections(report.series.map { ChartSeries(name: $0.name, series: $0.series) },
                                                 warmupSeconds: SimUnit.seconds(m.warmupCut), markers: report.markers)
        let lag = try #require(sections.first { $0.title == "Kafka lag" }?.charts.first)
        let line = try #require(lag.lines.first { $0.name.hasPrefix("location_updates@us_east max") })
        #expect(line.points.map(\.y).max() ?? 0 >= table.max)
        #expect(line.name.contains("peak \(Report.num(table.max))"), "\(line.name)")
        // The crash is marked on the lag chart.
        #expect(lag.events.contains { $0.kind == "crash" && $0.label.contains("location_service@us_east") })
    }

    @Test func readyReplicasDipThroughTheCrash() throws {
        let m = try Self.crashRun()
        let ready = try #require(m.series.first { $0.name == "location_service@us_east.replicas.ready.min" }?.series)
        let crashAt = 30 * SimUnit.minute
        // 30 ready before; 10 crash at once: the interval holding the crash shows ≤ 20 ready.
        let before = zip(ready.times, ready.values).filter { $0.0 >= 20 * SimUnit.minute && $0.0 < crashAt - SimUnit.minute }.map(\.1)
        let during = zip(ready.times, ready.values).filter { $0.0 >= crashAt - SimUnit.minute && $0.0 <= crashAt }.map(\.1)
        #expect((before.min() ?? 0) >= 30, "\(before)")
        #expect((during.min() ?? 99) <= 20, "\(during)")
        #expect(m.markers.filter { $0.kind == "crash" && $0.time == crashAt }.count == 10)
        // Latency and throughput per endpoint and region over time.
        #expect(m.series.contains { $0.name == "location_update@us_east.latency.p99" })
        #expect(m.series.contains { $0.name == "place_order@us_west.throughput" })
    }
}
