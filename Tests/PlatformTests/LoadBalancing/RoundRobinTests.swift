import Testing
import Platform

@Suite struct RoundRobinTests {
    /// nginx commit "Upstream: smooth weighted round-robin balancing" (Maxim Dounin, 2012):
    /// weights {5, 1, 1} give {a, a, b, a, c, a, a}, with these current_weight rows after each pick.
    @Test func nginxCommitMessageSequence() {
        let rr = RoundRobinBalancer()
        rr.addBackend(0, BackendConfig(weight: 5))
        rr.addBackend(1, BackendConfig(weight: 1))
        rr.addBackend(2, BackendConfig(weight: 1))
        let expectedPicks = [0, 0, 1, 0, 2, 0, 0]
        let expectedWeights: [[Int]] = [
            [-2, 1, 1], [-4, 2, 2], [1, -4, 3], [-1, -3, 4], [4, -2, -2], [2, -1, -1], [0, 0, 0],
        ]
        for round in 0..<3 {
            for k in 0..<7 {
                #expect(rr.choose(now: 0) == expectedPicks[k], "round \(round) pick \(k)")
                #expect((0..<3).map { rr.currentWeight($0)! } == expectedWeights[k])
            }
        }
    }

    @Test func equalWeightsRotateInMembershipOrder() {
        let rr = RoundRobinBalancer()
        for id in [7, 3, 9] { rr.addBackend(id) }
        #expect((0..<7).map { _ in rr.choose(now: 0)! } == [7, 3, 9, 7, 3, 9, 7])
    }

    @Test func downBackendIsSkippedAndReturns() {
        let rr = RoundRobinBalancer()
        for id in 0..<3 { rr.addBackend(id) }
        rr.setDown(1, true)
        #expect((0..<4).map { _ in rr.choose(now: 0)! } == [0, 2, 0, 2])
        rr.setDown(1, false)
        #expect(Set((0..<3).map { _ in rr.choose(now: 0)! }) == [0, 1, 2])
    }

    /// max_fails=1 fail_timeout=10: one failure takes the peer out for 10 s; after that NGINX lets
    /// one request through and marks it live only if that request succeeds.
    @Test func passiveFailureWindow() {
        let rr = RoundRobinBalancer()
        rr.addBackend(0)
        rr.addBackend(1)
        let s = TimeUnit.second
        #expect(rr.choose(now: 0) == 0)
        rr.connectionOpened(0)
        rr.connectionClosed(0, failed: true, now: 5 * s)   // fails=1, checked=accessed=5
        #expect(rr.effectiveWeight(0) == 0)                 // weight 1 - 1/1
        for t in [5, 10, 15] { #expect(rr.choose(now: Int64(t) * s) == 1) }   // now - checked <= 10
        // 16 - 5 > 10: peer 0 is eligible again, but with current_weight -1 and effective_weight
        // climbing back from 0 it wins only on the third pick (hand-run of ngx_http_upstream_get_peer:
        // cw (-1,1)->(-1,1) pick 1; (0,2)->(0,0) pick 1; (1,1)->(-1,1) pick 0, which sets checked = 16).
        #expect(rr.choose(now: 16 * s) == 1)
        #expect(rr.choose(now: 16 * s) == 1)
        #expect(rr.choose(now: 16 * s) == 0)                // the one trial request
        #expect(rr.choose(now: 16 * s) == 1)                // checked = 16: out again until it succeeds
        rr.connectionOpened(0)
        rr.connectionClosed(0, failed: false, now: 17 * s)  // accessed 5 < checked 16 -> fails = 0
        #expect(Set([rr.choose(now: 17 * s)!, rr.choose(now: 17 * s)!]) == [0, 1])
    }

    @Test func maxConnsAndNoneAvailable() {
        let rr = RoundRobinBalancer()
        rr.addBackend(0, BackendConfig(maxConns: 1))
        rr.addBackend(1, BackendConfig(maxConns: 1))
        #expect(rr.choose(now: 0) == 0)
        rr.connectionOpened(0)
        #expect(rr.choose(now: 0) == 1)
        rr.connectionOpened(1)
        #expect(rr.choose(now: 0) == nil)
        rr.connectionClosed(1, now: 0)
        #expect(rr.choose(now: 0) == 1)
    }

    @Test func membershipChangesKeepOrderAndState() {
        let rr = RoundRobinBalancer()
        for id in 0..<3 { rr.addBackend(id) }
        #expect(rr.choose(now: 0) == 0)
        #expect(rr.removeBackend(1))
        #expect(!rr.removeBackend(1))
        rr.addBackend(5)                       // joins at the end with current_weight 0
        #expect(rr.currentWeight(5) == 0)
        #expect((0..<6).map { _ in rr.choose(now: 0)! } == [2, 5, 0, 2, 5, 0])
        rr.connectionClosed(1, now: 0)         // removed: ignored
        #expect(rr.activeConnections(1) == 0)
    }
}
