import Foundation
import Scenario
import SimCore
import Testing
import World

/// Batched consumer polling (`kafka.consumer`, apache/kafka `max.poll.records`,
/// `fetch.max.wait.ms`, `fetch.min.bytes` counted in records).
///
/// 1. A deterministic trace of orders on one order_events partition: the polls, their sizes
///    and every record's commit time worked out by hand below from the Kafka rules; the run's
///    lag integral (Σ over records of commit − append, which is what the time-weighted lag
///    gauge integrates) and its poll counters must match them exactly.
/// 2. With `max_poll_records: 1`, `fetch_min_records: 1` and no `batch_cpu` a poll is one
///    record handed out when the unbatched model hands it: every metric equal to the
///    unbatched run's (with crashes and rebalances, on both topics).
@Suite struct ConsumerBatchTests {
    /// One partition of order_events, constant CPU: place_order 1 ms, INSERT 1 ms, acks 0, so
    /// an order placed at T is appended at T + 2 ms; order_event 1 ms per record.
    static let body = WorldScenario.base
        .replacingOccurrences(of: "order_events: { partitions: 4 }", with: "order_events: { partitions: 1 }")
        .replacingOccurrences(of: "duration: 20min\n", with: "duration: 90s\n")
        .replacingOccurrences(of: "warmup: 1min\n", with: "warmup: 0s\n")
    static let times: [Double] = [10.0, 10.1, 10.2, 20.0, 40.0]

    static func lagIntegral(_ m: RunMetrics) throws -> Double {
        let g = try #require(m.gauges.first { $0.name == "kafka.order_events@only.lag" }?.gauge)
        return g.mean * 90   // record·seconds over the 90 s run (no warm-up)
    }

    @Test func unbatchedRecordsAreCommittedOneMillisecondAfterAppend() throws {
        // The check on the setting itself: each record alone, committed 1 ms after its append.
        let m = try WorldScenario.runTraced(Self.times, Self.body)
        #expect(m.counterValue("kafka.order_events@only.produced") == 5)
        #expect(abs(try Self.lagIntegral(m) - 5 * 0.001) < 1e-9)
        #expect(m.gauges.first { $0.name == "kafka.order_events@only.lag" }?.gauge.max == 1)
        #expect(m.counterValue("kafka.order_events@only.polls") == nil)
    }

    /// fetch_min_records 3, fetch_max_wait 500 ms, max_poll_records 2, batch_cpu 10 ms. The
    /// partition is assigned at t = 0, so the consumer's fetch windows run from 0 every 500 ms.
    /// - appends 10.002, 10.102, 10.202: at 10.202 three records (≥ 3): a poll of 2 (the cap),
    ///   CPU 10 + 2 × 1 = 12 ms, committed at 10.214; the next fetch is sent at 10.214 with one
    ///   record (< 3): its window ends at 10.714, a poll of 1, 11 ms, committed at 10.725.
    /// - append 20.002: fetch sent 10.725, windows every 0.5 s, the one in progress ends at
    ///   10.725 + 19 × 0.5 = 20.225; committed 20.236.
    /// - append 40.002: fetch sent 20.236, window ends 20.236 + 40 × 0.5 = 40.236; committed 40.247.
    /// Lag integral = (10.214 − 10.002) + (10.214 − 10.102) + (10.725 − 10.202)
    ///              + (20.236 − 20.002) + (40.247 − 40.002) = 1.326 record·s; 4 polls, 5 records,
    ///   largest 2; the lag peaks at 3 (at 10.202).
    @Test func pollsAndCommitTimesMatchTheHandSchedule() throws {
        let m = try WorldScenario.runTraced(Self.times, Self.body, [
            "kafka.consumer.batched=true", "kafka.consumer.fetch_min_records=3", "kafka.consumer.fetch_max_wait=500ms",
            "kafka.consumer.max_poll_records=2", "kafka.consumer.batch_cpu=10ms",
        ])
        #expect(m.counterValue("kafka.order_events@only.polls") == 4)
        #expect(m.counterValue("kafka.order_events@only.records_per_poll") == 1.25)
        #expect(m.counterValue("kafka.order_events@only.largest_poll") == 2)
        // Sums of millisecond steps in nanoseconds: exact up to the gauge's Double arithmetic.
        #expect(abs(try Self.lagIntegral(m) - 1.326) < 1e-9)
        #expect(m.gauges.first { $0.name == "kafka.order_events@only.lag" }?.gauge.max == 3)
        // Every order still reaches matching: all five delivered or in flight, none lost.
        #expect(m.counterValue("orders.placed") == 5)
        WorldScenario.invariantsHold(m)
    }

    /// The metrics that exist in both runs (the batched run adds its poll counters).
    static func comparable(_ m: RunMetrics) -> String {
        var m = m
        m.counters.removeAll { $0.name.hasSuffix(".polls") || $0.name.hasSuffix(".records_per_poll") || $0.name.hasSuffix(".largest_poll") }
        var out = PlatformSimulationTests.summary(m)
        for mk in m.markers { out += "\(mk.time) \(mk.kind) \(mk.label)\n" }
        return out
    }

    static let crashes = """

        faults:
          - { kind: replica_crash, service: location_service, region: only, at: 5min, count: 1 }
          - { kind: replica_crash, service: matching_service, region: only, at: 7min, count: 1 }
        """

    @Test(arguments: [false, true])
    func pollsOfOneRecordAreTheUnbatchedModel(crashes: Bool) throws {
        // Busy consumers (100 ms per ping record) so records queue behind one another.
        let body = WorldScenario.base + (crashes ? Self.crashes : "")
        let busy = ["couriers.count=60", "demand.orders_per_hour=3000/h", "services.location_service.cpu.location_consume=100ms"]
        let plain = try WorldScenario.run(body, busy)
        let batched = try WorldScenario.run(body, busy + ["kafka.consumer.batched=true", "kafka.consumer.max_poll_records=1"])
        #expect(Self.comparable(plain) == Self.comparable(batched))
        #expect(batched.counterValue("kafka.location_updates@only.records_per_poll") == 1)
        #expect(batched.counterValue("kafka.order_events@only.records_per_poll") == 1)
    }
}
