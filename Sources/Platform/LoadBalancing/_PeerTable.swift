/// Per-backend state of the NGINX upstream peer (`ngx_http_upstream_rr_peer_t`,
/// nginx/nginx `src/http/ngx_http_upstream_round_robin.h`), kept for every policy, except the two
/// fields every least_conn pick reads for every member, `conns` and `current_weight`: those live
/// in arrays of their own in ``_PeerTable`` so the scans run over contiguous integers.
///
/// Packed into 40 bytes (counters as Int32, ids and `accessed` kept beside it in ``_PeerTable``).
@usableFromInline
struct _Peer {
    /// Start of the current `fail_timeout` window, in `ngx_time()` seconds.
    @usableFromInline var checked: Int64
    @usableFromInline var _weight: Int32
    @usableFromInline var _effectiveWeight: Int32
    @usableFromInline var _maxConns: Int32
    @usableFromInline var _maxFails: Int32
    @usableFromInline var _fails: Int32
    @usableFromInline var _failTimeout: Int32
    /// Out of rotation (active health check verdict or operator), NGINX `peer->down`.
    /// Set it through ``_PeerTable/setDown(_:_:)``, which keeps the non-plain count.
    @usableFromInline var down: Bool

    @inlinable
    init(config: BackendConfig) {
        precondition(config.weight <= Int(Int32.max) && config.maxConns <= Int(Int32.max)
                     && config.maxFails <= Int(Int32.max) && config.failTimeoutSeconds <= Int64(Int32.max))
        // ngx_http_upstream_init_round_robin: effective_weight = weight, current_weight = 0.
        checked = 0
        _weight = Int32(config.weight)
        _effectiveWeight = Int32(config.weight)
        _maxConns = Int32(config.maxConns)
        _maxFails = Int32(config.maxFails)
        _fails = 0
        _failTimeout = Int32(config.failTimeoutSeconds)
        down = false
    }

    @inlinable var weight: Int { @inline(__always) get { Int(_weight) } }
    @inlinable var effectiveWeight: Int {
        @inline(__always) get { Int(_effectiveWeight) }
        @inline(__always) set { _effectiveWeight = Int32(truncatingIfNeeded: newValue) }
    }
    @inlinable var maxConns: Int { @inline(__always) get { Int(_maxConns) } }
    @inlinable var maxFails: Int { @inline(__always) get { Int(_maxFails) } }
    @inlinable var fails: Int {
        @inline(__always) get { Int(_fails) }
        @inline(__always) set { _fails = Int32(truncatingIfNeeded: newValue) }
    }
    @inlinable var failTimeout: Int64 { @inline(__always) get { Int64(_failTimeout) } }

    /// Whether NGINX's scans can skip every per-peer test for this peer: not down, no
    /// `max_conns`, not failed (`fails < max_fails`, or `max_fails` = 0, so no time makes it
    /// ineligible) and `effective_weight == weight` (so no pick changes `effective_weight`).
    @inlinable var isPlain: Bool {
        @inline(__always) get {
            !down && _maxConns == 0 && !(_maxFails != 0 && _fails >= _maxFails) && _effectiveWeight == _weight
        }
    }
}

/// The backends of one balancer, in membership order, with NGINX's peer bookkeeping.
///
/// Membership order is NGINX's configuration order: a new backend goes to the end, a removed
/// one leaves the others in their relative order. Every scan and every tie-break follows it.
/// Ids map to slots through a dictionary used for lookups only; nothing iterates it.
///
/// Invariants kept by every mutating method here (so mutate `down`, `fails` and
/// `effective_weight` only through them, or adjust ``nonPlainCount`` as they do):
/// - ``nonPlainCount`` is the number of members whose ``_Peer/isPlain`` is false;
/// - ``uniformWeight`` is the weight every member has, or 0 when weights differ or there are none.
/// Together they let least_conn choose its scan in O(1) (see `leastConnUniformPick`).
@usableFromInline
struct _PeerTable {
    @usableFromInline var peers: [_Peer] = []
    /// NGINX `conns` per slot: open connections.
    @usableFromInline var conns: [Int32] = []
    /// NGINX `current_weight` per slot (`ngx_int_t`).
    @usableFromInline var currentWeight: [Int] = []
    /// Backend id per slot.
    @usableFromInline var ids: [Int] = []
    /// Last failure per slot, in `ngx_time()` seconds (NGINX `accessed`).
    @usableFromInline var accessed: [Int64] = []
    /// Slot of each id in 0..<denseLimit (-1 when absent): the simulator's ids are small integers,
    /// and an array lookup is several times cheaper than hashing on every connection event.
    @usableFromInline var denseSlot: [Int32] = []
    /// Slot of ids outside 0..<denseLimit. Only looked up, never iterated.
    @usableFromInline var sparseSlot: [Int: Int] = [:]
    @usableFromInline static var denseLimit: Int { 1 << 20 }
    @usableFromInline var configs: [BackendConfig] = []
    /// Sum of `conns` over all members (HAProxy's `proxy->served`).
    @usableFromInline var totalConns: Int = 0
    /// Members that are not ``_Peer/isPlain``.
    @usableFromInline var nonPlainCount: Int = 0
    /// The weight all members share; 0 when they differ or there are no members.
    @usableFromInline var uniformWeight: Int = 0

