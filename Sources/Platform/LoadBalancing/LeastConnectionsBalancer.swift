/// NGINX `least_conn`: fewest active connections relative to weight; smooth weighted round robin
/// among the tied.
///
/// Source: nginx/nginx `src/http/modules/ngx_http_upstream_least_conn_module.c`,
/// `ngx_http_upstream_get_least_conn_peer`, ported statement by statement:
/// 1. Scan in membership order, skipping peers that are `down`, failed (`fails >= max_fails`
///    within `fail_timeout` of the last failure) or at `max_conns`. Keep `best` by
///    `peer.conns * best.weight < best.conns * peer.weight` (cross-multiplied, so no division;
///    the first in order wins an exact tie) and note whether any later peer tied it.
/// 2. If several tie, walk again from `best`: every tied, eligible peer gets
///    `current_weight += effective_weight` (and `effective_weight++` while below `weight`), and
///    the largest `current_weight` (first on ties) wins; it then loses the total added.
///    With no tie `current_weight` is left alone (total is 0).
/// 3. Refresh `checked` if `fail_timeout` has passed since it was last set.
/// With one member NGINX delegates to round robin (`peers->single`); with none eligible it resets
/// every peer's `fails` and returns no peer (502 in NGINX).
///
/// `conns` is the balancer's count of open connections, which the caller maintains through
/// ``connectionOpened(_:)`` / ``connectionClosed(_:failed:now:)`` (NGINX increments it inside
/// `get`). Passive failures follow `ngx_http_upstream_free_round_robin_peer` (see
/// ``RoundRobinBalancer``). This is NGINX with a shared `zone`: without one each worker process
/// counts only its own connections. Not modelled: `backup` servers and per-request retries.
public final class LeastConnectionsBalancer: LoadBalancer {
    @usableFromInline var table = _PeerTable()

    public init() {}

    public var backendCount: Int { table.count }
    public func contains(_ id: Int) -> Bool { table.slot(of: id) != nil }
    public func addBackend(_ id: Int, _ config: BackendConfig = BackendConfig()) { table.add(id, config) }
    @discardableResult public func removeBackend(_ id: Int) -> Bool { table.remove(id) != nil }
    public func setDown(_ id: Int, _ down: Bool) {
        if let s = table.slot(of: id) { table.peers[s].down = down }
    }
    @inlinable public func connectionOpened(_ id: Int) { table.opened(id) }
    @inlinable public func connectionClosed(_ id: Int, failed: Bool = false, now: Instant) {
        table.closed(id, failed: failed, now: now)
    }
    public func activeConnections(_ id: Int) -> Int { table.slot(of: id).map { table.peers[$0].conns } ?? 0 }

    /// The backend NGINX `least_conn` would pick now.
    /// - Complexity: O(n) (two passes at most), no allocation.
    @inlinable
    public func choose(now: Instant) -> Int? {
        let t = _PeerTable.seconds(now)
        if table.peers.count == 1 {
            guard let s = table.roundRobinPick(nowSeconds: t) else { return nil }
            return table.ids[s]
        }
        let found: Int = table.peers.withUnsafeMutableBufferPointer { p -> Int in
            // Locals mirror p[best]'s conns and weight so the scan carries no load dependency.
            var best = -1
            var bestConns = 0
            var bestWeight = 1
            var many = false
            for i in 0..<p.count {
                if p[i].down { continue }
                if p[i].maxFails != 0 && p[i].fails >= p[i].maxFails && t - p[i].checked <= p[i].failTimeout {
                    continue
                }
                if p[i].maxConns != 0 && p[i].conns >= p[i].maxConns { continue }
                let lhs = p[i].conns &* bestWeight
                let rhs = bestConns &* p[i].weight
                if best < 0 || lhs < rhs {
                    best = i
                    bestConns = p[i].conns
                    bestWeight = p[i].weight
                    many = false
                } else if lhs == rhs {
                    many = true
                }
            }
            if best < 0 { return -1 }
            var total = 0
            if many {
                // best changes inside this loop, but only to peers with the same conns/weight ratio,
                // so comparing against the first best's ratio is the same test NGINX makes.
                var bestCurrent = p[best].currentWeight
                var i = best
                while i < p.count {
                    defer { i += 1 }
                    if p[i].down { continue }
                    if p[i].conns &* bestWeight != bestConns &* p[i].weight { continue }
                    if p[i].maxFails != 0 && p[i].fails >= p[i].maxFails && t - p[i].checked <= p[i].failTimeout {
                        continue
                    }
                    if p[i].maxConns != 0 && p[i].conns >= p[i].maxConns { continue }
                    let e = p[i].effectiveWeight
                    let cw = p[i].currentWeight &+ e
                    p[i].currentWeight = cw
                    total &+= e
                    if e < p[i].weight { p[i].effectiveWeight = e &+ 1 }
                    if cw > bestCurrent {
                        best = i
                        bestCurrent = cw
                    }
                }
            }
            p[best].currentWeight -= total
            if t - p[best].checked > p[best].failTimeout { p[best].checked = t }
            return best
        }
        if found < 0 {
            table.markAllLive()
            return nil
        }
        return table.ids[found]
    }

    @inlinable
    public func choose<R: RandomNumberGenerator>(now: Instant, keyHash: UInt32, using rng: inout R) -> Int? {
        choose(now: now)
    }

    /// NGINX's `current_weight` of a backend (for inspection and tests).
    public func currentWeight(_ id: Int) -> Int? { table.slot(of: id).map { table.peers[$0].currentWeight } }
    /// NGINX's `effective_weight` of a backend.
    public func effectiveWeight(_ id: Int) -> Int? { table.slot(of: id).map { table.peers[$0].effectiveWeight } }
    /// NGINX's passive failure counter `fails` of a backend.
    public func failCount(_ id: Int) -> Int? { table.slot(of: id).map { table.peers[$0].fails } }
}
