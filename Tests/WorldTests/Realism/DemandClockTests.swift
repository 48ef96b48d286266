import Foundation
import Scenario
import SimCore
import Testing
import World

/// Issue 11, demand and measurement: each region runs the profile on its local clock; the
/// orders in flight match M/G/∞; censored click-to-door and the drain period.
@Suite struct DemandClockTests {
    static let threeRegions = """
        name: clocks
        model: platform
        duration: 24h
        warmup: 0s
        regions:
          us_east: { primary: true, latency_target: 1s, demand_share: 0.34, center: { lon: -73.99, lat: 40.73 }, city_radius: 3km, utc_offset: -5 }
          us_west: { latency_target: 1s, demand_share: 0.33, center: { lon: -122.42, lat: 37.77 }, city_radius: 3km, utc_offset: -8 }
          eu_west: { latency_target: 1s, demand_share: 0.33, center: { lon: -6.26, lat: 53.35 }, city_radius: 3km, utc_offset: 0 }
        demand: { orders_per_hour: 120/h, start_at: 10h, menu_views_per_order: 0, status_reads: false, history_views_per_order: 0,
                  profile: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 12, 1, 1, 1, 1] }
        restaurants: { count: 30, prep_time: 10min }
        couriers: { count: 30, ping_idle: 60s }
        services:
          order_service: { min: 1, max: 1, target_cpu: 70, cpu: { place_order: 1ms, menu_view: 1ms } }
          location_service: { min: 1, max: 1, target_cpu: 70, cpu: { location_update: 1ms, location_consume: 1ms } }
          matching_service: { min: 1, max: 1, target_cpu: 70, cpu: { order_event: 1ms, match_batch: 1ms } }
        cache: { l1: { latency: 0s }, l2: { latency: 1ms }, l3: { latency: 10ms } }
        database: { write_latency: 1ms }
        kafka: { order_events: { partitions: 2 }, location_updates: { partitions: 2 }, produce_latency: 0s }
        matching: { policy: batched, interval: 30s, radius: 5km, cancel_after: 30min }
        """

    /// t = 0 is 10:00 UTC (start_at 10h at offset 0). The profile's only busy hour is 19:00
    /// (12 × the others), so each region's busiest hour of place_order calls must start at
    /// t = (19 − offset − 10) mod 24 h: us_east (−5) 14 h, us_west (−8) 17 h, eu_west (0) 9 h.
    /// Counts: the region's busy hour holds 40 × 24 × 12 / 35 ≈ 330 orders against ≈ 27 in
    /// any other hour, so Poisson noise cannot move the argmax (P < 1e-60).
    @Test func eachRegionPeaksAtItsLocalEvening() throws {
        let m = try WorldScenario.run(Self.threeRegions, seed: 11)
        for (region, offset) in [("us_east", -5), ("us_west", -8), ("eu_west", 0)] {
            let s = try #require(m.series.first { $0.name == "place_order@\(region).throughput" }?.series)
            var perHour = Array(repeating: 0.0, count: 24)
            for (t, v) in zip(s.times, s.values) where v.isFinite {
                let h = Int(t / SimUnit.hour)
                if h < 24 { perHour[h] += v }
            }
            let peak = perHour.indices.max { perHour[$0] < perHour[$1] }!
            #expect(peak == ((19 - offset - 10) % 24 + 24) % 24, "\(region): busiest hour at t = \(peak) h")
        }
    }

    /// The component tests' one-region city, run for 3 h after a 1 h warm-up, with Zipf
    /// popularity, gamma prep times, ample couriers and a cancellation clock longer than any
    /// order can wait.
    static let steady = WorldScenario.base
        .replacingOccurrences(of: "duration: 20min\n", with: "duration: 3h\n")
        .replacingOccurrences(of: "warmup: 1min\n", with: "warmup: 1h\n")
        .replacingOccurrences(of: "restaurants: { count: 10, prep_time: 10min }",
                              with: "restaurants: { count: 50, zipf_exponent: 0.7, prep_time: { gamma: { shape: 4, scale: 3min } } }")
        .replacingOccurrences(of: "couriers: { count: 20 }", with: "couriers: { count: 400 }")
        .replacingOccurrences(of: "cancel_after: 30min", with: "cancel_after: 60min")

