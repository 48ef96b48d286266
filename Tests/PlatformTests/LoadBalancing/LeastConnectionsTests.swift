import Testing
import Platform

/// A literal transliteration of NGINX's C (nginx 1.22 `ngx_http_upstream_least_conn_module.c`,
/// `ngx_http_upstream_round_robin.c`): a linked list of peers, `conns++` inside `get`, `free` with
/// failure accounting. Written independently of the production code, to check it.
private final class CPeer {
    let id: Int
    var weight: Int, effective_weight: Int, current_weight = 0
    var conns = 0, max_conns: Int, max_fails: Int, fail_timeout: Int
    var fails = 0, accessed = 0, checked = 0
    var down = false
    var next: CPeer?
    init(id: Int, weight: Int, max_conns: Int, max_fails: Int, fail_timeout: Int) {
        self.id = id
        self.weight = weight
        effective_weight = weight
        self.max_conns = max_conns
        self.max_fails = max_fails
        self.fail_timeout = fail_timeout
    }
}

private final class CUpstream {
    var peer: CPeer?
    var number: Int { var n = 0; var p = peer; while let q = p { n += 1; p = q.next }; return n }
    var single: Bool { number == 1 }

    func append(_ p: CPeer) {
        guard var last = peer else { peer = p; return }
        while let n = last.next { last = n }
        last.next = p
    }
    func remove(_ id: Int) {
        if peer?.id == id { peer = peer?.next; return }
        var p = peer
        while let q = p { if q.next?.id == id { q.next = q.next?.next; return }; p = q.next }
    }
    func find(_ id: Int) -> CPeer? { var p = peer; while let q = p { if q.id == id { return q }; p = q.next }; return nil }

    func get_peer(_ now: Int) -> CPeer? {
        var best: CPeer? = nil
        var total = 0
        var peer = self.peer
        while let p = peer {
            defer { peer = p.next }
            if p.down { continue }
            if p.max_fails != 0 && p.fails >= p.max_fails && now - p.checked <= p.fail_timeout { continue }
            if p.max_conns != 0 && p.conns >= p.max_conns { continue }
            p.current_weight += p.effective_weight
            total += p.effective_weight
            if p.effective_weight < p.weight { p.effective_weight += 1 }
            if best == nil || p.current_weight > best!.current_weight { best = p }
        }
        guard let b = best else { return nil }
        b.current_weight -= total
        if now - b.checked > b.fail_timeout { b.checked = now }
        return b
    }

    func get_round_robin_peer(_ now: Int) -> CPeer? {
        var peer: CPeer?
        if single {
            let p = self.peer!
            if p.down || (p.max_conns != 0 && p.conns >= p.max_conns) { peer = nil } else { peer = p }
        } else {
            peer = get_peer(now)
        }
        guard let chosen = peer else {
            var p = self.peer
            while let q = p { q.fails = 0; p = q.next }
            return nil
        }
        chosen.conns += 1
        return chosen
    }

    func get_least_conn_peer(_ now: Int) -> CPeer? {
        if single { return get_round_robin_peer(now) }
        var best: CPeer? = nil
        var many = false
        var peer = self.peer
        while let p = peer {
            defer { peer = p.next }
            if p.down { continue }
            if p.max_fails != 0 && p.fails >= p.max_fails && now - p.checked <= p.fail_timeout { continue }
            if p.max_conns != 0 && p.conns >= p.max_conns { continue }
            if best == nil || p.conns * best!.weight < best!.conns * p.weight {
                best = p
                many = false
            } else if p.conns * best!.weight == best!.conns * p.weight {
                many = true
            }
        }
        guard var b = best else {
            var p = self.peer
            while let q = p { q.fails = 0; p = q.next }
            return nil
        }
        var total = 0
        if many {
            peer = b
            while let p = peer {
                defer { peer = p.next }
                if p.down { continue }
                if p.conns * b.weight != b.conns * p.weight { continue }
                if p.max_fails != 0 && p.fails >= p.max_fails && now - p.checked <= p.fail_timeout { continue }
                if p.max_conns != 0 && p.conns >= p.max_conns { continue }
                p.current_weight += p.effective_weight
                total += p.effective_weight
                if p.effective_weight < p.weight { p.effective_weight += 1 }
                if p.current_weight > b.current_weight { b = p }
            }
        }
        b.current_weight -= total
        if now - b.checked > b.fail_timeout { b.checked = now }
        b.conns += 1
        return b
    }

    func free(_ p: CPeer, failed: Bool, now: Int) {
        if single { p.conns -= 1; return }
        if failed {
            p.fails += 1
            p.accessed = now
            p.checked = now
            if p.max_fails != 0 { p.effective_weight -= p.weight / p.max_fails }
            if p.effective_weight < 0 { p.effective_weight = 0 }
        } else if p.accessed < p.checked {
            p.fails = 0
        }
        p.conns -= 1
    }
}

