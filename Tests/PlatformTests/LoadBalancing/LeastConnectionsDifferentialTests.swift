import Testing
@_spi(Testing) import Platform
import CapsimTestSupport

/// A direct port of NGINX's least_conn, kept here as the reference the balancer must match:
/// nginx/nginx `src/http/modules/ngx_http_upstream_least_conn_module.c`,
/// `ngx_http_upstream_get_least_conn_peer` (with the `max_conns` tests of nginx >= 1.11.5), its
/// `peers->single` delegation to `ngx_http_upstream_get_round_robin_peer`, and
/// `ngx_http_upstream_free_round_robin_peer` from `ngx_http_upstream_round_robin.c`.
/// Peers are an array in configuration order instead of a linked list; `best` is an index.
/// `conns++` is split out of `get` as the ``LoadBalancer`` contract does (`opened`).
/// It has no fast path and no counters: every pick runs the C statements as written.
private struct NginxLeastConnReference {
    struct Peer {
        let id: Int
        let weight: Int, maxConns: Int, maxFails: Int, failTimeout: Int
        var effectiveWeight: Int, currentWeight = 0
        var conns = 0, fails = 0, accessed = 0, checked = 0
        var down = false
        init(id: Int, _ c: BackendConfig) {
            self.id = id
            weight = c.weight
            maxConns = c.maxConns
            maxFails = c.maxFails
            failTimeout = Int(c.failTimeoutSeconds)
            effectiveWeight = c.weight
        }
    }

    var peers: [Peer] = []

    func index(_ id: Int) -> Int? { peers.firstIndex { $0.id == id } }
    mutating func add(_ id: Int, _ c: BackendConfig) { peers.append(Peer(id: id, c)) }
    mutating func remove(_ id: Int) { if let i = index(id) { peers.remove(at: i) } }

    /// `ngx_http_upstream_get_least_conn_peer`; returns the chosen id or nil (NGX_BUSY).
    mutating func get(now: Int) -> Int? {
        if peers.count == 1 { return getRoundRobinSingle() }
        var best: Int? = nil
        var many = false
        var total = 0
        for i in peers.indices {
            let peer = peers[i]
            if peer.down { continue }
            if peer.maxFails != 0 && peer.fails >= peer.maxFails && now - peer.checked <= peer.failTimeout { continue }
            if peer.maxConns != 0 && peer.conns >= peer.maxConns { continue }
            if best == nil || peer.conns * peers[best!].weight < peers[best!].conns * peer.weight {
                best = i
                many = false
            } else if peer.conns * peers[best!].weight == peers[best!].conns * peer.weight {
                many = true
            }
        }
        guard var b = best else { return failed() }
        if many {
            for i in b..<peers.count {
                if peers[i].down { continue }
                if peers[i].conns * peers[b].weight != peers[b].conns * peers[i].weight { continue }
                if peers[i].maxFails != 0 && peers[i].fails >= peers[i].maxFails
                    && now - peers[i].checked <= peers[i].failTimeout { continue }
                if peers[i].maxConns != 0 && peers[i].conns >= peers[i].maxConns { continue }
                peers[i].currentWeight += peers[i].effectiveWeight
                total += peers[i].effectiveWeight
                if peers[i].effectiveWeight < peers[i].weight { peers[i].effectiveWeight += 1 }
                if peers[i].currentWeight > peers[b].currentWeight { b = i }
            }
        }
        peers[b].currentWeight -= total
        if now - peers[b].checked > peers[b].failTimeout { peers[b].checked = now }
        return peers[b].id
    }

    /// `ngx_http_upstream_get_round_robin_peer` with `peers->single`: down and max_conns only.
    mutating func getRoundRobinSingle() -> Int? {
        let peer = peers[0]
        if peer.down || (peer.maxConns != 0 && peer.conns >= peer.maxConns) { return failed() }
        return peer.id
    }

    /// "all peers failed, mark them as live for quick recovery"
    mutating func failed() -> Int? {
        for i in peers.indices { peers[i].fails = 0 }
        return nil
    }

    mutating func opened(_ id: Int) { if let i = index(id) { peers[i].conns += 1 } }

    /// `ngx_http_upstream_free_round_robin_peer`.
    mutating func free(_ id: Int, failed: Bool, now: Int) {
        guard let i = index(id) else { return }
        if peers.count == 1 { peers[i].conns -= 1; return }
        if failed {
            peers[i].fails += 1
            peers[i].accessed = now
            peers[i].checked = now
            if peers[i].maxFails != 0 { peers[i].effectiveWeight -= peers[i].weight / peers[i].maxFails }
            if peers[i].effectiveWeight < 0 { peers[i].effectiveWeight = 0 }
        } else if peers[i].accessed < peers[i].checked {
            peers[i].fails = 0
        }
        peers[i].conns -= 1
    }

