import Foundation
import Scenario
import SimCore
import Testing
import World

/// A consumer's time off the CPU (`kafka.consumer.batch_io`, `record_io`) and its poll loops
/// (`loops_per_pod`), against schedules and closed forms worked out here:
///
/// 1. The hand schedule of `ConsumerBatchTests` with 20 ms of I/O per batch and 5 ms per
///    record: every commit moves by the batch's I/O, and so does every later fetch.
/// 2. A pod with one poll loop (one KafkaConsumer thread) over 4 partitions, all saturated:
///    each loop turn is one full batch of M records taking io + M × (cpu + record_io), so it
///    consumes μ = M / (batch_io + M × (cpu + record_io)) records/s whatever the partitions;
///    the lag grows as (λ − μ) t; the pod's CPU is (λ × location_update + μ × location_consume)
///    / cores, low although the consumer never idles. With a loop per partition the same pod
///    keeps up.
@Suite struct ConsumerIOTests {
    @Test func ioMovesEveryCommitAndTheFetchesAfterIt() throws {
        // As ConsumerBatchTests.pollsAndCommitTimesMatchTheHandSchedule (appends at 10.002,
        // 10.102, 10.202, 20.002, 40.002; fetch_min_records 3, fetch_max_wait 500 ms,
        // max_poll_records 2, batch_cpu 10 ms, order_event 1 ms), plus batch_io 20 ms and
        // record_io 5 ms: a batch of n holds its loop 10 + n ms on a core, then 20 + 5n ms off it.
        // - 10.202: poll of 2, CPU to 10.214, I/O 30 ms: committed 10.244; the next fetch is sent
        //   at 10.244 with one record: its window ends 10.744; CPU 11 ms, I/O 25 ms: 10.780.
        // - 20.002: fetch sent 10.780, windows every 0.5 s: 10.780 + 19 × 0.5 = 20.280; 20.316.
        // - 40.002: fetch sent 20.316: 20.316 + 40 × 0.5 = 40.316; committed 40.352.
        // Lag integral = 0.242 + 0.142 + 0.578 + 0.314 + 0.350 = 1.626 record·s.
        let m = try WorldScenario.runTraced(ConsumerBatchTests.times, ConsumerBatchTests.body, [
            "kafka.consumer.batched=true", "kafka.consumer.fetch_min_records=3", "kafka.consumer.fetch_max_wait=500ms",
            "kafka.consumer.max_poll_records=2", "kafka.consumer.batch_cpu=10ms",
            "kafka.consumer.batch_io=20ms", "kafka.consumer.record_io=5ms", "kafka.consumer.loops_per_pod=1",
        ])
        #expect(m.counterValue("kafka.order_events@only.polls") == 4)
        // Sums of millisecond steps in nanoseconds: exact up to the gauge's Double arithmetic.
        #expect(abs(try ConsumerBatchTests.lagIntegral(m) - 1.626) < 1e-9)
        #expect(m.counterValue("orders.placed") == 5)
        WorldScenario.invariantsHold(m)
    }

    /// 600 couriers pinging every second (λ ≈ 600/s) into 4 location_updates partitions, one
    /// location_service pod of 8 cores; location_update 1 ms, location_consume 0.5 ms of CPU;
    /// polls of M = 50 records, batch_io 10 ms, record_io 2 ms.
    static let saturated = [
        "couriers.count=600", "couriers.ping_idle=1s", "couriers.ping_trip=1s",
        "services.location_service.min=1", "services.location_service.max=1", "services.location_service.cores=8",
        "services.location_service.cpu.location_consume=0.5ms",
        "kafka.consumer.batched=true", "kafka.consumer.max_poll_records=50", "kafka.consumer.fetch_min_records=1",
        "kafka.consumer.batch_io=10ms", "kafka.consumer.record_io=2ms",
    ]
    static let body = WorldScenario.base.replacingOccurrences(of: "warmup: 1min\n", with: "warmup: 0s\n")

