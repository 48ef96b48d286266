import CapsimTestSupport
import Scenario
import SimCore
import Testing
@testable import World

/// Where the time goes (issue 12 item 4): each answered client call's stages sum exactly to
/// its end-to-end latency, and in a scenario of constant service times each stage is what the
/// scenario's figures give by hand.
@Suite struct StageBreakdownTests {
    typealias Stage = StageClock.Stage
    static let ms = SimUnit.millisecond

    /// Runs `model` for `minutes` recording every answered client call.
    static func finished(_ model: PlatformSimulation, minutes: Int) -> [StageClock.Finished] {
        model.measurements.stages.startRecording()
        var s = Scheduler(reservingCapacity: 1 << 12)
        model.start(&s)
        _ = s.run(model, until: SimTime(minutes) * SimUnit.minute)
        return model.measurements.stages.recorded ?? []
    }

    /// Every call: stages sum to the latency to the nanosecond, nothing left to `other`, no stage negative.
    static func expectExactSums(_ log: [StageClock.Finished]) {
        for f in log {
            #expect(f.stages.reduce(0, +) == f.latency, "\(f)")
            #expect(f.time(.other) == 0, "\(f)")
            #expect(f.stages.allSatisfy { $0 >= 0 }, "\(f)")
        }
    }

    /// `CrossRegionChannelTests.twoRegions`: place_order CPU 20 ms, write 5 ms (1000 connections
    /// per shard: never a wait), produce 2 ms (the default, constant; acks=all's slowest of
    /// equal draws is 2 ms), west 80 ms round trip from the east primary. A west order that did
    /// not queue for a core: 20 ms CPU, 40 ms to the primary, 5 ms write, 40 ms back, 2 ms
    /// produce = 107 ms; an east one 27 ms.
    @Test func placeOrderStagesAreTheScenariosServiceTimes() throws {
        let log = Self.finished(try CrossRegionChannelTests.model(CrossRegionChannelTests.twoRegions), minutes: 15)
        Self.expectExactSums(log)
        let orders = log.filter { $0.kind == Services.RequestKind.placeOrder.rawValue && $0.time(.replicaQueue) == 0 && $0.time(.retry) == 0 }
        for city in 0..<2 {
            let mine = orders.filter { $0.city == city }
            try #require(!mine.isEmpty, "no unqueued order in city \(city)")
            for f in mine {
                var expected = Array(repeating: SimTime(0), count: StageClock.count)
                expected[Stage.cpu.rawValue] = 20 * Self.ms
                expected[Stage.dbService.rawValue] = 5 * Self.ms
                expected[Stage.kafka.rawValue] = 2 * Self.ms
                expected[Stage.crossRegion.rawValue] = city == 1 ? 80 * Self.ms : 0
                #expect(f.stages == expected, "\(f)")
                #expect(f.latency == (city == 1 ? 107 : 27) * Self.ms)
            }
        }
        // menu_view: 3 ms CPU, then L1 (1 ms) or L1 + L2 (6 ms) in `cache`.
        let menus = log.filter { $0.kind == Services.RequestKind.menuView.rawValue && $0.time(.replicaQueue) == 0 }
        try #require(!menus.isEmpty)
        for f in menus {
            #expect(f.time(.cpu) == 3 * Self.ms)
            #expect(f.time(.cache) == 1 * Self.ms || f.time(.cache) == 6 * Self.ms, "\(f)")
        }
    }

    /// With `round_trips: 2` a west writer holds its connection through two round trips: three
    /// one-way trips before its statement reaches the shard and one back, 4 × 40 ms = 160 ms
    /// in `cross_region`; 20 + 160 + 5 + 2 = 187 ms in all.
    @Test func transactionRoundTripsAreCrossRegionTime() throws {
        let log = Self.finished(try CrossRegionChannelTests.model(CrossRegionChannelTests.twoRegions, overrides: ["database.round_trips=2"]),
                                minutes: 15)
        Self.expectExactSums(log)
        let west = log.filter { $0.kind == Services.RequestKind.placeOrder.rawValue && $0.city == 1 && $0.time(.replicaQueue) == 0 }
        try #require(!west.isEmpty)
        for f in west {
            #expect(f.time(.crossRegion) == 160 * Self.ms, "\(f)")
            #expect(f.time(.dbService) == 5 * Self.ms && f.time(.dbConnection) == 0 && f.time(.dbQueue) == 0, "\(f)")
            #expect(f.latency == 187 * Self.ms)
        }
    }