    /// Whether every peer is in the state the balancer's shortcut covers (not down, no
    /// max_conns, not failed, effective_weight == weight) and all weights are equal. Computed
    /// here from the reference's own state, only to count how often each regime was exercised.
    var plainUniform: Bool {
        guard peers.count >= 2 else { return false }
        let w = peers[0].weight
        return peers.allSatisfy {
            !$0.down && $0.maxConns == 0 && !($0.maxFails != 0 && $0.fails >= $0.maxFails)
                && $0.effectiveWeight == $0.weight && $0.weight == w
        }
    }
}

/// Drives ``LeastConnectionsBalancer`` and ``NginxLeastConnReference`` with the same random
/// operation stream and compares every pick and, after every operation, every member's
/// current_weight, effective_weight, fails and conns. Before every pick it also checks that the
/// balancer takes its equal-weight scan exactly when the reference's state allows it (so the
/// O(1) bookkeeping that selects the scan neither drifts into wrong picks nor into lost speed).
@Suite struct LeastConnectionsDifferentialTests {
    enum Profile: String, CaseIterable, Sendable {
        /// The simulator's case: 15-30 backends, weight 1, NGINX defaults, light load, rare
        /// failures, health flaps and membership changes.
        case simulator
        /// Equal weights 3 with frequent failures: effective_weight drops and recovers, so the
        /// balancer keeps leaving and re-entering its equal-weight shortcut.
        case uniformWithFailures
        /// Mixed weights, max_conns, max_fails 0...2, fail_timeout 0...11, 1-10 backends.
        case mixed
        /// Equal weights 1; every other block of 500 steps a weight-2 or max_conns backend joins
        /// and leaves again at the end of the block.
        case phased
    }

    static let cases: [(Profile, Int)] = Profile.allCases.flatMap { p in (0..<6).map { (p, $0) } }
    static let steps = 5_000

    @Test(arguments: cases)
    func matchesReference(profile: Profile, seed: Int) {
        var rng = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9 &+ UInt64(profile.rawValue.count))
        let lc = LeastConnectionsBalancer()
        var ref = NginxLeastConnReference()
        var members: [Int] = []
        var removed: [Int] = []
        var down: [Int] = []
        var odd: Int? = nil  // .phased: the backend that breaks equal weights
        var open: [Int] = []
        var nextID = 1
        var now = 1_000
        var mismatches = 0
        var picks = 0, nilPicks = 0, plainPicks = 0, otherPicks = 0

        func mismatch(_ what: String, _ step: Int) {
            mismatches += 1
            if mismatches <= 5 { Issue.record("\(profile) seed \(seed) step \(step): \(what)") }
        }
        func config() -> BackendConfig {
            switch profile {
            case .simulator:
                return BackendConfig()
            case .uniformWithFailures:
                return BackendConfig(weight: 3, maxFails: 1 + rng.below(3), failTimeoutSeconds: Int64(rng.below(6)))
            case .mixed:
                return BackendConfig(weight: 1 + rng.below(5), maxConns: rng.below(4) == 0 ? 1 + rng.below(4) : 0,
                                     maxFails: rng.below(3), failTimeoutSeconds: Int64(rng.below(12)))
            case .phased:
                return BackendConfig()
            }
        }
        func addOne() {
            var id = nextID
            if !removed.isEmpty && rng.below(4) == 0 {
                id = removed.remove(at: rng.below(removed.count))  // a returning backend starts afresh
            } else {
                nextID += 1
            }
            let c = config()
            lc.addBackend(id, c)
            ref.add(id, c)
            members.append(id)
        }
        func removeOne(_ k: Int? = nil) {
            let id = members.remove(at: k ?? rng.below(members.count))
            #expect(lc.removeBackend(id))
            ref.remove(id)
            open.removeAll { $0 == id }
            down.removeAll { $0 == id }
            removed.append(id)
            if id == odd { odd = nil }
        }
        func setDown(_ id: Int, _ isDown: Bool) {
            lc.setDown(id, isDown)
            if let i = ref.index(id) { ref.peers[i].down = isDown }
            down.removeAll { $0 == id }
            if isDown { down.append(id) }
        }

        let (low, high): (Int, Int) = switch profile {
        case .simulator: (15, 30)
        case .uniformWithFailures: (2, 12)
        case .mixed: (1, 10)
        case .phased: (5, 20)
        }
        let failPercent = switch profile {
        case .simulator: 1
        case .phased: 2
        case .uniformWithFailures: 4
        case .mixed: 20
        }
        for _ in 0..<(low + rng.below(high - low + 1)) { addOne() }

