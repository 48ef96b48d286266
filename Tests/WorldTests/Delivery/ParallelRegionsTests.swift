import Foundation
import Synchronization
import Reports
import Scenario
import SimCore
import Testing
@testable import World

/// `parallel_regions` (issue 13, "regions in parallel"): one `PlatformSimulation` per region,
/// each with its own scheduler, run in windows of the lookahead (`LookaheadWindows`).
@Suite struct ParallelRegionsTests {
    /// Three regions (one-way trips 32.5, 37.5 and 70 ms as the bundled scenarios), with
    /// autoscaling pools, status reads, menu views and a replica crash in west.
    static let three = """
        name: three
        model: platform
        duration: 12min
        warmup: 2min
        parallel_regions: true
        regions:
          east: { primary: true, latency_target: 50ms, demand_share: 0.5, center: { lon: -73.99, lat: 40.73 }, city_radius: 5km, rtt: { west: 65ms, europe: 75ms } }
          west: { latency_target: 50ms, demand_share: 0.3, center: { lon: -122.42, lat: 37.77 }, city_radius: 5km, rtt: { east: 65ms, europe: 140ms } }
          europe: { latency_target: 100ms, demand_share: 0.2, center: { lon: -6.26, lat: 53.35 }, city_radius: 5km, rtt: { east: 75ms, west: 140ms } }
        demand: { orders_per_hour: 900/h, profile: flat, menu_views_per_order: 3, delivery_radius: 3km }
        restaurants: { count: 60, zipf_exponent: 1, prep_time: { gamma: { shape: 2.15, scale: 4min } } }
        couriers: { count: 150, speed: 19km/h }
        services:
          order_service: { min: 2, max: 6, target_cpu: 70, cpu: { place_order: 20ms, menu_view: { exponential: { mean: 3ms } } } }
          location_service: { min: 2, max: 6, target_cpu: 70, cpu: { location_update: 2ms, location_consume: 1ms } }
          matching_service: { min: 2, max: 6, target_cpu: 75, cpu: { order_event: 2ms, match_batch: 1ms } }
        cache: { l1: { ttl: 300s, latency: 1ms }, l2: { ttl: 3600s, latency: 5ms }, l3: { latency: 50ms } }
        database: { shards: 8, write_latency: { lognormal: { median: 5ms, sigma: 0.5 } } }
        kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 } }
        matching: { policy: batched, interval: 30s, bundle_size: 2, cancel_after: 10min }
        faults: [{ kind: replica_crash, service: order_service, region: west, at: 6min }]
        """

    static func config(_ body: String, _ overrides: [String] = []) throws -> (ScenarioConfig, PlatformConfig) {
        let c = try PlatformSimulationTests.load(body, overrides: overrides)
        var errors: [ScenarioError] = []
        return (c, try #require(PlatformConfig.decode(c.document, errors: &errors)))
    }

    /// The canonical report.json text of one replication on `threads` threads.
    static func report(_ c: ScenarioConfig, threads: Int, seed: UInt64 = 7) throws -> String {
        let runs = try ScenarioRunner.run(c, seed: seed, replications: 1, threads: threads)
        let header = Report.Header(scenarioName: c.name, scenarioFile: "s.yaml", description: "", resolvedScenario: c.document.toJSONValue(),
                                   seed: seed, replications: 1, model: "platform")
        return Report(header: header, replications: runs).json.serialized()
    }

    @Test func reportIsByteIdenticalForOneTwoAndThreeThreads() throws {
        let (c, _) = try Self.config(Self.three)
        let one = try Self.report(c, threads: 1)
        #expect(try Self.report(c, threads: 2) == one)
        #expect(try Self.report(c, threads: 3) == one)
        #expect(try Self.report(c, threads: 1, seed: 8) != one)
        #expect(one.contains("\"order_conservation\""))
    }

    /// Every message is delivered exactly its one-way trip (rtt / 2) after it was sent, so never
    /// before sent + L; every write is answered.
    @Test func noMessageArrivesBeforeTheLookahead() throws {
        let (c, p) = try Self.config(Self.three)
        let lps = RegionRunner.make(c, p, seed: 7, record: true)
        _ = RegionRunner.run(lps, p, until: c.duration!, threads: 2)
        let channel = lps[0].model.channel
        #expect(channel.lookahead == 32_500_000)
        let all = lps.flatMap { $0.model.regionLP!.deliveries! }
        for d in all {
            #expect(d.deliveredAt - d.sentAt == channel.oneWay(d.from, d.to))
            #expect(d.deliveredAt >= d.sentAt + channel.lookahead)
        }
        let writes = all.filter { $0.kind == .write }, answers = all.filter { $0.kind == .answer }
        #expect(writes.allSatisfy { $0.to == 0 && $0.from != 0 })
        #expect(answers.allSatisfy { $0.from == 0 && $0.to != 0 })
        // Answers: the writes committed by the end (a write in flight at the end has none).
        let m = RegionRunner.run(RegionRunner.make(c, p, seed: 7), p, until: c.duration!, threads: 1).metrics
        #expect(Double(writes.count) == m.counterValue("regions.messages.write"))
        #expect(Double(answers.count) <= Double(writes.count))
    }

    /// Agreement with the sequential engine. Exact: each city's order arrivals (drawn from its
    /// own `orders.<region>` stream whatever the other regions do) and its couriers' first
    /// pings. Not exact: everything downstream of a cross-region write (the primary's database
    /// and replication-lag draws happen in another order, ties break on per-LP sequence
    /// numbers), so latencies and counts after the first remote write differ in detail.
    @Test func arrivalsPerCityAreTheSequentialEngines() throws {
        let (c, p) = try Self.config(Self.three)
        let lps = RegionRunner.make(c, p, seed: 7)
        let parallel = RegionRunner.run(lps, p, until: c.duration!, threads: 2).metrics
        var sequentialConfig = p
        sequentialConfig.parallelRegions = false
        let model = PlatformSimulation(scenario: c, config: sequentialConfig, seed: 7)
        var s = Scheduler()
        model.start(&s)
        _ = s.run(model, until: c.duration!)
        for r in 0..<3 {
            #expect(lps[r].model.orders.createdPerCity.count == r + 1)
            #expect(lps[r].model.orders.createdPerCity[r] == model.orders.createdPerCity[r], "region \(r)")
        }
        // The flat 900/h over 12 min is 180 orders expected; the three cities' sum is the same.
        #expect(lps.map { $0.model.orders.created }.reduce(0, +) == model.orders.created)
        for inv in parallel.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
    }

    /// What needs state shared across regions is refused, naming the key.
    @Test func sharedStateFeaturesAreRefused() throws {
        let body = Self.three.replacingOccurrences(of: "faults: [{ kind: replica_crash, service: order_service, region: west, at: 6min }]",
                                                   with: "faults: [{ kind: region_outage, region: west, at: 6min, for: 1min }]")
        let (c, _) = try Self.config(body)
        #expect {
            _ = try ScenarioRunner.run(c, seed: 7, replications: 1, threads: 1)
        } throws: { error in
            let text = "\(error)"
            return text.contains("faults[0]") && text.contains("parallel_regions") && text.contains("fix:")
        }
    }

