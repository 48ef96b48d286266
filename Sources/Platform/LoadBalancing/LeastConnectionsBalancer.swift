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
    // Unchecked: every access is one call into the table, so accesses never overlap, and the
    // dynamic exclusivity checks (~10 ns each, several per pick and per connection event) cost
    // about as much as the whole equal-weight scan of 30 backends.
    @exclusivity(unchecked) @usableFromInline var table = _PeerTable()

    public init() {}

    public var backendCount: Int { table.count }
    public func contains(_ id: Int) -> Bool { table.slot(of: id) != nil }
    public func addBackend(_ id: Int, _ config: BackendConfig = BackendConfig()) { table.add(id, config) }
    @discardableResult public func removeBackend(_ id: Int) -> Bool { table.remove(id) != nil }
    public func setDown(_ id: Int, _ down: Bool) {
        if let s = table.slot(of: id) { table.setDown(s, down) }
    }
    @inlinable public func connectionOpened(_ id: Int) { table.opened(id) }
    @inlinable public func connectionClosed(_ id: Int, failed: Bool = false, now: Instant) {
        table.closed(id, failed: failed, now: now)
    }
    public func activeConnections(_ id: Int) -> Int { table.slot(of: id).map { table.connections($0) } ?? 0 }

    /// The backend NGINX `least_conn` would pick now.
    ///
    /// When every member is plain (not down, no `max_conns`, not failed, `effective_weight ==
    /// weight`) and all weights are equal, a shorter scan gives the same pick and the same state
    /// (`_PeerTable.leastConnUniformPick`); the table counts non-plain members as they change, so
    /// the choice costs O(1).
    /// - Complexity: O(n) (two passes at most), no allocation.
    @inlinable
    public func choose(now: Instant) -> Int? {
        let t = _PeerTable.seconds(now)
        let n = table.count
        if n == 1 {
            guard let s = table.roundRobinPick(nowSeconds: t) else { return nil }
            return table.ids[s]
        }
        if table.nonPlainCount == 0 && table.uniformWeight != 0 {
            return table.ids[table.leastConnUniformPick(nowSeconds: t)]
        }
        guard let s = table.leastConnPick(nowSeconds: t) else {
            table.markAllLive()
            return nil
        }
        return table.ids[s]
    }

    @inlinable
    public func choose<R: RandomNumberGenerator>(now: Instant, keyHash: UInt32, using rng: inout R) -> Int? {
        choose(now: now)
    }

    /// Whether the next ``choose(now:)`` takes the equal-weight scan: at least two members, all
    /// plain and of one weight. For tests, which check the table's O(1) bookkeeping against the
    /// state itself.
    @_spi(Testing) public var usesEqualWeightScan: Bool {
        table.count >= 2 && table.nonPlainCount == 0 && table.uniformWeight != 0
    }

    /// NGINX's `current_weight` of a backend (for inspection and tests).
    public func currentWeight(_ id: Int) -> Int? { table.slot(of: id).map { table.currentWeight[$0] } }
    /// NGINX's `effective_weight` of a backend.
    public func effectiveWeight(_ id: Int) -> Int? { table.slot(of: id).map { table.peers[$0].effectiveWeight } }
    /// NGINX's passive failure counter `fails` of a backend.
    public func failCount(_ id: Int) -> Int? { table.slot(of: id).map { table.peers[$0].fails } }
}
