/// Per-backend state of the NGINX upstream peer (`ngx_http_upstream_rr_peer_t`,
/// nginx/nginx `src/http/ngx_http_upstream_round_robin.h`), kept for every policy.
///
/// Packed into 48 bytes (counters as Int32, ids and `accessed` kept beside it in
/// ``_PeerTable``) because least_conn and round robin scan every peer on every pick.
@usableFromInline
struct _Peer {
    @usableFromInline var currentWeight: Int
    /// Start of the current `fail_timeout` window, in `ngx_time()` seconds.
    @usableFromInline var checked: Int64
    @usableFromInline var _weight: Int32
    @usableFromInline var _effectiveWeight: Int32
    @usableFromInline var _conns: Int32
    @usableFromInline var _maxConns: Int32
    @usableFromInline var _maxFails: Int32
    @usableFromInline var _fails: Int32
    @usableFromInline var _failTimeout: Int32
    /// Out of rotation (active health check verdict or operator), NGINX `peer->down`.
    @usableFromInline var down: Bool

    @inlinable
    init(config: BackendConfig) {
        precondition(config.weight <= Int(Int32.max) && config.maxConns <= Int(Int32.max)
                     && config.maxFails <= Int(Int32.max) && config.failTimeoutSeconds <= Int64(Int32.max))
        // ngx_http_upstream_init_round_robin: effective_weight = weight, current_weight = 0.
        currentWeight = 0
        checked = 0
        _weight = Int32(config.weight)
        _effectiveWeight = Int32(config.weight)
        _conns = 0
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
    @inlinable var conns: Int {
        @inline(__always) get { Int(_conns) }
        @inline(__always) set { _conns = Int32(truncatingIfNeeded: newValue) }
    }
    @inlinable var maxConns: Int { @inline(__always) get { Int(_maxConns) } }
    @inlinable var maxFails: Int { @inline(__always) get { Int(_maxFails) } }
    @inlinable var fails: Int {
        @inline(__always) get { Int(_fails) }
        @inline(__always) set { _fails = Int32(truncatingIfNeeded: newValue) }
    }
    @inlinable var failTimeout: Int64 { @inline(__always) get { Int64(_failTimeout) } }
}

/// The backends of one balancer, in membership order, with NGINX's peer bookkeeping.
///
/// Membership order is NGINX's configuration order: a new backend goes to the end, a removed
/// one leaves the others in their relative order. Every scan and every tie-break follows it.
/// Ids map to slots through a dictionary used for lookups only; nothing iterates it.
@usableFromInline
struct _PeerTable {
    @usableFromInline var peers: [_Peer] = []
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
        peers.append(_Peer(config: config))
        ids.append(id)
        accessed.append(0)
        configs.append(config)
    }

    /// Removes `id`; returns its former slot. Connections still open on it are forgotten.
    @inlinable @discardableResult
    mutating func remove(_ id: Int) -> Int? {
        guard let slot = slot(of: id) else { return nil }
        setSlot(id, nil)
        totalConns -= peers[slot].conns
        peers.remove(at: slot)
        ids.remove(at: slot)
        accessed.remove(at: slot)
        configs.remove(at: slot)
        var s = slot
        while s < peers.count {
            setSlot(ids[s], s)
            s += 1
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

    @inlinable
    mutating func opened(_ id: Int) {
        guard let s = slot(of: id) else { return }
        peers[s].conns += 1
        totalConns += 1
    }

    /// `ngx_http_upstream_free_round_robin_peer`: passive failure accounting, then `conns--`.
    @inlinable
    mutating func closed(_ id: Int, failed: Bool, now: Instant) {
        guard let s = slot(of: id) else { return }
        guard peers[s].conns > 0 else {
            assertionFailure("connectionClosed(\(id)) without a matching connectionOpened")
            return
        }
        totalConns -= 1
        if peers.count == 1 {  // peers->single: no failure accounting at all
            peers[s].conns -= 1
            return
        }
        if failed {
            let t = _PeerTable.seconds(now)
            peers[s].fails += 1
            accessed[s] = t
            peers[s].checked = t
            if peers[s].maxFails != 0 {
                peers[s].effectiveWeight -= peers[s].weight / peers[s].maxFails
            }
            if peers[s].effectiveWeight < 0 { peers[s].effectiveWeight = 0 }
        } else if accessed[s] < peers[s].checked {
            // "mark peer live if check passed"
            peers[s].fails = 0
        }
        peers[s].conns -= 1
    }

    /// NGINX's eligibility tests, in its order: down, max_fails within fail_timeout, max_conns.
    @inlinable @inline(__always)
    func isAvailable(_ s: Int, nowSeconds t: Int64) -> Bool {
        let p = peers[s]
        if p.down { return false }
        if p.maxFails != 0 && p.fails >= p.maxFails && t - p.checked <= p.failTimeout { return false }
        if p.maxConns != 0 && p.conns >= p.maxConns { return false }
        return true
    }

    /// `ngx_http_upstream_get_peer`: smooth weighted round robin over the available peers.
    /// - Complexity: O(n).
    @inlinable
    mutating func smoothWeightedPick(nowSeconds t: Int64) -> Int? {
        var best = -1
        var total = 0
        peers.withUnsafeMutableBufferPointer { p in
            // `bestWeight` starts below any reachable current_weight, so the first eligible peer
            // wins as NGINX's `best == NULL` does, without re-reading p[best] every iteration.
            var bestWeight = Int.min
            for i in 0..<p.count {
                if p[i].down { continue }
                if p[i].maxFails != 0 && p[i].fails >= p[i].maxFails && t - p[i].checked <= p[i].failTimeout {
                    continue
                }
                if p[i].maxConns != 0 && p[i].conns >= p[i].maxConns { continue }
                let e = p[i].effectiveWeight
                let cw = p[i].currentWeight &+ e
                p[i].currentWeight = cw
                total &+= e
                if e < p[i].weight { p[i].effectiveWeight = e &+ 1 }
                if cw > bestWeight {
                    best = i
                    bestWeight = cw
                }
            }
            if best >= 0 {
                p[best].currentWeight -= total
                if t - p[best].checked > p[best].failTimeout { p[best].checked = t }
            }
        }
        return best >= 0 ? best : nil
    }

    /// `ngx_http_upstream_get_round_robin_peer` without `conns++` (the caller reports it).
    @inlinable
    mutating func roundRobinPick(nowSeconds t: Int64) -> Int? {
        if peers.count == 1 {  // peers->single: only down and max_conns are looked at
            let p = peers[0]
            if !p.down && !(p.maxConns != 0 && p.conns >= p.maxConns) { return 0 }
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
    }
}
