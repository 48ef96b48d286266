/// NGINX's default balancing: smooth weighted round robin.
///
/// Source: nginx/nginx `src/http/ngx_http_upstream_round_robin.c`,
/// `ngx_http_upstream_get_round_robin_peer` / `ngx_http_upstream_get_peer` /
/// `ngx_http_upstream_free_round_robin_peer` (algorithm introduced by Maxim Dounin's commit
/// "Upstream: smooth weighted round-robin balancing", 2012). On each pick every eligible peer's
/// `current_weight` grows by its `effective_weight`, the largest wins (first in membership order
/// on ties) and loses the sum of the effective weights. Weights {5, 1, 1} give
/// `a a b a c a a`; equal weights give plain rotation.
///
/// Eligibility per pick: not `down`, not (`fails >= max_fails` and within `fail_timeout` of the
/// last failure), not at `max_conns`. A failed request lowers `effective_weight` by
/// `weight / max_fails`; each later pick restores it by one. With a single member NGINX skips
/// all of this (`peers->single`). When nothing is eligible NGINX resets every `fails` counter
/// ("mark them as live for quick recovery") and returns no peer.
///
/// Not modelled: `backup` servers, the per-request `tried` bitmap of `proxy_next_upstream`
/// retries (each `choose` is a first try), and per-worker state (this is NGINX with a `zone`).
public final class RoundRobinBalancer: LoadBalancer {
    // Unchecked: accesses to the table are single calls that never overlap (see
    // LeastConnectionsBalancer); the dynamic check costs ~10 ns per access.
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

    /// The next backend in smooth weighted round-robin order.
    /// - Complexity: O(n), no allocation.
    @inlinable
    public func choose(now: Instant) -> Int? {
        guard let s = table.roundRobinPick(nowSeconds: _PeerTable.seconds(now)) else { return nil }
        return table.ids[s]
    }

    @inlinable
    public func choose<R: RandomNumberGenerator>(now: Instant, keyHash: UInt32, using rng: inout R) -> Int? {
        choose(now: now)
    }

    /// NGINX's `current_weight` of a backend (for inspection and tests).
    public func currentWeight(_ id: Int) -> Int? { table.slot(of: id).map { table.currentWeight[$0] } }
    /// NGINX's `effective_weight` of a backend.
    public func effectiveWeight(_ id: Int) -> Int? { table.slot(of: id).map { table.peers[$0].effectiveWeight } }
}
