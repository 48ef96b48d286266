/// Envoy's RANDOM policy: one draw, `hosts[draw % count]`, weights ignored.
///
/// Source: envoyproxy/envoy `source/extensions/load_balancing_policies/random/random_lb.cc`
/// (`RandomLoadBalancer::peekOrChoose`): `hosts_to_use[random_hash % hosts_to_use.size()]`,
/// where the hosts are the healthy ones, or all hosts when the cluster is in panic
/// (healthy share below `healthy_panic_threshold`, default 50 %; see
/// ``LeastRequestBalancer`` for the rule).
///
/// One `choose` consumes exactly one `rng.next()`.
public final class RandomBalancer: LoadBalancer {
    @usableFromInline var table = _PeerTable()
    @usableFromInline var hosts = _EnvoyHostSets()

    /// - Parameter panicThresholdPercent: Envoy `healthy_panic_threshold` (default 50; 0 disables panic).
    public init(panicThresholdPercent: Int = 50) {
        hosts.panicThresholdPercent = panicThresholdPercent
    }

    public var backendCount: Int { table.count }
    public func contains(_ id: Int) -> Bool { table.slot(of: id) != nil }
    public func addBackend(_ id: Int, _ config: BackendConfig = BackendConfig()) {
        table.add(id, config)
        hosts.rebuild(table)
    }
    public func updateMembership(adding: [(id: Int, config: BackendConfig)], removing: [Int]) {
        for id in removing { table.remove(id) }
        for (id, config) in adding { table.add(id, config) }
        hosts.rebuild(table)
    }
    @discardableResult public func removeBackend(_ id: Int) -> Bool {
        guard table.remove(id) != nil else { return false }
        hosts.rebuild(table)
        return true
    }
    public func setDown(_ id: Int, _ down: Bool) {
        guard let s = table.slot(of: id), table.peers[s].down != down else { return }
        table.setDown(s, down)
        hosts.rebuild(table)
    }
    @inlinable public func connectionOpened(_ id: Int) { table.opened(id) }
    @inlinable public func connectionClosed(_ id: Int, failed: Bool = false, now: Instant) {
        table.released(id)
    }
    public func activeConnections(_ id: Int) -> Int { table.slot(of: id).map { table.connections($0) } ?? 0 }

    /// Picks `hosts[draw % hosts.count]`.
    /// - Complexity: O(1), no allocation.
    @inlinable
    public func choose(draw: UInt64) -> Int? {
        let n = hosts.source.count
        if n == 0 { return nil }
        return table.ids[Int(hosts.source[Int(draw % UInt64(n))])]
    }

    @inlinable
    public func choose<R: RandomNumberGenerator>(using rng: inout R) -> Int? {
        choose(draw: rng.next())
    }

    @inlinable
    public func choose<R: RandomNumberGenerator>(now: Instant, keyHash: UInt32, using rng: inout R) -> Int? {
        choose(using: &rng)
    }
}
