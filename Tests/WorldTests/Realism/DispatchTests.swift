import CapsimTestSupport
import Foundation
import Platform
import Scenario
import SimCore
import Testing
@testable import World

/// Issue 11, dispatch: the k nearest idle couriers as candidates, and the dispatch hold.
@Suite struct DispatchTests {
    /// Great-circle distance as Redis computes it (`src/geohash_helper.c`, `geohashGetDistance`:
    /// haversine on a sphere of radius 6372797.560856 m).
    static func redisDistance(_ a: DispatchPosition, _ b: DispatchPosition) -> Double {
        let r = 6372797.560856, rad = Double.pi / 180
        let u = sin((b.y - a.y) * rad / 2), v = sin((b.x - a.x) * rad / 2)
        return 2 * r * asin((u * u + cos(a.y * rad) * cos(b.y * rad) * v * v).squareRoot())
    }

    /// The world's candidate source (the geo index of idle couriers, cut to `matching.candidates`)
    /// returns the k nearest couriers within the radius, nearest first: the same ids as a
    /// brute-force scan sorted by (distance, id), on random instances. Tolerance: the geo
    /// index stores 52-bit geohashes (positions within ~0.6 m), so where the brute force's
    /// k-th and (k+1)-th couriers are less than 2 m apart either may be cut. In such a case the
    /// answer must hold every courier more than 2 m nearer than the k-th and none more than
    /// 2 m farther than the (k+1)-th; every other case is compared exactly.
    @Test(arguments: [1, 4, 16, 32]) func kNearestEqualBruteForce(k: Int) throws {
        var rng = SplitMix64(seed: UInt64(1000 + k))
        var nearTies = 0
        for instance in 0..<40 {
            var source = GeoSetCandidateSource()
            var all: [(id: Int, position: DispatchPosition)] = []
            let n = 5 + Int(rng.next() % 300)
            for id in 0..<n {
                // Within ~3 km of (-73.99, 40.73): 0.035° of latitude, 0.046° of longitude.
                let p = DispatchPosition(x: -73.99 + (Double(rng.next() % 1_000_000) / 1e6 - 0.5) * 0.092,
                                         y: 40.73 + (Double(rng.next() % 1_000_000) / 1e6 - 0.5) * 0.07)
                _ = try source.index.add(id, longitude: p.x, latitude: p.y)
                all.append((id, p))
            }
            let centre = DispatchPosition(x: -73.99 + (Double(rng.next() % 1000) / 1000 - 0.5) * 0.05,
                                          y: 40.73 + (Double(rng.next() % 1000) / 1000 - 0.5) * 0.04)
            let radius = 2700.0
            var got: [DispatchCandidate] = []
            source.candidates(near: centre, radiusMeters: radius, limit: k, into: &got)
            let brute = all.map { (id: $0.id, d: Self.redisDistance(centre, $0.position)) }
                .filter { $0.d <= radius }.sorted { ($0.d, $0.id) < ($1.d, $1.id) }
            let want = Array(brute.prefix(k))
            #expect(got.count == want.count, "instance \(instance): \(got.count) candidates, brute force \(want.count)")
            if brute.count > k, brute[k].d - brute[k - 1].d < 2 {
                nearTies += 1
                let ids = Set(got.map(\.courierID))
                for b in brute where b.d < brute[k - 1].d - 2 { #expect(ids.contains(b.id), "instance \(instance): \(b.id) missing") }
                for g in got { #expect(g.distanceMeters <= brute[k].d + 2, "instance \(instance): \(g.courierID) too far") }
                continue
            }
            #expect(Set(got.map(\.courierID)) == Set(want.map(\.id)), "instance \(instance), k \(k)")
            for (g, w) in zip(got, want) { #expect(abs(g.distanceMeters - w.d) < 2, "instance \(instance): \(g.distanceMeters) vs \(w.d)") }
        }
        // The exact comparison covers most instances (near-ties: 0-3 of 40 with these seeds).
        #expect(nearTies <= 4)
    }

    /// `matching.candidates` reaches the batch matcher's `BatchPolicy.candidateLimit`; absent
    /// (0), every courier in the radius is a candidate as before.
    @Test func candidatesKeySetsTheBatchPolicy() throws {
        for (text, want) in [("16", 16), ("0", Int.max)] {
            let c = try PlatformSimulationTests.load(WorldScenario.base, overrides: ["matching.candidates=\(text)"])
            var errors: [ScenarioError] = []
            let config = try #require(PlatformConfig.decode(c.document, errors: &errors))
            let sim = PlatformSimulation(scenario: c, config: config, seed: 1)
            #expect(sim.matching.candidateLimit == want)
        }
    }

    /// One courier within 100 m of the restaurant, one traced order placed at 120 s whose food
    /// is ready at 1,320 s, pick-up and drop-off service 0, batches every 30 s, margin 60 s.
    /// The courier's travel T is at most 100 m / (19 km/h) = 18.95 s and matching_service
    /// answers in δ ≈ 1 ms. With the hold the order is released at the first batch at or
    /// after ready − T − 60 s = 1,260 − T, i.e. the 1,260 s batch (T + δ < 30 s), so the
    /// courier arrives at 1,260 + δ + T and waits max(0, ready − arrival) = 60 − δ − T ∈
    /// [41.0, 60] s. Without the hold it is matched at the 150 s batch and waits
    /// 1,320 − 150 − δ − T ∈ [1,151.0, 1,170] s. Food ready at placement: 0 s either way.
    @Test func courierWaitIsReadyMinusArrival() throws {
        let tMax = 100.0 / (19.0 / 3.6)
        for (hold, ready, lo, hi) in [(true, 1320.0, 60 - tMax - 0.1, 60.0), (false, 1320.0, 1170 - tMax - 0.1, 1170.0),
                                      (true, 120.0, 0.0, 0.0), (false, 120.0, 0.0, 0.0)] {
            let m = try Self.runOne(ready: ready, hold: hold)
            let w = try #require(m.histogram("courier.wait_for_food"))
            #expect(w.count == 1)
            #expect(Double(w.max) / 1e9 >= lo && Double(w.max) / 1e9 <= hi, "hold \(hold), ready \(ready): wait \(Double(w.max) / 1e9) s, want [\(lo), \(hi)]")
            #expect(m.counterValue("orders.delivered") == 1)
        }
    }

    static func runOne(ready: Double, hold: Bool) throws -> RunMetrics {
        try runTraced(orders: "120,0,45,0,45.009,\(ready)\n", duration: "40min",
                      matching: "cancel_after: 30min, dispatch_hold: { enabled: \(hold), margin: 1min } }")
    }

    /// The base world cut to one courier within 100 m of the restaurant, service times 0, and
    /// the traced `orders` (CSV rows: placement, restaurant lon/lat, customer lon/lat, ready);
    /// `matching` replaces the base's `cancel_after: 30min }` (the end of its matching object).
    static func runTraced(orders: String, duration: String, matching: String) throws -> RunMetrics {
        let dir = NSTemporaryDirectory() + "capsim-traced-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ("placement_time,restaurant_lon,restaurant_lat,customer_lon,customer_lat,ready_time\n" + orders)
            .write(toFile: dir + "/orders.csv", atomically: true, encoding: .utf8)
        let body = WorldScenario.base
            .replacingOccurrences(of: "city_radius: 4km", with: "city_radius: 100m")
            .replacingOccurrences(of: "history_views_per_order: 0 }", with: "history_views_per_order: 0, trace: orders.csv }")
            .replacingOccurrences(of: "couriers: { count: 20 }", with: "couriers: { count: 1, pickup_service: 0s, dropoff_service: 0s }")
            .replacingOccurrences(of: "duration: 20min", with: "duration: \(duration)")
            .replacingOccurrences(of: "cancel_after: 30min }", with: matching)
        try body.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        let c = try ScenarioConfig.load(path: dir + "/s.yaml")
        return try PlatformRunner.run(c, seed: 5, replication: 0, progress: nil)
    }

    /// Declines: each offer is declined with probability p independently and the order is
    /// offered again, so the declines before an order's accepted offer are geometric with
    /// mean p / (1 − p) and variance p / (1 − p)². Over the n accepted offers (matching_delay's
    /// count, warm-up 0) the declines are n·p/(1 − p) within 4 standard deviations
    /// √(n·p/(1 − p)²), plus the few orders still open at the end (at most in_flight).
    @Test func declinedOffersAreOfferedAgain() throws {
        let p = 0.5
        let m = try WorldScenario.run(WorldScenario.base.replacingOccurrences(of: "couriers: { count: 20 }", with: "couriers: { count: 20, decline_share: \(p) }"),
                                      ["warmup=0s"])
        let n = Double(try #require(m.histogram("matching_delay")).count)
        let declined = try #require(m.counterValue("matching.declined"))
        let want = n * p / (1 - p), sd = (n * p / ((1 - p) * (1 - p))).squareRoot()
        #expect(abs(declined - want) <= 4 * sd + (m.counterValue("orders.in_flight") ?? 0), "declined \(declined), want \(want) ± \(4 * sd)")
        #expect(m.counterValue("orders.cancelled") == 0)
    }
}