    @Test func oneLoopConsumesMOverItsTurnAndTheLagGrowsAtTheDifference() throws {
        let m = try WorldScenario.run(Self.body, Self.saturated + ["kafka.consumer.loops_per_pod=1"])
        let T = 1200.0   // the 20 min run, no warm-up
        let M = 50.0, turn = 0.010 + M * (0.0005 + 0.002)   // 135 ms per full batch
        let mu = M / turn                                  // 370.4 records/s
        let produced = try #require(m.counterValue("kafka.location_updates@only.produced"))
        let polls = try #require(m.counterValue("kafka.location_updates@only.polls"))
        let perPoll = try #require(m.counterValue("kafka.location_updates@only.records_per_poll"))
        let lambda = produced / T
        #expect(abs(lambda - 600) / 600 < 0.01, "offered \(lambda)/s")
        // Saturated: every poll is full but the first few (taken before the backlog reached M).
        #expect(perPoll > 49.9 && perPoll <= 50)
        // Records taken per second against μ. The loop starts after the group's first rebalance
        // (rebalance_pause 3 s at most, Kafka's default config here) and ends with one batch in
        // progress: ≤ 3.2 s of 1,200 s, so 0.5 % covers it.
        let consumed = polls * perPoll
        #expect(abs(consumed / T - mu) / mu < 0.005, "consumed \(consumed / T)/s vs μ \(mu)/s")
        // The lag at the end: produced − committed ≈ (λ − μ) T (the same 0.5 % of μT, plus the
        // batch in progress, M records).
        let lag = try #require(m.gauges.first { $0.name == "kafka.location_updates@only.lag" }?.gauge)
        let expectedLag = (lambda - mu) * T
        #expect(abs(lag.max - expectedLag) < 0.005 * mu * T + M, "lag \(lag.max) vs (λ − μ)T \(expectedLag)")
        // The pod's CPU: the API's 1 ms per ping and 0.5 ms per consumed record over 8 cores:
        // (600 × 0.001 + 370.4 × 0.0005) / 8 ≈ 9.8 % although its only consumer never idles.
        let cpu = try #require(m.gauges.first { $0.name == "location_service@only.cpu" }?.gauge.mean)
        let expectedCPU = (lambda * 0.001 + consumed / T * 0.0005) / 8
        // Busy-time integrals of constant CPU times: exact but for requests in progress at the end.
        #expect(abs(cpu - expectedCPU) < 0.001, "cpu \(cpu) vs \(expectedCPU)")
        // Its one loop is busy but for the start (the first rebalance, ≤ 3 s of 1,200 s): ≥ 99.7 %.
        let busy = try #require(m.counterValue("kafka.location_updates@only.loop_busy"))
        #expect(busy > 0.997 && busy <= 1, "loop busy \(busy)")
        // The advisor names it: loops busy, CPU under the 70 % target, lag past ten polls.
        let found = WorldScenario.findings(m, "consumers_off_cpu")
        #expect(found.count == 1 && found.first?.message.hasPrefix("location_service@only: its poll loops were busy") == true, "\(found)")
    }

    @Test func aLoopPerPartitionKeepsUp() throws {
        // loops_per_pod 0 (each partition its own loop): 4 × 370 records/s > 600/s offered.
        let m = try WorldScenario.run(Self.body, Self.saturated)
        let produced = try #require(m.counterValue("kafka.location_updates@only.produced"))
        let lag = try #require(m.gauges.first { $0.name == "kafka.location_updates@only.lag" }?.gauge)
        // Each partition gets 150/s, a loop takes what is there every 10 ms + 2.5 ms × n: the
        // backlog stays within a couple of turns (≈ 2 × 150 × 0.06 s per partition) — far below
        // the tens of thousands of the one-loop pod. Bound: one second of pings.
        #expect(lag.max < 600, "lag max \(lag.max) of \(produced) records")
        #expect(m.counterValue("kafka.location_updates@only.loop_busy") == nil)
        #expect(WorldScenario.findings(m, "consumers_off_cpu").isEmpty)
    }
}
