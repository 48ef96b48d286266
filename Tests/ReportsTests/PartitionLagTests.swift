import Reports
import SimCore
import Testing

/// Per-partition lag gauges are grouped into one row per topic in report.md and report.html.
@Suite struct PartitionLagTests {
    static func report() -> Report {
        var m = RunMetrics()
        // Written out of partition order, and with a non-lag gauge between them.
        for (p, mean, max) in [(2, 0.5, 4.0), (0, 1.5, 9.0), (1, 3.25, 7.0)] {
            m.gauge("kafka.orders@east.partition.\(p).lag", mean: mean, max: max, unit: "records")
        }
        m.gauge("svc@east.cpu", mean: 0.5, max: 0.9, unit: "ratio")
        m.gauge("kafka.pings@east.partition.0.lag", mean: 2, max: 2, unit: "records")
        let h = Report.Header(scenarioName: "lags", scenarioFile: "lags.yaml", description: "",
                              resolvedScenario: .object([("name", .string("lags"))]), seed: 1, replications: 1, model: "platform")
        return Report(header: h, replications: [m])
    }

    @Test func markdownGroupsPartitionsByTopic() {
        let md = Self.report().markdown
        // Mean over partitions (1.5 + 3.25 + 0.5) / 3 = 1.75; busiest by mean is p1; largest lag p0.
        #expect(md.contains("| orders@east | 3 | 1.75 | p1: 3.25 | p0: 9 | 1.5 3.25 0.5 |"), "\(md)")
        #expect(md.contains("| pings@east | 1 | 2 | p0: 2 | p0: 2 | 2 |"))
        // The partitions leave the Levels table; other levels stay.
        #expect(!md.contains("| kafka.orders@east.partition.1.lag |"))
        #expect(md.contains("| svc@east.cpu |"))
    }

    @Test func htmlHasTheSameSection() {
        let html = Self.report().html
        #expect(html.contains("Kafka lag per partition"))
        #expect(html.contains("p1: 3.25"))
        #expect(!html.contains("kafka.orders@east.partition.1.lag"))
    }
}
