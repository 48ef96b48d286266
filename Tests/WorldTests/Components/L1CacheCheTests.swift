import Foundation
import Scenario
import SimCore
import Testing
import World

/// The L1 (per-replica LRU) menu cache against Che's approximation (Che, Tung & Wang, IEEE
/// JSAC 2002; Fricker, Robert & Roberts 2012): under independent requests with rates λ_i, an
/// LRU cache of C entries keeps a key about T seconds after its last request, where T solves
/// Σ_i (1 − e^{−λ_i T}) = C, and hits with probability h = Σ_i λ_i (1 − e^{−λ_i T}) / Σ_i λ_i.
/// Menu views pick restaurants independently by Zipf (rank k weight k^−s), so the requests
/// are independent; with one order_service replica the whole stream meets one L1. TTL 100 h
/// takes expiry out.
@Suite struct L1CacheCheTests {
    static func che(n: Int, s: Double, capacity c: Double) -> Double {
        let w = (1...n).map { 1 / pow(Double($0), s) }
        let total = w.reduce(0, +)
        let p = w.map { $0 / total }
        func filled(_ t: Double) -> Double { p.reduce(0) { $0 + (1 - exp(-$1 * t)) } }
        var lo = 0.0, hi = 1.0
        while filled(hi) < c { hi *= 2 }
        for _ in 0..<200 { let mid = (lo + hi) / 2; if filled(mid) < c { lo = mid } else { hi = mid } }
        let t = (lo + hi) / 2
        return p.reduce(0) { $0 + $1 * (1 - exp(-$1 * t)) }
    }

    /// 500 restaurants, s = 0.9, C = 50. 40 minutes of menu views at 100 per order and 600
    /// orders/h: ~40,000 lookups. Tolerance 0.015 absolute: the binomial standard error is
    /// √(h(1 − h)/n) ≈ 0.0025 (5 SE = 0.0125); the cold start adds at most C/n ≈ 0.0013 of
    /// misses (the counters start at t = 0); Che's approximation itself is within a few
    /// thousandths for a Zipf law at this size (Fricker et al. 2012, Fig. 1).
    @Test(arguments: [(50, 0.9), (20, 1.1)])
    func l1HitRatioMatchesChe(capacity: Int, s: Double) throws {
        let expected = Self.che(n: 500, s: s, capacity: Double(capacity))
        let m = try WorldScenario.run(WorldScenario.base, [
            "restaurants.count=500", "restaurants.zipf_exponent=\(s)", "demand.menu_views_per_order=100", "duration=40min",
            "services.order_service.min=1", "services.order_service.max=1", "services.order_service.cores=4",
            "services.order_service.cpu.menu_view=0s",
            "cache.l1.ttl=100h", "cache.l1.capacity=\(capacity)", "cache.l1.latency=0s",
            "cache.l2.ttl=100h", "cache.l2.latency=0s", "cache.l3.latency=0s"])
        let views = try #require(m.counterValue("menu_views"))
        #expect(views > 30_000)
        let h = try #require(m.counterValue("cache.l1.hit_ratio@only"))
        #expect(abs(h - expected) < 0.015, "C = \(capacity), s = \(s): L1 hit ratio \(h) vs Che \(expected) over \(Int(views)) views")
    }
}
