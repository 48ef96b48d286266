import Foundation
import Scenario
import SimCore
import Testing
@testable import World

/// The caches component alone: one key requested as a Poisson stream at rate λ, L1 off, L2 with
/// TTL T set when a miss loads the key and not refreshed on a hit. Each miss starts a cycle of
/// T in which every request hits, so the L2 hit ratio is λT/(1 + λT) (the TTL-cache formula,
/// Jung, Berger & Balakrishnan, "Modeling TTL-based Internet caches", INFOCOM 2003).
@Suite struct CacheTTLHitRatioTests {
    /// Drives `MenuCaches` through its two-phase protocol for one key; L3 loads take 1 ms.
    final class KeyLoad: EventHandler {
        let caches: MenuCaches
        let slot: Int
        let arrivals: RandomStream
        let lambda: Double
        var requests = 0
        let limit: Int

        init(caches: MenuCaches, seed: UInt64, lambda: Double, requests: Int) {
            self.caches = caches
            slot = caches.addReplica(region: 0)
            arrivals = StreamSeeder(masterSeed: seed).stream("test.arrivals")
            self.lambda = lambda
            limit = requests
        }

        func nextArrival(_ s: inout Scheduler) {
            guard requests < limit else { return }
            s.schedule(after: SimUnit.fromSeconds(-log(arrivals.uniformPositive()) / lambda), kind: 0)
        }

        func handle(_ e: Event, _ s: inout Scheduler) {
            switch e.kind {
            case 0:
                requests += 1
                let (hit, after) = caches.lookup(region: 0, 42, slot: slot, request: requests, now: s.now)
                if !hit { s.schedule(after: after, kind: 1) }
                nextArrival(&s)
            case 1:
                if !caches.resumeAfterL2(region: 0, 42, slot: slot, now: s.now) { s.schedule(after: SimUnit.millisecond, kind: 2) }
            default:
                caches.complete(region: 0, 42, slot: slot, now: s.now)
            }
        }
    }

    static func l2HitRatio(ttlSeconds: Int, lambda: Double, seed: UInt64) throws -> Double {
        let body = PlatformSimulationTests.small.replacingOccurrences(
            of: "cache: { l1: { ttl: 300s, latency: 1ms }, l2: { ttl: 3600s, latency: 5ms }, l3: { latency: 50ms } }",
            with: "cache: { l1: { capacity: 0, ttl: 300s, latency: 1ms }, l2: { ttl: \(ttlSeconds)s, latency: 1ms }, l3: { latency: 1ms } }")
        var errors: [ScenarioError] = []
        let config = try #require(PlatformConfig.decode(try PlatformSimulationTests.load(body).document, errors: &errors))
        #expect(config.l1Capacity == 0 && config.l2TTL == SimTime(ttlSeconds) * SimUnit.second)
        let caches = MenuCaches(config: config, seeder: StreamSeeder(masterSeed: seed))
        let load = KeyLoad(caches: caches, seed: seed, lambda: lambda, requests: 200_000)
        var s = Scheduler(reservingCapacity: 64)
        load.nextArrival(&s)
        _ = s.run(load)
        var m = RunMetrics()
        caches.report(into: &m, regions: config.regions)
        #expect(m.counterValue("cache.l1.hit_ratio@east") == 0)
        return try #require(m.counterValue("cache.l2.hit_ratio@east"))
    }

    /// λ = 1/s with T = 10 s (10/11) and T = 1 s (1/2). 200,000 requests make ≈ 18,000 (T = 10 s)
    /// or 100,000 (T = 1 s) miss cycles; the hit ratio's standard error is below 0.0003 in both,
    /// and the 2 ms a miss takes to fill L2 lowers it by about λ·2 ms/(1 + λT)² < 0.0005: a
    /// tolerance of 0.003 is wide of both. A TTL refreshed on every hit would give 1 − e^(−λT)
    /// (0.99995 and 0.632), outside it.
    @Test(arguments: [10, 1])
    func l2KeyHitRatioIsLambdaTOverOnePlusLambdaT(_ ttlSeconds: Int) throws {
        let lambda = 1.0
        let lt = lambda * Double(ttlSeconds)
        let ratio = try Self.l2HitRatio(ttlSeconds: ttlSeconds, lambda: lambda, seed: 5)
        #expect(abs(ratio - lt / (1 + lt)) < 0.003, "L2 hit ratio \(ratio) vs λT/(1+λT) = \(lt / (1 + lt))")
    }
}
