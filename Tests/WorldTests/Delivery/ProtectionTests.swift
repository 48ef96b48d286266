import Foundation
import Scenario
import SimCore
import Testing
@testable import World

/// The per-pool protection as `Services` drives it, against the real systems' arithmetic:
/// Finagle's retry budget (deposit 1000 per request, a retry costs 1000 / percent), NGINX
/// limit_req with nodelay (rate per ms in thousandths, burst), resilience4j's breaker (opens at
/// the threshold once the window holds the minimum number of calls, refuses until the wait
/// has passed, then lets `half_open_calls` through).
@Suite struct ProtectionTests {
    /// The small scenario's services with `protection` (`--set` values) on order_service.
    static func services(_ protection: [String]) throws -> [PlatformConfig.Service] {
        var errors: [ScenarioError] = []
        let sc = try PlatformSimulationTests.load(PlatformSimulationTests.small, overrides: protection.map { "services.order_service." + $0 })
        return try #require(PlatformConfig.decode(sc.document, errors: &errors)).services
    }

    /// 20 % with no reserve: ten requests pay for two retries (10 × 1000 / 5000), the third is refused.
    @Test func retryBudgetAllowsPercentOfRequests() throws {
        let p = Protection(services: try Self.services(["retry_budget={ percent: 20, min_per_second: 0, ttl: 10s }"]),
                           poolServices: [0])
        for k in 0..<10 { #expect(p.admit(pool: 0, first: true, atBalancer: true, now: SimTime(k) * SimUnit.millisecond) == .go) }
        #expect(p.mayRetry(pool: 0, now: 20 * SimUnit.millisecond))
        #expect(p.mayRetry(pool: 0, now: 21 * SimUnit.millisecond))
        #expect(!p.mayRetry(pool: 0, now: 22 * SimUnit.millisecond))
        #expect(p.budgetRefused == [1])
    }

    /// 60 r/min, burst 2, nodelay: at one instant three pass (1 + burst), the fourth is
    /// refused; one second later one more passes. An unreachable balancer is not charged.
    @Test func limitReqRefusesBeyondRateAndBurst() throws {
        let p = Protection(services: try Self.services(["limit_req={ rate: 60/min, burst: 2 }"]), poolServices: [0])
        let t = SimUnit.second
        #expect((0..<3).allSatisfy { _ in p.admit(pool: 0, first: true, atBalancer: true, now: t) == .go })
        #expect(p.admit(pool: 0, first: true, atBalancer: true, now: t) == .rejected)
        #expect(p.admit(pool: 0, first: true, atBalancer: false, now: t) == .go)
        #expect(p.admit(pool: 0, first: true, atBalancer: true, now: 2 * t) == .go)
        #expect(p.admit(pool: 0, first: true, atBalancer: true, now: 2 * t) == .rejected)
        #expect(p.limitRejected == [2])
    }

    /// Window 4, minimum 4, 50 %: two failures in four calls open it; calls are refused for
    /// the 30 s wait (strictly after), then two half-open trial calls pass and a third waits.
    @Test func breakerOpensAndProbes() throws {
        let p = Protection(services: try Self.services(["circuit_breaker={ failure_rate: 50, window: 4, minimum_calls: 4, wait: 30s, half_open_calls: 2 }"]),
                           poolServices: [0])
        for (k, failed) in [false, true, false, true].enumerated() {
            #expect(p.admit(pool: 0, first: true, atBalancer: true, now: SimTime(k)) == .go)
            p.outcome(pool: 0, failed: failed, now: SimTime(k))
        }
        #expect(p.breakerOpenedAt == [[3]])
        #expect(p.admit(pool: 0, first: true, atBalancer: true, now: 3 + 30 * SimUnit.second) == .notPermitted)
        #expect(p.admit(pool: 0, first: true, atBalancer: true, now: 4 + 30 * SimUnit.second) == .go)
        #expect(p.admit(pool: 0, first: true, atBalancer: true, now: 5 + 30 * SimUnit.second) == .go)
        #expect(p.admit(pool: 0, first: true, atBalancer: true, now: 6 + 30 * SimUnit.second) == .notPermitted)
        #expect(p.breakerRefused == [2])
    }
}