    /// The LPs' CPU and acks=all draws computed ahead by a thread that never stops filling
    /// (harder than the barrier's waiting thread, which fills between windows only): the report
    /// is the one without, to the byte.
    @Test func drawsComputedAheadChangeNoReport() throws {
        let (c, p) = try Self.config(Self.three)
        func text(_ m: RunMetrics) -> String {
            let header = Report.Header(scenarioName: c.name, scenarioFile: "s.yaml", description: "", resolvedScenario: c.document.toJSONValue(),
                                       seed: 7, replications: 1, model: "platform")
            return Report(header: header, replications: [m]).json.serialized()
        }
        let plain = RegionRunner.run(RegionRunner.make(c, p, seed: 7), p, until: c.duration!, threads: 1).metrics
        let lps = RegionRunner.make(c, p, seed: 7)
        let prefetcher = DrawPrefetcher()
        for lp in lps { lp.model.drawAhead(prefetcher) }
        // Per region: its three pools' request types and its acks=all stream.
        #expect(prefetcher.count == 3 * (PlatformConfig.requestTypes.map(\.count).reduce(0, +) + 1))
        let stop = Atomic<Bool>(false), filled = Atomic<Int>(0)
        let group = DispatchGroup()
        group.enter()
        Thread {
            while !stop.load(ordering: .relaxed) {
                if prefetcher.fillSome(chunk: 16) { filled.wrappingAdd(1, ordering: .relaxed) }
            }
            group.leave()
        }.start()
        let ahead = RegionRunner.run(lps, p, until: c.duration!, threads: 1).metrics
        stop.store(true, ordering: .relaxed)
        group.wait()
        #expect(text(ahead) == text(plain))
        #expect(filled.load(ordering: .relaxed) > 100)
    }

    /// national-day.yaml, a 3-minute slice at the evening peak: report identical on 1, 2 and 3 threads.
    @Test func nationalDaySliceIsByteIdenticalOnOneTwoAndThreeThreads() throws {
        let path = PlatformSimulationTests.root + "/scenarios/national-day.yaml"
        let c = try ScenarioConfig.load(path: path, overrides: ["demand.start_at=23h", "duration=3min", "warmup=1min", "demand.drain=0s"])
        #expect(c.document["parallel_regions"]?.boolValue == true)
        let one = try Self.report(c, threads: 1)
        #expect(try Self.report(c, threads: 2) == one)
        #expect(try Self.report(c, threads: 3) == one)
    }
}

extension ParallelRegionsTests {
    /// One region: no messages and one window, so the parallel engine is the sequential one
    /// (same report to the byte, events included).
    @Test func oneRegionIsTheSequentialEngine() throws {
        let c = try PlatformSimulationTests.load(WorldScenario.base, overrides: ["demand.menu_views_per_order=2", "demand.status_reads=true"])
        let parallel = try PlatformSimulationTests.load(WorldScenario.base, overrides: ["demand.menu_views_per_order=2", "demand.status_reads=true",
                                                                                        "parallel_regions=true"])
        let a = PlatformSimulationTests.summary(try PlatformSimulationTests.run(c))
        let b = PlatformSimulationTests.summary(try PlatformRunner.run(parallel, seed: 7, replication: 0, threads: 2, progress: nil))
        #expect(a == b)
    }
}
