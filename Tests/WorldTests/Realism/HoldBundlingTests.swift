import Foundation
import Platform
import Scenario
import SimCore
import Testing
@testable import World

/// Issue 11: `matching.dispatch_hold.bundling: oldest_first`, the bundle rule under the hold
/// (Platform `BundleRule.oldestFirst`): no order of a bundle is handed over later because of a
/// younger one.
@Suite struct HoldBundlingTests {
    /// The rule is the hold's: off by default, and without the hold the bundles are as before.
    @Test func theKeySetsTheRuleOnlyWithTheHold() throws {
        for (overrides, want) in [(["matching.bundle_size=3"], BundleRule.readyWindow),
                                  (["matching.bundle_size=3", "matching.dispatch_hold.enabled=true"], .readyWindow),
                                  (["matching.bundle_size=3", "matching.dispatch_hold.enabled=true", "matching.dispatch_hold.bundling=oldest_first"], .oldestFirst),
                                  (["matching.bundle_size=3", "matching.dispatch_hold.bundling=oldest_first"], .readyWindow)] {
            let c = try PlatformSimulationTests.load(WorldScenario.base, overrides: overrides)
            var errors: [ScenarioError] = []
            let config = try #require(PlatformConfig.decode(c.document, errors: &errors))
            let sim = PlatformSimulation(scenario: c, config: config, seed: 1)
            #expect(sim.matching.bundleRule == want, "\(overrides)")
        }
    }

    /// By hand. One courier within 100 m of the restaurant at (0°, 45°), service times 0,
    /// batches every 30 s, hold margin 60 s, bundles of up to 3 within 5 min. Two traced orders:
    /// A placed at 120 s, food ready at 1,320 s, customer 0.018° north; B placed at 700 s, ready
    /// at 1,315 s, 0.0045° south. Along a meridian Redis' haversine is R·Δφ (R = 6,372,797.56
    /// m): A's customer is 2,002.07 m from the restaurant (379.34 s at 19 km/h), B's 500.52 m
    /// (94.83 s), the two customers 2,502.59 m apart (474.17 s). The courier's travel T is at
    /// most 18.95 s, so both orders are released at the 1,260 s batch (A: ready − T − 60 ≥
    /// 1,241; B: ≥ 1,236, after the 1,230 s batch) and bundled; the courier arrives by 1,280 s
    /// and picks up at 1,320 (A's food).
    /// - ready_window: B (earliest ready) seeds, A joins; the shorter route hands B over first,
    ///   at 1,320 + 94.83, and A at + 474.17 more: click-to-door A 1,769.00 s, B 714.83 s.
    /// - oldest_first: A (oldest) seeds and is handed over first, at 1,320 + 379.34; B joins
    ///   (ready 5 s before A; its 474.17 s after A's hand-over are within its 580 s of age):
    ///   A 1,579.34 s, B 1,473.51 s. The longest click-to-door drops by 189.66 s.
    @Test func handWorkedClickToDoor() throws {
        let r = 6372797.560856, v = 19.0 / 3.6, deg = Double.pi / 180
        let tA = r * 0.018 * deg / v, tB = r * 0.0045 * deg / v, tAB = r * 0.0225 * deg / v
        for (rule, a, b) in [("ready_window", 1320 + tB + tAB - 120, 1320 + tB - 700),
                             ("oldest_first", 1320 + tA - 120, 1320 + tA + tAB - 700)] {
            let m = try Self.run(rule: rule)
            let h = try #require(m.histogram("click_to_door"))
            #expect(h.count == 2)
            // Tolerance 5 ms: the hand values leave out the order's placement path (its write
            // and produce, 1 ms steps in this scenario), which moves the recorded click-to-door
            // by 2 ms on every order here; each leg is rounded up to the nanosecond.
            #expect(abs(Double(h.max) / 1e9 - max(a, b)) < 0.005, "\(rule): longest \(Double(h.max) / 1e9) s, want \(max(a, b))")
            #expect(abs(Double(h.min) / 1e9 - min(a, b)) < 0.005, "\(rule): shortest \(Double(h.min) / 1e9) s, want \(min(a, b))")
            // One trip for both: the courier waits for A's food, 1,320 − arrival ∈ [41.0, 60] s.
            let w = try #require(m.histogram("courier.wait_for_food"))
            #expect(w.count == 1 && Double(w.max) / 1e9 >= 60 - 18.96 && Double(w.max) / 1e9 <= 60)
            #expect(m.counterValue("orders.delivered") == 2)
        }
    }

    /// `offer_to_estimate`'s head start, by hand (radius 2.7 km, steps of 2.7 km per minute up
    /// to 8.1 km): a courier within 2.7 km needs none; up to 5.4 km one minute; beyond, two (the
    /// widest radius, also for a courier the search could not reach).
    @Test func waitToReachTheEstimatesCourier() {
        let s = ExpandingSearchTests.search()
        for (meters, want) in [(0.0, 0.0), (2700, 0), (2700.5, 60), (5400, 60), (5401, 120), (8100, 120), (9000, 120)] {
            #expect(s.wait(toReach: meters) == SimUnit.fromSeconds(want), "\(meters) m")
            // The radius after that wait covers the courier (up to the widest).
            #expect(s.radius(waited: s.wait(toReach: meters)) >= min(meters, 8100), "\(meters) m")
        }
    }

    static func run(rule: String) throws -> RunMetrics {
        try DispatchTests.runTraced(orders: "120,0,45,0,45.018,1320\n700,0,45,0,44.9955,1315\n", duration: "45min",
                                    matching: "cancel_after: 30min, bundle_size: 3, dispatch_hold: { enabled: true, margin: 1min, bundling: \(rule) } }")
    }
}