    /// The retry storm (a region outage, failover across regions, client timeouts and 3
    /// retries, abandoned calls): still every call's stages sum to its latency, and the
    /// failed attempts and the failover trips show as `retry` and `cross_region`.
    @Test func retriesAndFailoverStillSumExactly() throws {
        let path = PlatformSimulationTests.root + "/scenarios/whatif/retry-storm.yaml"
        // The what-if's outage moved to 3-13 min, so the run stops at 15 min instead of 42.
        let c = try ScenarioConfig.load(path: path, overrides: [
            "duration=15min", "warmup=1min",
            "faults=[{kind: region_outage, region: us_west, at: 3min, for: 10min, detection: health_check, check_interval: 10s, fall: 3}]"])
        var errors: [ScenarioError] = []
        let model = PlatformSimulation(scenario: c, config: try #require(PlatformConfig.decode(c.document, errors: &errors)), seed: 5)
        let log = Self.finished(model, minutes: 15)
        Self.expectExactSums(log)
        #expect(log.contains { $0.time(.retry) > 0 })
        #expect(log.contains { $0.time(.crossRegion) > 0 && $0.kind == Services.RequestKind.locationUpdate.rawValue })
    }

    /// The buckets: a value's bucket stands for it within 1/64 of it (half a bucket of 1/32
    /// of its power of two) plus the microsecond truncation, exactly (to the µs) below 64 µs;
    /// buckets rise with the value. Values log-uniform from 1 ns to ~13 days, fixed seed.
    @Test func bucketsStandForTheirValuesWithinOneSixtyFourth() {
        var rng = SplitMix64(seed: 3)
        var bad = 0, last = (v: SimTime(0), i: 0)
        var values: [SimTime] = []
        for _ in 0..<50_000 {
            let e = Int(rng.next() % 50)
            values.append(SimTime(1) << SimTime(e) + SimTime(rng.next() % (UInt64(1) << UInt64(e))))
        }
        for v in values.sorted() {
            let i = StageTable.index(v), back = StageTable.value(i)
            let ok = v < 64_000 ? back == v / 1_000 * 1_000 : abs(Double(back - v)) <= Double(v) / 64 + 1_000
            if !ok || i < last.i || i >= StageTable.buckets { bad += 1 }
            last = (v: v, i: i)
        }
        #expect(bad == 0)
    }

    /// A stage a request skipped is not written but counts as 0 in the stage's percentiles:
    /// 70 requests with no CPU time and 30 with 5 ms put the CPU p50 at 0 and its p99 in 5 ms's
    /// bucket; the groups' sums are the exact totals (30 × 5 ms; 100 × 2 ms of queue).
    @Test func skippedStagesCountAsZero() {
        var t = StageTable()
        var stages = [SimTime](repeating: 0, count: StageClock.count)
        for i in 0..<100 {
            stages[Stage.replicaQueue.rawValue] = 2 * Self.ms
            stages[Stage.cpu.rawValue] = i < 70 ? 0 : 5 * Self.ms
            let latency = stages.reduce(0, +)
            stages.withUnsafeBufferPointer { t.record(latency: latency, stages: $0) }
        }
        #expect(t.total == 100)
        #expect(t.stagePercentile(Stage.cpu.rawValue, 50) == 0)
        #expect(t.stagePercentile(Stage.cpu.rawValue, 70) == 0)
        #expect(t.stagePercentile(Stage.cpu.rawValue, 71) == StageTable.value(StageTable.index(5 * Self.ms)))
        #expect(t.stagePercentile(Stage.kafka.rawValue, 99) == 0)
        #expect(t.stageCounts(Stage.kafka.rawValue)[0] == 100)
        let all = t.group(0..<StageTable.buckets)
        #expect(all.requests == 100)
        #expect(all.sums[Stage.cpu.rawValue] == 30 * 5 * Self.ms)
        #expect(all.sums[Stage.replicaQueue.rawValue] == 100 * 2 * Self.ms)
        #expect(t.e2eBucket(50) == StageTable.index(2 * Self.ms))
        #expect(t.e2eBucket(99) == StageTable.index(7 * Self.ms))
    }

    /// The report's groups: the stage means of the requests at/above the p99 add up to their
    /// mean latency (float rounding only), and the p99 group holds at least 1 % of the requests.
    @Test func reportedTailBreakdownAddsUp() throws {
        let model = try CrossRegionChannelTests.model(CrossRegionChannelTests.twoRegions)
        var s = Scheduler(reservingCapacity: 1 << 12)
        model.start(&s)
        _ = s.run(model, until: 15 * SimUnit.minute)
        let m = model.metrics(at: 15 * SimUnit.minute)
        let prefix = "stages.place_order@west"
        let latency = try #require(m.counterValue("\(prefix).at_p99.latency_ms"))
        let parts = Stage.allCases.compactMap { m.counterValue("\(prefix).\($0.name).at_p99_ms") }
        #expect(abs(parts.reduce(0, +) - latency) < 1e-9 * latency)
        let all = try #require(m.histogram("place_order@west.latency"))
        let tail = try #require(m.counterValue("\(prefix).at_p99.requests"))
        #expect(tail >= (Double(all.count) * 0.01).rounded(.up))
        #expect(m.counterValue("stages.unattributed_requests") == nil)
    }
}