    @inlinable init() {}

    @inlinable var count: Int { peers.count }

    /// NGINX's `ngx_time()`: whole seconds.
    @inlinable @inline(__always)
    static func seconds(_ now: Instant) -> Int64 {
        now >= 0 ? now / TimeUnit.second : -((-now + TimeUnit.second - 1) / TimeUnit.second)
    }

    @inlinable
    mutating func add(_ id: Int, _ config: BackendConfig) {
        precondition(slot(of: id) == nil, "backend \(id) is already a member")
        setSlot(id, peers.count)
        let peer = _Peer(config: config)
        if peers.isEmpty {
            uniformWeight = peer.weight
        } else if uniformWeight != peer.weight {
            uniformWeight = 0
        }
        if !peer.isPlain { nonPlainCount += 1 }
        peers.append(peer)
        conns.append(0)
        currentWeight.append(0)
        ids.append(id)
        accessed.append(0)
        configs.append(config)
    }

    /// Removes `id`; returns its former slot. Connections still open on it are forgotten.
    @inlinable @discardableResult
    mutating func remove(_ id: Int) -> Int? {
        guard let slot = slot(of: id) else { return nil }
        setSlot(id, nil)
        totalConns -= Int(conns[slot])
        if !peers[slot].isPlain { nonPlainCount -= 1 }
        peers.remove(at: slot)
        conns.remove(at: slot)
        currentWeight.remove(at: slot)
        ids.remove(at: slot)
        accessed.remove(at: slot)
        configs.remove(at: slot)
        var s = slot
        while s < peers.count {
            setSlot(ids[s], s)
            s += 1
        }
        if peers.isEmpty {
            uniformWeight = 0
        } else if uniformWeight == 0 {
            let w = peers[0]._weight
            uniformWeight = peers.allSatisfy { $0._weight == w } ? Int(w) : 0
        }
        return slot
    }

    @inlinable @inline(__always)
    func slot(of id: Int) -> Int? {
        if id >= 0 && id < _PeerTable.denseLimit {
            if id >= denseSlot.count { return nil }
            let s = denseSlot[id]
            return s >= 0 ? Int(s) : nil
        }
        return sparseSlot[id]
    }

    @inlinable
    mutating func setSlot(_ id: Int, _ slot: Int?) {
        if id >= 0 && id < _PeerTable.denseLimit {
            if id >= denseSlot.count {
                if slot == nil { return }
                denseSlot.append(contentsOf: repeatElement(-1, count: id + 1 - denseSlot.count))
            }
            denseSlot[id] = Int32(slot ?? -1)
        } else {
            sparseSlot[id] = slot
        }
    }

    /// Open connections of slot `s`.
    @inlinable @inline(__always)
    func connections(_ s: Int) -> Int { Int(conns[s]) }

    /// Sets NGINX `peer->down` of slot `s`.
    @inlinable
    mutating func setDown(_ s: Int, _ down: Bool) {
        let was = peers[s].isPlain
        peers[s].down = down
        noteChange(s, wasPlain: was)
    }

    /// Keeps ``nonPlainCount`` after slot `s` changed.
    @inlinable @inline(__always)
    mutating func noteChange(_ s: Int, wasPlain: Bool) {
        let now = peers[s].isPlain
        if now != wasPlain { nonPlainCount += now ? -1 : 1 }
    }

    /// ``nonPlainCount`` recomputed from scratch (for assertions and after bulk changes).
    @inlinable
    func countNonPlain() -> Int {
        var n = 0
        for p in peers where !p.isPlain { n += 1 }
        return n
    }

    @inlinable
    mutating func opened(_ id: Int) {
        guard let s = slot(of: id) else { return }
        conns[s] += 1
        totalConns += 1
    }

    /// Drops one connection of `id` without NGINX's failure accounting (the Envoy policies).
    @inlinable
    mutating func released(_ id: Int) {
        guard let s = slot(of: id), conns[s] > 0 else { return }
        conns[s] -= 1
        totalConns -= 1
    }

