import Platform
import SimCore

/// Sticky sessions after a scale-out: NGINX `sticky cookie` sends a session's calls to the
/// replica its cookie names, so new pods receive only new sessions and the old pods keep
/// their load until cookies expire (`ServicePool.stickyReplica`). For each scale-out of a
/// pool with sessions, this watches the `window` that starts at the first HPA sync at which
/// all the new pods are ready: the CPU utilisation of each old pod (ready at the scale-out)
/// and each new pod over it, from the pods' busy-core integrals. The advisor reports, per
/// pool, the scale-out with the largest gap between the busiest old pod and the mean new pod.
///
/// Driven by the HPA syncs (`PlatformSimulation.autoscale`): no events of its own. Reads
/// `ServicePool`; calls nothing.
final class StickyWatch {
    static let window = 5 * SimUnit.minute

    /// One scale-out being watched.
    struct Watch {
        var at: SimTime
        var from: Int
        var to: Int
        var old: [Int]
        var new: [Int]
        /// Start of the window (set at the first sync with every new pod ready) and the busy
        /// integrals then (old pods, then new pods).
        var start: SimTime?
        var busyAtStart: [Double] = []
    }

    /// A watched window's outcome (utilisations as fractions of the pods' cores).
    struct Outcome: Equatable {
        var at: SimTime
        var from: Int
        var to: Int
        var start: SimTime
        var end: SimTime
        var oldMax: Double
        var oldMean: Double
        var newMean: Double
        var gap: Double { oldMax - newMean }
    }

    private var watches: [Watch?]
    /// Per pool: the outcome with the largest gap so far.
    private(set) var worst: [Outcome?]

    init(pools: Int) {
        watches = Array(repeating: nil, count: pools)
        worst = Array(repeating: nil, count: pools)
    }

    /// Pool `p` (with sticky sessions) went from `before` to more replicas at `now`: pods
    /// `firstNew...` are the new ones. One watch per pool at a time.
    func scaledOut(_ p: Int, _ pool: ServicePool, before: Int, firstNew: Int, now: SimTime) {
        guard pool.hasSessions, watches[p] == nil, firstNew < pool.replicas.count else { return }
        let old = (0..<firstNew).filter { pool.replicas[$0].state == .ready }
        guard !old.isEmpty else { return }
        watches[p] = Watch(at: now, from: before, to: pool.desired, old: old, new: Array(firstNew..<pool.replicas.count))
    }

    /// An HPA sync of pool `p` at `now`: starts or closes its watch.
    func sync(_ p: Int, _ pool: ServicePool, now: SimTime) {
        guard var w = watches[p] else { return }
        let pods = w.old + w.new
        // A pod of the watch left (crash, scale-down): the comparison is off.
        let oldLive = w.old.allSatisfy { pool.replicas[$0].state == .ready }
        let newLive = w.new.allSatisfy { pool.replicas[$0].state == .ready || pool.replicas[$0].state == .starting }
        guard oldLive && newLive else {
            watches[p] = nil
            return
        }
        guard let start = w.start else {
            if w.new.allSatisfy({ pool.replicas[$0].state == .ready }) {
                w.start = now
                w.busyAtStart = pods.map { busy(pool, $0, now) }
                watches[p] = w
            }
            return
        }
        guard now >= start + Self.window else { return }
        let span = Double(now - start) * Double(pool.cores)
        let util = pods.enumerated().map { (i, r) in (busy(pool, r, now) - w.busyAtStart[i]) / span }
        let old = util[..<w.old.count], new = util[w.old.count...]
        let outcome = Outcome(at: w.at, from: w.from, to: w.to, start: start, end: now, oldMax: old.max() ?? 0,
                              oldMean: old.reduce(0, +) / Double(old.count), newMean: new.reduce(0, +) / Double(max(1, new.count)))
        if outcome.gap > (worst[p]?.gap ?? -.infinity) { worst[p] = outcome }
        watches[p] = nil
    }

    private func busy(_ pool: ServicePool, _ r: Int, _ now: SimTime) -> Double {
        pool.advanceReplica(r, now)
        return pool.replicas[r].busyIntegral
    }

    /// Finding `sticky_sessions_after_scale_out` for each pool whose busiest old pod ran at
    /// least twice as busy as the mean new pod and 20 points above it; counters for each pool watched.
    func find(_ m: inout RunMetrics, pools: [ServicePool]) {
        for (p, pool) in pools.enumerated() {
            guard let o = worst[p] else { continue }
            m.counter("\(pool.name).sticky_after_scale_out.old_max_utilisation", o.oldMax)
            m.counter("\(pool.name).sticky_after_scale_out.new_mean_utilisation", o.newMean)
            guard o.oldMax >= 2 * o.newMean, o.gap >= 0.2 else { continue }
            let minutes = MetricsFormat.fmt(SimUnit.seconds(o.end - o.start) / 60)
            m.findings.append(("warning", "sticky_sessions_after_scale_out",
                               "\(pool.name): for \(minutes) min after the scale-out at \(MetricsFormat.fmt(SimUnit.seconds(o.at))) s (\(o.from) → \(o.to) replicas, new pods ready by \(MetricsFormat.fmt(SimUnit.seconds(o.start))) s) "
                               + "the busiest old pod ran at \(MetricsFormat.fmt(100 * o.oldMax))% CPU (old pods \(MetricsFormat.fmt(100 * o.oldMean))% on average) and the new pods at \(MetricsFormat.fmt(100 * o.newMean))% on average: "
                               + "sticky sessions keep existing sessions on the old pods, the new pods receive only new sessions"))
        }
    }
}
