import Scenario
import SimCore
import Testing
@testable import World

/// Issue 11: the order latencies per region (`click_to_door@<region>`, `matching_delay@<region>`,
/// `courier.wait_for_food@<region>`). Truth from outside the per-region code: the global
/// histograms, recorded as before. Every order belongs to exactly one region, so the regions'
/// histograms partition the global one: their counts add up exactly, and merged they give the
/// global histogram's every percentile, mean and maximum exactly.
@Suite struct RegionOrderLatencyTests {
    static let names = ["click_to_door", "matching_delay", "courier.wait_for_food"]

    @Test func regionsPartitionTheGlobalHistograms() throws {
        // 45 minutes: the first deliveries (6 min prep, a trip, 4 min services) end after ~15.
        let c = try PlatformSimulationTests.load(CrossRegionChannelTests.twoRegions, overrides: ["duration=45min"])
        let m = try PlatformSimulationTests.run(c, seed: 5)
        for name in Self.names {
            let global = try #require(m.histogram(name))
            let east = try #require(m.histogram("\(name)@east")), west = try #require(m.histogram("\(name)@west"))
            // Not a bound on the model: with no samples in a region the partition checks nothing.
            try #require(east.count > 0 && west.count > 0, "\(name): a region recorded nothing")
            #expect(east.count + west.count == global.count, "\(name): \(east.count) + \(west.count) ≠ \(global.count)")
            var merged = east
            merged.merge(west)
            for p in [50.0, 90, 99, 99.9] { #expect(merged.percentile(p) == global.percentile(p), "\(name) p\(p)") }
            #expect(merged.max == global.max && merged.min == global.min, "\(name)")
            // The mean's sum is a Double summed in another order: equal to rounding (1e-12).
            #expect(abs(merged.mean - global.mean) <= 1e-12 * global.mean, "\(name)")
        }
    }

    /// A one-region world: its region's histograms hold exactly the global samples (equal
    /// counts and percentiles), and the report adds no per-region key (it would repeat the
    /// global one), so one-region reports are unchanged.
    @Test func oneRegionEqualsTheGlobalAndAddsNoKey() throws {
        let model = try CrossRegionChannelTests.model(WorldScenario.base)
        var s = Scheduler(reservingCapacity: 1 << 12)
        model.start(&s)
        _ = s.run(model, until: 45 * SimUnit.minute)  // deliveries need ~20 min (10 min prep)
        let m = model.metrics(at: s.now)
        let city = model.measurements.cities[0]
        for (name, own) in zip(Self.names, [city.clickToDoor, city.matchingDelay, city.foodWait]) {
            let global = try #require(m.histogram(name))
            try #require(global.count > 0, "\(name): nothing recorded")
            #expect(own.count == global.count, "\(name)")
            for p in [50.0, 90, 99] { #expect(own.percentile(p) == global.percentile(p), "\(name) p\(p)") }
            #expect(m.histogram("\(name)@only") == nil, "\(name)@only should not be reported")
        }
    }
}