    /// Poisson orders (λ = 600/h), ample couriers (400 for ~5 orders in flight per 1,000 s
    /// of delivery), no cancellations: an M/G/∞ system, whose number in system at a fixed
    /// time in steady state is Poisson with mean λ·E[D] (D the click-to-door time).
    /// E[D] is the mean click-to-door of a second run with the same seed that stops orders at
    /// 3 h and drains for 1 h (the same trajectory up to 3 h; every order placed after the
    /// warm-up is delivered, so the mean is not biased towards short deliveries; ~1,200 per run).
    /// Over 8 seeds the mean in-flight count has standard deviation √(λE[D] / 8) (≈ 6 for
    /// λE[D] ≈ 300); the tolerance is 4 of those plus 2 % for the E[D] estimate.
    /// The counts' sample variance must match the Poisson variance (= mean) within the
    /// 99.9 % chi-square band for 7 degrees of freedom (0.24 ≤ s²/mean ≤ 3.39).
    @Test func ordersInFlightMatchMGInfinity() throws {
        var counts: [Double] = [], expected: [Double] = []
        for seed in 1...8 {
            let m = try WorldScenario.run(Self.steady, seed: UInt64(seed))
            #expect(m.counterValue("orders.cancelled") == 0)
            counts.append(try #require(m.counterValue("orders.in_flight")))
            let drained = try WorldScenario.run(Self.steady, ["duration=4h", "demand.drain=1h"], seed: UInt64(seed))
            #expect(drained.counterValue("orders.in_flight") == 0)
            let d = try #require(drained.histogram("click_to_door")).mean / 1e9
            expected.append(600.0 / 3600 * d)
        }
        let mean = counts.reduce(0, +) / 8, want = expected.reduce(0, +) / 8
        let tol = 4 * (want / 8).squareRoot() + 0.02 * want
        #expect(abs(mean - want) <= tol, "in flight \(mean) vs λE[D] \(want) ± \(tol)")
        let s2 = counts.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7
        #expect(s2 / want >= 0.24 && s2 / want <= 3.39, "variance ratio \(s2 / want)")
    }

    /// A run that ends with orders in flight reports them as censored and marks the
    /// percentiles of click_to_door.all_orders it cannot know; a drain as long as the
    /// longest possible order (cancel_after 60 min + prep + trip) leaves none.
    @Test func censoredOrdersAndDrain() throws {
        let open = try WorldScenario.run(Self.steady, ["duration=90min"], seed: 3)
        // Only the in-flight orders placed after the warm-up are censored samples.
        let censored = try #require(open.counterValue("click_to_door.censored"))
        #expect(censored <= (open.counterValue("orders.in_flight") ?? -1))
        #expect(Double(try #require(open.histogram("click_to_door.censored_age")).count) == censored)
        #expect(open.counterValue("click_to_door.all_orders.p99_lower_bound") == 1)
        #expect(open.findings.contains { $0.code == "censored" })
        let drained = try WorldScenario.run(Self.steady, ["demand.drain=2h", "duration=4h"], seed: 3)
        #expect(drained.counterValue("orders.in_flight") == 0)
        #expect(drained.counterValue("click_to_door.censored") == 0)
        #expect(drained.counterValue("click_to_door.all_orders.p99_lower_bound") == 0)
        #expect(!drained.findings.contains { $0.code == "censored" })
    }

    /// 100 couriers × [1, 2, 0.5, 1.5] per local hour, utc_offset −1 and start_at 1h (t = 0 is
    /// local hour 0), next to no demand, 150 min.
    static let staffedCity = WorldScenario.base
        .replacingOccurrences(of: "city_radius: 4km }", with: "city_radius: 4km, utc_offset: -1 }")
        .replacingOccurrences(of: "orders_per_hour: 600/h, profile: flat,", with: "orders_per_hour: 0.001/h, profile: flat, start_at: 1h,")
        .replacingOccurrences(of: "couriers: { count: 20 }", with: "couriers: { count: 100, staffing: [1, 2, 0.5, 1.5] }")
        .replacingOccurrences(of: "duration: 20min", with: "duration: 150min")

    /// The staffing curve on the local clock: 100 couriers × [1, 2, 0.5, 1.5] per local hour,
    /// utc_offset −1 and start_at 1h, so t = 0 is local hour 0 and t = 2 h 30 min local hour 2:
    /// 50 on duty at the end (demand 0.001/h: no order holds a courier on a trip; asserted),
    /// and 150 at t = 3 h 20 min (local hour 3).
    @Test func staffingFollowsTheLocalHour() throws {
        let body = Self.staffedCity
        let m = try WorldScenario.run(body)
        #expect(m.counterValue("orders.placed") == 0)
        #expect(m.counterValue("couriers.on_duty") == 50)
        let at3h = try WorldScenario.run(body.replacingOccurrences(of: "duration: 150min", with: "duration: 200min"))
        #expect(at3h.counterValue("couriers.on_duty") == 150)
    }
}