        for step in 0..<Self.steps {
            if profile == .phased && step % 500 == 0 {
                if let id = odd, let k = members.firstIndex(of: id) {
                    removeOne(k)
                } else if step % 1000 == 500 {
                    let id = nextID
                    nextID += 1
                    let c = rng.below(2) == 0 ? BackendConfig(weight: 2) : BackendConfig(maxConns: 1 + rng.below(3))
                    lc.addBackend(id, c)
                    ref.add(id, c)
                    members.append(id)
                    odd = id
                }
            }
            let op = rng.below(1000)
            let nowNs = Int64(now) * TimeUnit.second + Int64(rng.below(1_000_000_000))
            if op < 450 {
                let plain = ref.plainUniform
                if plain { plainPicks += 1 } else { otherPicks += 1 }
                if lc.usesEqualWeightScan != plain { mismatch("equal-weight scan \(!plain), state says \(plain)", step) }
                let mine = lc.choose(now: nowNs)
                let theirs = ref.get(now: now)
                picks += 1
                if mine != theirs { mismatch("picked \(String(describing: mine)), NGINX \(String(describing: theirs))", step) }
                if let id = theirs, mine == theirs, rng.below(20) != 0 {  // 1 in 20 picks is dropped
                    lc.connectionOpened(id)
                    ref.opened(id)
                    open.append(id)
                } else if theirs == nil {
                    nilPicks += 1
                }
            } else if op < 860, !open.isEmpty {
                // Mostly the oldest connection ends first, as in a queue of similar requests.
                let k = rng.below(3) == 0 ? rng.below(open.count) : 0
                let id = open.remove(at: k)
                let failed = rng.below(100) < failPercent
                lc.connectionClosed(id, failed: failed, now: nowNs)
                ref.free(id, failed: failed, now: now)
            } else if op < 960 {
                // Mostly sub-fail_timeout steps, sometimes a jump past every fail_timeout.
                now += rng.below(10) == 0 ? 12 + rng.below(5) : rng.below(3)
            } else if op < 980, !members.isEmpty {
                // Health flaps: a member goes down, or (more often) a down one comes back;
                // sometimes a no-op update of a member's current state.
                let r = rng.below(10)
                if r < 6, !down.isEmpty {
                    setDown(down[rng.below(down.count)], false)
                } else if r < 8 {
                    let id = members[rng.below(members.count)]
                    setDown(id, down.contains(id))
                } else {
                    setDown(members[rng.below(members.count)], true)
                }
            } else if op < 990 {
                if members.count < high { addOne() }
            } else if op < 998 {
                if members.count > low { removeOne() }
            } else {
                // One membership update: remove one, add one.
                if members.count > 1 {
                    let id = members.remove(at: rng.below(members.count))
                    down.removeAll { $0 == id }
                    if id == odd { odd = nil }
                    let newID = nextID
                    nextID += 1
                    let c = config()
                    lc.updateMembership(adding: [(newID, c)], removing: [id])
                    ref.remove(id)
                    ref.add(newID, c)
                    open.removeAll { $0 == id }
                    removed.append(id)
                    members.append(newID)
                }
            }

            if lc.backendCount != ref.peers.count { mismatch("backendCount \(lc.backendCount) vs \(ref.peers.count)", step) }
            for p in ref.peers {
                if lc.currentWeight(p.id) != p.currentWeight
                    || lc.effectiveWeight(p.id) != p.effectiveWeight
                    || lc.failCount(p.id) != p.fails
                    || lc.activeConnections(p.id) != p.conns {
                    mismatch("backend \(p.id): cw \(String(describing: lc.currentWeight(p.id))) vs \(p.currentWeight), "
                             + "ew \(String(describing: lc.effectiveWeight(p.id))) vs \(p.effectiveWeight), "
                             + "fails \(String(describing: lc.failCount(p.id))) vs \(p.fails), "
                             + "conns \(lc.activeConnections(p.id)) vs \(p.conns)", step)
                }
            }
            if mismatches > 50 { break }
        }
        #expect(mismatches == 0)
        print("LeastConnectionsDifferential \(profile)/\(seed): \(picks) picks (\(plainPicks) equal-weight, "
              + "\(nilPicks) none), \(mismatches) mismatches")
        // The stream must have exercised what it is meant to.
        #expect(picks > Self.steps / 3)
        switch profile {
        case .simulator:
            #expect(plainPicks > picks / 4 && otherPicks > 100, "\(plainPicks) / \(otherPicks)")
        case .uniformWithFailures, .phased:
            #expect(plainPicks > 100 && otherPicks > 100, "\(plainPicks) / \(otherPicks)")
        case .mixed:
            #expect(otherPicks > picks / 2 && nilPicks > 0, "\(otherPicks) / \(nilPicks)")
        }
    }
}
