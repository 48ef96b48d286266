import Testing
import Platform

@Suite struct MembershipTests {
    /// Through `any LoadBalancer`, under random autoscaling (adds, removes, health flips) and
    /// traffic: a pick is always a current member, never a down one unless Envoy's panic mode
    /// applies (healthy share < 50 %), and some backend is picked whenever one is healthy.
    @Test(arguments: LoadBalancingAlgorithm.allCases)
    func picksAreAlwaysEligibleMembers(algorithm: LoadBalancingAlgorithm) {
        let lb = algorithm.makeBalancer()
        var rng = LBSplitMix64(seed: 77)
        var members: [Int] = []
        var down: Set<Int> = []
        var open: [Int] = []
        var nextID = 0
        let envoy = algorithm == .leastRequest || algorithm == .random
        for step in 0..<3000 {
            let op = rng.below(100)
            if (op < 8 && members.count < 30) || members.isEmpty {
                lb.addBackend(nextID, BackendConfig(weight: 1 + rng.below(3), maxFails: 0))
                members.append(nextID)
                nextID += 1
            } else if op < 12 && members.count > 1 {
                let id = members.remove(at: rng.below(members.count))
                #expect(lb.removeBackend(id))
                down.remove(id)
                open.removeAll { $0 == id }
            } else if op < 20 {
                let id = members[rng.below(members.count)]
                let d = rng.below(3) == 0
                lb.setDown(id, d)
                if d { down.insert(id) } else { down.remove(id) }
            } else if op < 45 && !open.isEmpty {
                lb.connectionClosed(open.remove(at: rng.below(open.count)), failed: false, now: 0)
            } else {
                let key = UInt32(truncatingIfNeeded: rng.next())
                let got = lb.choose(now: Int64(step) * TimeUnit.millisecond, keyHash: key, using: &rng)
                let healthy = members.count - down.count
                let panic = envoy && healthy * 100 < 50 * members.count
                if let id = got {
                    #expect(members.contains(id), "\(algorithm) step \(step)")
                    if !panic { #expect(!down.contains(id), "\(algorithm) step \(step)") }
                    lb.connectionOpened(id)
                    open.append(id)
                } else {
                    #expect(healthy == 0 && !panic, "\(algorithm) step \(step): nothing picked")
                }
            }
            #expect(lb.backendCount == members.count)
        }
        for id in members { #expect(lb.activeConnections(id) == open.filter { $0 == id }.count) }
    }

    /// Envoy rebuilds its EDF schedule on every host-set change (`refresh`): after a membership
    /// change the weighted picks are those of a balancer built fresh with the same hosts.
    @Test func leastRequestRefreshEqualsFreshBuild() {
        let a = LeastRequestBalancer(seed: 12345)
        for (id, w) in [(1, 3), (2, 1), (3, 2)] { a.addBackend(id, BackendConfig(weight: w)) }
        var none = LBReplayRNG([])
        for _ in 0..<7 { _ = a.choose(using: &none) }
        a.removeBackend(2)
        a.addBackend(4, BackendConfig(weight: 5))
        let b = LeastRequestBalancer(seed: 12345)
        for (id, w) in [(1, 3), (3, 2), (4, 5)] { b.addBackend(id, BackendConfig(weight: w)) }
        let pa = (0..<20).map { _ in a.choose(using: &none)! }
        let pb = (0..<20).map { _ in b.choose(using: &none)! }
        #expect(pa == pb)
        #expect(Set(pa) == [1, 3, 4])
    }

    @Test func duplicateAndUnknownIDs() {
        for algorithm in LoadBalancingAlgorithm.allCases {
            let lb = algorithm.makeBalancer()
            lb.addBackend(5, BackendConfig())
            #expect(!lb.removeBackend(6))
            lb.connectionOpened(6)                       // unknown: ignored
            lb.connectionClosed(6, failed: true, now: 0)
            #expect(lb.activeConnections(6) == 0)
            #expect(lb.contains(5) && !lb.contains(6))
            lb.addBackend(-3, BackendConfig())            // ids outside the dense range work too
            lb.addBackend(5_000_000, BackendConfig())
            #expect(lb.contains(-3) && lb.contains(5_000_000) && lb.backendCount == 3)
            #expect(lb.removeBackend(5_000_000) && !lb.contains(5_000_000))
        }
    }

    /// A batched update equals the same removals and additions made one by one.
    @Test(arguments: LoadBalancingAlgorithm.allCases)
    func batchedUpdateEqualsStepwise(algorithm: LoadBalancingAlgorithm) {
        let a = algorithm.makeBalancer(), b = algorithm.makeBalancer()
        let first: [(id: Int, config: BackendConfig)] = (0..<6).map { ($0, BackendConfig(weight: 1 + $0 % 3)) }
        a.updateMembership(adding: first, removing: [])
        for (id, c) in first { b.addBackend(id, c) }
        let second: [(id: Int, config: BackendConfig)] = [(10, BackendConfig(weight: 2)), (11, BackendConfig())]
        a.updateMembership(adding: second, removing: [2, 4])
        b.removeBackend(2); b.removeBackend(4)
        for (id, c) in second { b.addBackend(id, c) }
        var ra = LBSplitMix64(seed: 1), rb = LBSplitMix64(seed: 1)
        for k in 0..<200 {
            let key = UInt32(truncatingIfNeeded: k &* 2_654_435_761)
            let x = a.choose(now: 0, keyHash: key, using: &ra)
            let y = b.choose(now: 0, keyHash: key, using: &rb)
            #expect(x == y, "\(algorithm) pick \(k)")
            if let x { a.connectionOpened(x) }
            if let y { b.connectionOpened(y) }
        }
    }
}