    /// `ngx_http_upstream_free_round_robin_peer`: passive failure accounting, then `conns--`.
    @inlinable
    mutating func closed(_ id: Int, failed: Bool, now: Instant) {
        guard let s = slot(of: id) else { return }
        guard conns[s] > 0 else {
            assertionFailure("connectionClosed(\(id)) without a matching connectionOpened")
            return
        }
        totalConns -= 1
        if peers.count == 1 {  // peers->single: no failure accounting at all
            conns[s] -= 1
            return
        }
        if failed {
            let t = _PeerTable.seconds(now)
            let was = peers[s].isPlain
            peers[s].fails += 1
            accessed[s] = t
            peers[s].checked = t
            if peers[s].maxFails != 0 {
                peers[s].effectiveWeight -= peers[s].weight / peers[s].maxFails
            }
            if peers[s].effectiveWeight < 0 { peers[s].effectiveWeight = 0 }
            noteChange(s, wasPlain: was)
        } else if accessed[s] < peers[s].checked && peers[s]._fails != 0 {
            // "mark peer live if check passed" (fails is already 0 otherwise)
            let was = peers[s].isPlain
            peers[s].fails = 0
            noteChange(s, wasPlain: was)
        }
        conns[s] -= 1
    }

    /// NGINX's eligibility tests, in its order: down, max_fails within fail_timeout, max_conns.
    @inlinable @inline(__always)
    func isAvailable(_ s: Int, nowSeconds t: Int64) -> Bool {
        let p = peers[s]
        if p.down { return false }
        if p.maxFails != 0 && p.fails >= p.maxFails && t - p.checked <= p.failTimeout { return false }
        if p.maxConns != 0 && Int(conns[s]) >= p.maxConns { return false }
        return true
    }

    /// `effective_weight++` while below `weight` (NGINX does it for every peer a pick visits).
    @inlinable
    mutating func restoreEffectiveWeight(_ s: Int) {
        let e = peers[s].effectiveWeight
        if e < peers[s].weight {
            peers[s].effectiveWeight = e + 1
            if peers[s].isPlain { nonPlainCount -= 1 }
        }
    }

    /// `ngx_http_upstream_get_peer`: smooth weighted round robin over the available peers.
    /// - Complexity: O(n).
    @inlinable
    mutating func smoothWeightedPick(nowSeconds t: Int64) -> Int? {
        let (best, restored) = peers.withUnsafeMutableBufferPointer { p -> (Int, Int) in
            currentWeight.withUnsafeMutableBufferPointer { w -> (Int, Int) in
                conns.withUnsafeBufferPointer { c -> (Int, Int) in
                    var best = -1
                    var total = 0
                    var restored = 0
                    // `bestWeight` starts below any reachable current_weight, so the first eligible
                    // peer wins as NGINX's `best == NULL` does, without re-reading w[best].
                    var bestWeight = Int.min
                    for i in 0..<p.count {
                        if p[i].down { continue }
                        if p[i].maxFails != 0 && p[i].fails >= p[i].maxFails && t - p[i].checked <= p[i].failTimeout {
                            continue
                        }
                        if p[i].maxConns != 0 && Int(c[i]) >= p[i].maxConns { continue }
                        let e = p[i].effectiveWeight
                        let cw = w[i] &+ e
                        w[i] = cw
                        total &+= e
                        if e < p[i].weight {
                            p[i].effectiveWeight = e &+ 1
                            if p[i].isPlain { restored += 1 }
                        }
                        if cw > bestWeight {
                            best = i
                            bestWeight = cw
                        }
                    }
                    if best >= 0 {
                        w[best] -= total
                        if t - p[best].checked > p[best].failTimeout { p[best].checked = t }
                    }
                    return (best, restored)
                }
            }
        }
        nonPlainCount -= restored
        return best >= 0 ? best : nil
    }

    /// `ngx_http_upstream_get_round_robin_peer` without `conns++` (the caller reports it).
    @inlinable
    mutating func roundRobinPick(nowSeconds t: Int64) -> Int? {
        if peers.count == 1 {  // peers->single: only down and max_conns are looked at
            let p = peers[0]
            if !p.down && !(p.maxConns != 0 && Int(conns[0]) >= p.maxConns) { return 0 }
        } else if let s = smoothWeightedPick(nowSeconds: t) {
            return s
        }
        markAllLive()
        return nil
    }

    /// "all peers failed, mark them as live for quick recovery"
    @inlinable
    mutating func markAllLive() {
        for i in peers.indices { peers[i].fails = 0 }
        nonPlainCount = countNonPlain()
    }
}
