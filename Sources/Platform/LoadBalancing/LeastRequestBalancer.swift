#if canImport(Glibc)
import Glibc  // pow() for a non-default active_request_bias; C library, not Foundation
#elseif canImport(Darwin)
import Darwin
#endif

/// Envoy's LEAST_REQUEST policy: power of N choices when weights are equal, an EDF schedule of
/// `weight / (active + 1)^bias` when they differ.
///
/// Source: envoyproxy/envoy `source/extensions/load_balancing_policies/least_request/least_request_lb.{h,cc}`
/// and `.../common/load_balancer_impl.cc` (`EdfLoadBalancerBase`):
/// - **Equal weights, `N_CHOICES` (default):** `choice_count` (default 2, at least 2) times draw
///   `h = hosts[random() % n]` *with replacement*; keep the first sample and replace it only by
///   a later one with strictly fewer active requests. Consumes exactly `choiceCount` draws.
/// - **Equal weights, `FULL_SCAN`:** the fewest active requests over all hosts; ties broken by
///   reservoir sampling, one draw per tie met (`random() % tiedSoFar == 0` replaces).
/// - **Unequal weights** (or `activeRequestBias` given explicitly, Envoy's
///   `least_request_lb_active_request_bias_forces_weighted`, default on): an ``EDFScheduler``
///   built by `createWithPicks(hosts, hostWeight, seed)` whenever membership or health changes;
///   each pick re-queues the picked host with `hostWeight = weight / (active + 1)^bias`
///   (bias 1.0 by default; 0 gives plain weighted round robin). Consumes no draws.
/// Hosts are the healthy ones, or all hosts in panic (see `_EnvoyHostSets`), in membership order.
///
/// "Active requests" are the balancer's connection counts (``connectionOpened(_:)`` /
/// ``connectionClosed(_:failed:now:)``). Envoy notes that with 2 hosts and defaults the busier
/// host is picked 25 % of the time (both draws land on it). Not modelled: slow start, localities,
/// priorities, `count_pending_requests`.
public final class LeastRequestBalancer: LoadBalancer {
    public enum SelectionMethod: Sendable { case nChoices, fullScan }

    @usableFromInline var table = _PeerTable()
    @usableFromInline var hosts = _EnvoyHostSets()
    @usableFromInline let choiceCount: Int
    @usableFromInline let selectionMethod: SelectionMethod
    @usableFromInline let bias: Double
    @usableFromInline let forceWeighted: Bool
    @usableFromInline let seed: UInt32
    /// EDF over `hosts.healthy` / `hosts.all` (nil when that list's weights are all equal).
    @usableFromInline var edfHealthy: EDFScheduler?
    @usableFromInline var edfAll: EDFScheduler?

    /// - Parameters:
    ///   - choiceCount: Envoy `choice_count` (default 2; must be >= 2).
    ///   - selectionMethod: Envoy `selection_method` (default `N_CHOICES`).
    ///   - activeRequestBias: Envoy `active_request_bias`; nil means unset (1.0, and equal weights
    ///     keep the unweighted pick).
    ///   - panicThresholdPercent: Envoy `healthy_panic_threshold` (default 50; 0 disables).
    ///   - seed: the scheduler seed Envoy draws once per balancer (`seed_`), supplied by the caller.
    public init(choiceCount: Int = 2, selectionMethod: SelectionMethod = .nChoices,
                activeRequestBias: Double? = nil, panicThresholdPercent: Int = 50, seed: UInt32 = 0) {
        precondition(choiceCount >= 2, "Envoy requires choice_count >= 2")
        var b = activeRequestBias ?? 1.0
        if b < 0 || b.isNaN { b = 1.0 }  // Envoy logs a warning and uses 1.0
        self.choiceCount = choiceCount
        self.selectionMethod = selectionMethod
        self.bias = b
        self.forceWeighted = activeRequestBias != nil
        self.seed = seed
        hosts.panicThresholdPercent = panicThresholdPercent
    }

