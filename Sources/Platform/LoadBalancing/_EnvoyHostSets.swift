/// The host lists an Envoy load balancer picks from: healthy hosts, or all hosts in panic.
///
/// Source: envoyproxy/envoy `source/extensions/load_balancing_policies/common/load_balancer_impl.cc`
/// (`LoadBalancerBase::recalculatePerPriorityState`, `recalculatePerPriorityPanic`,
/// `isHostSetInPanic`, `ZoneAwareLoadBalancerBase::hostSourceToUse`), one priority, no localities:
/// - health = min(100, 140 * healthy / total)  (overprovisioning factor 1.4, integer arithmetic)
/// - panic  = health < 100 && 100.0 * healthy / total < healthy_panic_threshold
/// - in panic the balancer picks among all hosts, healthy or not.
@usableFromInline
struct _EnvoyHostSets {
    @usableFromInline var healthy: [Int32] = []
    @usableFromInline var all: [Int32] = []
    /// The list `choose` uses now: `healthy`, or `all` in panic.
    @usableFromInline var source: [Int32] = []
    @usableFromInline var inPanic = false
    @usableFromInline var panicThresholdPercent = 50

    @inlinable init() {}

    @usableFromInline
    mutating func rebuild(_ table: _PeerTable) {
        healthy.removeAll(keepingCapacity: true)
        all.removeAll(keepingCapacity: true)
        for (i, p) in table.peers.enumerated() {
            all.append(Int32(i))
            if !p.down { healthy.append(Int32(i)) }
        }
        let total = all.count
        if total == 0 {
            inPanic = false
        } else {
            let health = min(100, 140 * healthy.count / total)
            let healthyPercent = 100.0 * Double(healthy.count) / Double(total)
            inPanic = health < 100 && healthyPercent < Double(min(100, panicThresholdPercent))
        }
        source = inPanic ? all : healthy
    }
}
