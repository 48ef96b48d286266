import CapsimTestSupport
import Foundation
import Testing

/// `capsim plan` on the platform model reduced to one pool: order_service alone, one core
/// per replica, exponential CPU (mean 50 ms, μ = 20/s), no database, Kafka or cache
/// latency, pinned replicas behind least-connections. place_order latency is then the
/// sojourn time of c single-server queues with join-the-shortest-queue routing, close to
/// M/M/c; the replicas plan finds for a p99 target must be the M/M/c answer within one
/// replica (JSQ can need one more than a shared queue). Release only: 3 × 12 simulated minutes
/// of 60 orders/s per configuration are slow in a debug build.
/// Whether the tests were compiled with optimisation (`swift test -c release`).
let planTestsInRelease: Bool = {
    #if DEBUG
    return false
    #else
    return true
    #endif
}()

@Suite(.serialized, .enabled(if: planTestsInRelease, "statistical test of the platform model: run in release"))
struct PlanPlatformTests {

    /// P(T > t) for the M/M/c sojourn T = W + S: (1 − C)·e^{−μt} + C·P(Exp(θ) + Exp(μ) > t),
    /// θ = cμ − λ, with C from Erlang C.
    static func sojournTail(_ t: Double, c: Int, lambda: Double, mu: Double) -> Double {
        let C = PlanCommandTests.erlangC(c, lambda / mu)
        let theta = Double(c) * mu - lambda
        let both = abs(theta - mu) < 1e-9 ? exp(-mu * t) * (1 + mu * t) : (theta * exp(-mu * t) - mu * exp(-theta * t)) / (theta - mu)
        return (1 - C) * exp(-mu * t) + C * both
    }

    static func p99Sojourn(c: Int, lambda: Double, mu: Double) -> Double {
        guard lambda < Double(c) * mu else { return .infinity }
        var lo = 0.0, hi = 100.0
        for _ in 0..<200 {
            let m = (lo + hi) / 2
            if sojournTail(m, c: c, lambda: lambda, mu: mu) > 0.01 { lo = m } else { hi = m }
        }
        return hi
    }

    @Test func replicasMatchErlangCWithinOne() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("p.yaml", """
            name: pool
            model: platform
            seed: 3
            duration: 12min
            warmup: 2min
            regions:
              only: { primary: true, latency_target: 1s, demand_share: 1, center: { lon: 0, lat: 45 } }
            demand: { orders_per_hour: 216000/h, profile: flat, menu_views_per_order: 0, status_reads: false, history_views_per_order: 0 }
            restaurants: { count: 10, prep_time: 10min }
            couriers: { count: 1 }
            services:
              order_service: { min: 8, max: 8, target_cpu: 70, cores: 1, timeout: 1h,
                               cpu: { place_order: { exponential: { mean: 50ms } }, menu_view: 1ms } }
              location_service: { min: 1, max: 1, target_cpu: 70, cpu: { location_update: 1ms, location_consume: 1ms } }
              matching_service: { min: 1, max: 1, target_cpu: 70, cpu: { order_event: 0s, match_batch: 0s } }
            load_balancer: { algorithm: least_connections, sticky_sessions: false }
            cache: { l1: { latency: 0s }, l2: { latency: 0s }, l3: { latency: 0s } }
            database: { write_latency: 0s, connections_per_shard: 100000 }
            kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 }, produce_latency: 0s }
            matching: { policy: greedy, cancel_after: 1min }
            slos:
              - { metric: place_order@only.latency, stat: p99, max: 280ms }
            """)
        let lambda = 60.0, mu = 20.0
        let cStar = (1...40).first { Self.p99Sojourn(c: $0, lambda: lambda, mu: mu) <= 0.28 }!
        #expect(cStar == 5)
        let r = try CapsimBinary.run(["plan", "p.yaml", "--vary", "services.order_service.replicas=1..10", "--demand", "216000/h",
                                      "--replications", "3", "--no-sensitivity", "--out", "out", "--quiet"], in: ws.path)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: ws.dir.file("out/pool-plan/plan.json")))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let level = try #require((json["levels"] as? [[String: Any]])?.first)
        let replicas = try #require(((level["configuration"] as? [String: Any])?["services.order_service.replicas"] as? NSNumber)?.intValue)
        #expect(abs(replicas - cStar) <= 1, "plan \(replicas) replicas, M/M/c (Erlang C) \(cStar)")
        #expect(replicas >= cStar, "fewer servers than a shared queue needs cannot meet the target")
    }
}
