import DequeModule
import Platform
import Scenario
import SimCore

/// Pods: the HPA, the ReplicaSet, crashes and health checks.

extension PlatformSimulation {
    // MARK: pods

    /// The HPA sync of pool `p` (`Autoscaler`) sets the Deployment's replica count; the
    /// ReplicaSet follows.
    func autoscale(_ p: Int, _ s: inout Scheduler) {
        let before = pools[p].desired
        pools[p].desired = autoscaler.sync(p, pools[p], now: s.now)
        if pools[p].desired != before { mark(s.now, "scale", "\(pools[p].name): \(before) → \(pools[p].desired) replicas") }
        reconcilePods(p, &s)
    }

    /// The ReplicaSet: creates or deletes pods until the live count is the desired count.
    func reconcilePods(_ p: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        while pool.live < pool.desired {
            let startedAt = s.now + pool.config.startup
            let r = pool.addPod(now: s.now, startedAt: startedAt, readyAt: startedAt + pool.config.readiness)
            onPodCreated(p, r)
            s.schedule(at: startedAt + pool.config.readiness, kind: Kind.podReady.rawValue, target: UInt32(p), payload: UInt64(r))
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
        if changed { membershipChanged(p, &s) }
    }

    func crash(_ p: Int, _ r: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        _ = pool.leave(r, now: s.now, crashed: true)
        mark(s.now, "crash", "\(pool.name): a pod crashed")
        while let q = pool.replicas[r].queue.popFirst() {
            pool.queueChanged(-1, s.now)
            requests[Int(q)].queued = false
            if requests[Int(q)].abandoned { freeRequests.append(q) } else { lost(q, s.now, &s) }
        }
        // The group notices a crashed consumer only when its session times out; until then
        // the partitions it owned stall.
        if pool.service != 0 {
            s.schedule(after: config.sessionTimeout, kind: Kind.consumerTimeout.rawValue, target: UInt32(p))
        }
        reconcilePods(p, &s)  // the ReplicaSet replaces it
        schedulePoll(p, &s)
    }

    /// A crash `Failures` says is due: the given number of ready replicas (lowest ids first),
    /// or one drawn among the ready ones, after which the next random crash is scheduled.
    func crashDue(_ due: Failures.Due, _ s: inout Scheduler) {
        let p = due.pool
        if let count = due.count {
            for _ in 0..<count {
                guard let r = pools[p].replicas.indices.first(where: { pools[p].replicas[$0].state == .ready }) else { break }
                crash(p, r, &s)
            }
        } else {
            let ready = pools[p].replicas.indices.filter { pools[p].replicas[$0].state == .ready }
            if !ready.isEmpty { crash(p, ready[failures.pick(among: ready.count)], &s) }
            failures.scheduleRandomCrash(pool: p, service: pools[p].service, ready: pools[p].ready, &s)
        }
    }

    // MARK: health checks

    func schedulePoll(_ p: Int, _ s: inout Scheduler) {
        guard let t = pools[p].health.nextEventTime() else { return }
        let at = max(t, s.now)
        if pools[p].pollAt < 0 || at < pools[p].pollAt {
            pools[p].pollAt = at
            s.schedule(at: at, kind: Kind.healthPoll.rawValue, target: UInt32(p))
        }
    }

    func healthPoll(_ p: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        probeBuffer.removeAll(keepingCapacity: true)
        transitionBuffer.removeAll(keepingCapacity: true)
        pool.health.poll(now: s.now, probes: &probeBuffer, transitions: &transitionBuffer)
        for probe in probeBuffer where pool.replicas[probe.backend].state != .dead {
            // A live pod answers /health at once; a crashed one never does.
            if let tr = pool.health.report(probe, .success, now: s.now) { transitionBuffer.append(tr) }
        }
        for tr in transitionBuffer {
            let r = tr.backend
            pool.replicas[r].markedDown = !tr.healthy
            if !tr.healthy {
                pool.balancer.setDown(r, true)
                if pool.replicas[r].state == .dead {
                    if pool.replicas[r].inBalancer { pool.balancer.removeBackend(r); pool.replicas[r].inBalancer = false }
                    pool.health.removeBackend(r)
                }
            } else {
                pool.balancer.setDown(r, false)
            }
        }
        schedulePoll(p, &s)
    }
}
