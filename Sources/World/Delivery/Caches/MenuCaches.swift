import Platform
import Scenario
import SimCore

/// The menu caches (see README.md in this folder): per up region a `CacheHierarchy` (L1 per
/// order_service replica, L2 the region's Redis, L3 the database), the `cache.<region>` random streams
/// (L1 and L2 latencies) and the hit-ratio counters. The L3 load itself is the database's.
///
/// Keys are menu ids; the two-phase protocol (`begin`, `resumeAfterL2`, `complete`) lets a
/// request wait for the layers' latencies between its steps.
final class MenuCaches {
    /// nil for a region that is down.
    private let caches: [CacheHierarchy<Int, Int>?]
    /// One `cache.<region>` stream per region: a region's latencies never depend on another's load.
    private let streams: [RandomStream]
    private let l1Latency: Distribution
    private let l2Latency: Distribution
    /// Per region, its Redis Cluster nodes (`cache.l2.nodes`), nil without them.
    let nodes: [RedisNodes?]

    init(config: PlatformConfig, seeder: StreamSeeder) {
        streams = config.regions.map { seeder.stream("cache.\($0.name)") }
        l1Latency = config.l1Latency
        l2Latency = config.l2Latency
        nodes = config.regions.map { region in config.redisNodes.flatMap { region.down ? nil : RedisNodes(settings: $0) } }
        caches = config.regions.map { region in
            region.down ? nil : CacheHierarchy<Int, Int>(configuration: CacheHierarchyConfiguration(
                l1Capacity: config.l1Capacity, l1TTL: config.l1TTL, l2TTL: config.l2TTL), replicas: 0)
        }
    }

    /// A new order_service pod in `region`: its L1 slot, or -1 when the region has no cache.
    func addReplica(region: Int) -> Int {
        caches[region]?.addReplica() ?? -1
    }

    /// The request `request` looks `key` up in L1 (`slot`): `hit` when L1 served it, and the
    /// time the client waits for this step (L1, or L1 + L2 on an L1 miss).
    func lookup(region: Int, _ key: Int, slot: Int, request: Int, now: SimTime) -> (hit: Bool, after: SimTime) {
        let stream = streams[region]
        switch caches[region].unsafelyUnwrapped.begin(key, replica: slot, request: request, now: now) {
        case .served:
            return (true, l1Latency.sampleTime(stream))
        default:
            let queued = nodes[region]?.wait(key, now: now) ?? 0
            return (false, l1Latency.sampleTime(stream) + l2Latency.sampleTime(stream) + queued)
        }
    }

    /// After L2's latency: whether L2 served the key (else the caller loads it from L3).
    func resumeAfterL2(region: Int, _ key: Int, slot: Int, now: SimTime) -> Bool {
        switch caches[region].unsafelyUnwrapped.resumeAfterL2(key, replica: slot, now: now) {
        case .served: return true
        default: return false
        }
    }

    /// The L3 load finished: the value fills L2 and L1.
    func complete(region: Int, _ key: Int, slot: Int, now: SimTime) {
        _ = caches[region].unsafelyUnwrapped.complete(key, replica: slot, loaded: key, now: now)
        // A lost node stores nothing: the key stays cold until its node is back.
        if let n = nodes[region], n.isDown(key) { _ = caches[region].unsafelyUnwrapped.l2.delete(key, now: now) }
    }

    /// Region `region`'s L3 loads so far.
    func l3Loads(region: Int) -> Int { caches[region]?.statistics.l3Loads ?? 0 }

    /// Nodes `first ..< first + count` of `region`'s L2 stop (fault `fault`): their keys go cold.
    func loseNodes(region: Int, first: Int, count: Int, fault: Int, now: SimTime) {
        guard let n = nodes[region], let cache = caches[region] else { return }
        for key in n.lose(first..<(first + count), fault: fault, stored: cache.l2.keysByRecency(), l3Loads: l3Loads(region: region), now: now) {
            _ = cache.l2.delete(key, now: now)
        }
    }

    func recoverNodes(region: Int, first: Int, count: Int, fault: Int, now: SimTime) {
        nodes[region]?.recover(first..<(first + count), fault: fault, l3Loads: l3Loads(region: region), now: now)
    }

    /// The nodes' counters (only with `cache.l2.nodes`): keys gone cold and each node's utilisation.
    func reportNodes(into m: inout RunMetrics, regions: [PlatformConfig.Region], at now: SimTime) {
        for (r, n) in nodes.enumerated() {
            guard let n else { continue }
            m.counter("cache.l2.keys_cold@\(regions[r].name)", Double(n.keysCold))
            if n.settings.opsPerSecond > 0, now > 0 {
                for (id, busy) in n.busy.enumerated() { m.counter("cache.l2.node.\(id)@\(regions[r].name).utilization", Double(busy) / Double(now)) }
            }
        }
    }

    func report(into m: inout RunMetrics, regions: [PlatformConfig.Region]) {
        for (r, cache) in caches.enumerated() {
            guard let cache else { continue }
            let st = cache.statistics
            let n = regions[r].name
            let req = Double(max(1, st.requests))
            m.counter("cache.l1.hit_ratio@\(n)", Double(st.l1Hits) / req)
            m.counter("cache.l2.hit_ratio@\(n)", Double(st.l2Hits) / Double(max(1, st.requests - st.l1Hits)))
            m.counter("cache.l3.loads@\(n)", Double(st.l3Loads))
        }
    }

    func findL1SlowerThanL2(_ m: inout RunMetrics) {
        let l1 = MetricsFormat.meanOf(l1Latency), l2 = MetricsFormat.meanOf(l2Latency)
        if l1 > l2 {
            m.findings.append(("warning", "l1_slower_than_l2",
                               "the L1 (local) cache latency \(MetricsFormat.ms(l1)) exceeds the L2 (Redis) latency \(MetricsFormat.ms(l2)): an L1 hit is slower than skipping L1, and every L1 miss pays both"))
        }
    }
}