@Suite struct LeastConnectionsTests {
    /// Random workloads: the Swift port and the C transliteration must pick the same backend at
    /// every step and agree on every peer's current_weight, effective_weight, fails and conns.
    @Test(arguments: 0..<40)
    func matchesCTransliteration(seed: Int) {
        var rng = LBSplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
        let lc = LeastConnectionsBalancer()
        let c = CUpstream()
        var members: [Int] = []
        var open: [Int] = []          // backend id per open connection
        var nextID = 100
        var now = 0
        func addOne() {
            let w = 1 + rng.below(5)
            let maxConns = rng.below(4) == 0 ? 1 + rng.below(4) : 0
            let maxFails = rng.below(3)
            let failTimeout = rng.below(12)
            lc.addBackend(nextID, BackendConfig(weight: w, maxConns: maxConns, maxFails: maxFails,
                                                failTimeoutSeconds: Int64(failTimeout)))
            c.append(CPeer(id: nextID, weight: w, max_conns: maxConns, max_fails: maxFails, fail_timeout: failTimeout))
            members.append(nextID)
            nextID += 1
        }
        for _ in 0..<(1 + rng.below(8)) { addOne() }
        var picks = 0
        for step in 0..<600 {
            let op = rng.below(100)
            let nowNs = Int64(now) * TimeUnit.second + Int64(rng.below(1_000_000_000))
            if op < 50 {
                let mine = lc.choose(now: nowNs)
                let theirs = c.get_least_conn_peer(now)
                #expect(mine == theirs?.id, "seed \(seed) step \(step)")
                if let id = mine, mine == theirs?.id {
                    lc.connectionOpened(id)
                    open.append(id)
                    picks += 1
                }
            } else if op < 80, !open.isEmpty {
                let k = rng.below(open.count)
                let id = open.remove(at: k)
                let failed = rng.below(4) == 0
                lc.connectionClosed(id, failed: failed, now: nowNs)
                if let p = c.find(id) { c.free(p, failed: failed, now: now) }
            } else if op < 88 {
                now += rng.below(6)
            } else if op < 94, !members.isEmpty {
                let id = members[rng.below(members.count)]
                let down = rng.below(2) == 0
                lc.setDown(id, down)
                c.find(id)!.down = down
            } else if op < 97, members.count < 10 {
                addOne()
            } else if members.count > 1 {
                let id = members.remove(at: rng.below(members.count))
                #expect(lc.removeBackend(id))
                c.remove(id)
                open.removeAll { $0 == id }
            }
            for id in members {
                let p = c.find(id)!
                #expect(lc.currentWeight(id) == p.current_weight, "cw \(id) seed \(seed) step \(step)")
                #expect(lc.effectiveWeight(id) == p.effective_weight, "ew \(id) seed \(seed) step \(step)")
                #expect(lc.failCount(id) == p.fails, "fails \(id) seed \(seed) step \(step)")
                #expect(lc.activeConnections(id) == p.conns, "conns \(id) seed \(seed) step \(step)")
            }
        }
        #expect(picks > 50)
    }

    /// Weighted least connections compares conns/weight; ties go to smooth weighted round robin.
    @Test func weightedTieBreakHandWorked() {
        let lc = LeastConnectionsBalancer()
        lc.addBackend(1, BackendConfig(weight: 2))
        lc.addBackend(2, BackendConfig(weight: 1))
        // No connections: 0*1 == 0*2, a tie -> SWRR over weights (2,1): cw (2,1) -> pick 1 (cw 2-3=-1).
        #expect(lc.choose(now: 0) == 1)
        #expect(lc.currentWeight(1) == -1 && lc.currentWeight(2) == 1)
        lc.connectionOpened(1)
        // conns (1,0): 0*2 < 1*1 -> backend 2 alone, no SWRR update.
        #expect(lc.choose(now: 0) == 2)
        #expect(lc.currentWeight(1) == -1 && lc.currentWeight(2) == 1)
        lc.connectionOpened(2)
        // conns (1,1): 1/2 < 1/1 -> backend 1 (1*1 < 1*2).
        #expect(lc.choose(now: 0) == 1)
        lc.connectionOpened(1)
        // conns (2,1): 2*1 == 1*2 tie -> SWRR: cw (-1+2, 1+1) = (1, 2) -> backend 2, cw2 = 2-3 = -1.
        #expect(lc.choose(now: 0) == 2)
        #expect(lc.currentWeight(1) == 1 && lc.currentWeight(2) == -1)
    }

    @Test func singleBackendAndEmpty() {
        let lc = LeastConnectionsBalancer()
        #expect(lc.choose(now: 0) == nil)
        lc.addBackend(4, BackendConfig(maxFails: 1))
        lc.connectionOpened(4)
        lc.connectionClosed(4, failed: true, now: 0)   // single: no failure accounting
        #expect(lc.failCount(4) == 0)
        #expect(lc.choose(now: 0) == 4)
        lc.setDown(4, true)
        #expect(lc.choose(now: 0) == nil)
    }
}