    public var backendCount: Int { table.count }
    public func contains(_ id: Int) -> Bool { table.slot(of: id) != nil }
    public func addBackend(_ id: Int, _ config: BackendConfig = BackendConfig()) {
        table.add(id, config)
        refresh()
    }
    public func updateMembership(adding: [(id: Int, config: BackendConfig)], removing: [Int]) {
        for id in removing { table.remove(id) }
        for (id, config) in adding { table.add(id, config) }
        refresh()
    }
    @discardableResult public func removeBackend(_ id: Int) -> Bool {
        guard table.remove(id) != nil else { return false }
        refresh()
        return true
    }
    public func setDown(_ id: Int, _ down: Bool) {
        guard let s = table.slot(of: id), table.peers[s].down != down else { return }
        table.setDown(s, down)
        refresh()
    }
    @inlinable public func connectionOpened(_ id: Int) { table.opened(id) }
    @inlinable public func connectionClosed(_ id: Int, failed: Bool = false, now: Instant) {
        table.released(id)
    }
    public func activeConnections(_ id: Int) -> Int { table.slot(of: id).map { table.connections($0) } ?? 0 }

    /// Whether picks currently go through the EDF schedule (weights differ or bias forced).
    public var usesWeightedSelection: Bool { (hosts.inPanic ? edfAll : edfHealthy) != nil }
    /// Whether the host set is in Envoy's panic mode (picking among all hosts).
    public var inPanic: Bool { hosts.inPanic }

    /// `EdfLoadBalancerBase::refresh`: rebuild host lists and schedulers.
    func refresh() {
        hosts.rebuild(table)
        edfHealthy = makeScheduler(hosts.healthy)
        edfAll = makeScheduler(hosts.all)
    }

    func makeScheduler(_ list: [Int32]) -> EDFScheduler? {
        guard let first = list.first else { return nil }
        let w0 = table.peers[Int(first)].weight
        let equal = list.allSatisfy { table.peers[Int($0)].weight == w0 }
        if equal && !forceWeighted { return nil }
        return EDFScheduler(weights: list.map { hostWeight(Int($0)) }, picks: seed,
                            reweight: { self.hostWeight(Int(list[$0])) })
    }

    /// `LeastRequestLoadBalancer::hostWeight`: `weight / (active + 1)^bias`.
    @inlinable
    func hostWeight(_ slot: Int) -> Double {
        let w = Double(table.peers[slot].weight)
        let active = Double(table.connections(slot) + 1)
        if bias == 1.0 { return w / active }
        if bias == 0.0 { return w }
        return w / pow(active, bias)
    }

    /// The backend Envoy's least-request balancer would pick now.
    /// - Complexity: O(choiceCount) for N choices, O(log n) weighted, O(n) full scan; no allocation.
    @inlinable
    public func choose<R: RandomNumberGenerator>(using rng: inout R) -> Int? {
        if hosts.source.isEmpty { return nil }
        if hosts.inPanic {
            if edfAll != nil { return weightedPick(&edfAll!) }
        } else if edfHealthy != nil {
            return weightedPick(&edfHealthy!)
        }
        let method = selectionMethod
        let choices = choiceCount
        // One access to each array for the whole pick (no per-element exclusivity checks).
        let slot = hosts.source.withUnsafeBufferPointer { src -> Int in
            table.conns.withUnsafeBufferPointer { conns -> Int in
                let n = UInt64(src.count)
                var candidate = -1
                switch method {
                case .nChoices:
                    for _ in 0..<choices {
                        let s = Int(src[Int(rng.next() % n)])
                        if candidate < 0 || conns[s] < conns[candidate] { candidate = s }
                    }
                case .fullScan:
                    var tied: UInt64 = 0
                    for k in 0..<src.count {
                        let s = Int(src[k])
                        if candidate < 0 {
                            tied = 1
                            candidate = s
                            continue
                        }
                        let a = conns[s]
                        let c = conns[candidate]
                        if a < c {
                            tied = 1
                            candidate = s
                        } else if a == c {
                            tied += 1
                            if rng.next() % tied == 0 { candidate = s }
                        }
                    }
                }
                return candidate
            }
        }
        return table.ids[slot]
    }

    @inlinable
    func weightedPick(_ edf: inout EDFScheduler) -> Int? {
        guard let k = edf.pickAndAdd({ self.hostWeight(Int(hosts.source[$0])) }) else { return nil }
        return table.ids[Int(hosts.source[k])]
    }

    @inlinable
    public func choose<R: RandomNumberGenerator>(now: Instant, keyHash: UInt32, using rng: inout R) -> Int? {
        choose(using: &rng)
    }
}
