import Scenario
@testable import SimCore
import Testing
@testable import World

/// The two-level event queue (`EventQueue`: near heap + time buckets) changes no run: the
/// delivery world with batched polling, shifts and matching gives the identical metrics
/// (every latency histogram, counter, level, series and the event count, as lossless JSON)
/// whether the queue turns two-level at 64 pending events or stays one heap.
@Suite struct EventQueueSpillWorldTests {
    static func run(spillAt: Int) throws -> (json: String, events: UInt64, twoLevel: Bool) {
        let kafka = "kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 }, produce_latency: 0s }"
        let batched = "kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 }, "
            + "produce_latency: { lognormal: { median: 2ms, sigma: 0.5 } }, "
            + "consumer: { batched: true, max_poll_records: 50, fetch_max_wait: 500ms, fetch_min_records: 8, batch_cpu: 1ms } }"
        let body = WorldScenario.base.replacingOccurrences(of: kafka, with: batched)
        precondition(body != WorldScenario.base, "WorldScenario.base's kafka line changed")
        let model = try CrossRegionChannelTests.model(body, overrides: ["duration=12min", "couriers.count=300",
                                                                        "demand.orders_per_hour=2400/h", "couriers.shift_length=20min"])
        var s = Scheduler(reservingCapacity: 1 << 10, spillAt: spillAt)
        model.start(&s)
        _ = s.run(model, until: 12 * SimUnit.minute)
        return (model.metrics(at: s.now).json.serialized(), s.eventsProcessed, s.queue.bucketWidth != nil)
    }

    @Test func twoLevelQueueGivesTheSameRun() throws {
        let one = try Self.run(spillAt: .max)
        let two = try Self.run(spillAt: 64)
        #expect(!one.twoLevel && two.twoLevel)
        #expect(one.events == two.events)
        #expect(one.json == two.json)
    }
}
