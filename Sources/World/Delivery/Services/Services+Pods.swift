import Platform
import SimCore

/// The pods of each pool: the first ones, and the ReplicaSet that follows the desired count
/// (moved out of `Services.swift` to keep it under 400 lines).
extension Services {
    // MARK: pods

    /// Pool `p`'s initial pods, ready at t = 0, and its first health-check poll.
    func startPods(_ p: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        for _ in 0..<pool.config.initial {
            let r = addPod(pool, now: 0, startedAt: 0, readyAt: 0)
            pool.markReady(r, now: 0)
        }
        schedulePoll(p, &s)
    }

    private func addPod(_ pool: ServicePool, now: SimTime, startedAt: SimTime, readyAt: SimTime) -> Int {
        let r = pool.addPod(now: now, startedAt: startedAt, readyAt: readyAt)
        if pool.service == 0 { pool.setCacheSlot(r, caches.addReplica(region: pool.region)) }
        return r
    }

    /// The ReplicaSet: creates or deletes pods until the live count is the desired count.
    /// Returns whether the ready replicas changed (a consumer group's membership).
    func reconcile(_ p: Int, _ s: inout Scheduler) -> Bool {
        let pool = pools[p]
        while pool.live < pool.desired {
            let startedAt = s.now + pool.config.startup
            let r = addPod(pool, now: s.now, startedAt: startedAt, readyAt: startedAt + pool.config.readiness)
            s.schedule(at: startedAt + pool.config.readiness, kind: ComponentID.services.kind(Kind.podReady.rawValue),
                       target: UInt32(p), payload: UInt64(r))
        }
        var changed = false
        while pool.live > pool.desired {
            // Kubernetes deletes not-ready pods first, then the newest.
            var victim = -1
            for r in pool.replicas.indices.reversed() where pool.replicas[r].state == .starting { victim = r; break }
            if victim < 0 { for r in pool.replicas.indices.reversed() where pool.replicas[r].state == .ready { victim = r; break } }
            guard victim >= 0 else { break }
            if pool.leave(victim, now: s.now, crashed: false) { changed = true }
        }
        return changed
    }
}
