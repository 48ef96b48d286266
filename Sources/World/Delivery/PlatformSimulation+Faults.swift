import Platform
import Scenario
import SimCore

/// The wiring of the fault schedule (`Faults`): a crash into the pods, a region outage into
/// the routing (`Services.routing`), and the incident timeline's snapshots.
extension PlatformSimulation {
    /// Client calls given up so far (every city and endpoint, warm-up included).
    var totalFailed: Int {
        measurements.cities.reduce(0) { $0 + $1.placeOrderFailed + $1.menuFailed + $1.statusFailed + $1.historyFailed + $1.pingsFailed }
    }

    /// Client retries so far (every pool).
    var totalRetries: Int { services.pools.reduce(0) { $0 + $1.retries } }

    /// Carries on what `Faults` says is due.
    func faultDue(_ due: Faults.Due, _ s: inout Scheduler) {
        switch due {
        case .crash(let p, let count, let fault):
            // The crash is its pool's region's event: its follow-ups (the pod's replacement,
            // the next random crash) carry that region's LP, as before the fault schedule.
            s.lp = LogicalProcess.region(services.region(ofPool: p))
            crashDue(p, count: count, fault: fault, &s)
        case .outage(let i, let r):
            faults.begin(i, place: config.regions[r].name, now: s.now, failed: totalFailed, retries: totalRetries)
            services.routing.regionLost(r)
            measurements.mark(s.now, "outage", "\(config.regions[r].name) lost: its services are unreachable")
        case .failover(let i, let r, let to, let spread):
            services.routing.failOver(r, to: to, at: s.now, spread: spread)
            faults.detected(i, at: s.now)
            faults.mitigated(i, at: s.now + spread)
            let within = spread > 0 ? " within the DNS TTL (\(DurationFormat.short(spread)))" : ""
            measurements.mark(s.now, "failover", "\(config.regions[r].name) declared down: its clients move to \(config.regions[to].name)\(within)")
        case .restored(_, let r):
            services.routing.regionBack(r)
            measurements.mark(s.now, "recovery", "\(config.regions[r].name) reachable again")
        case .failback(let i, let r, let spread):
            services.routing.failBack(r, at: s.now, spread: spread)
            measurements.mark(s.now, "recovery", "\(config.regions[r].name) declared up: its clients return")
            faults.scheduleWindowEnd(i, at: s.now + spread, &s)
        case .windowEnd(let i):
            faults.recovered(i, at: s.now, failed: totalFailed, retries: totalRetries)
        case .shard(let i, let shard, let step):
            shardDue(i, shard: shard, step, &s)
        case .partition(let i, let a, let b, let healed):
            partitionDue(i, a: a, b: b, healed: healed, &s)
        case .memberLost(let i, let f):
            memberLost(i, f, &s)
        case .memberBack(let i, let f):
            memberBack(i, f, &s)
        }
    }

    /// A crash: the given number of ready replicas (lowest ids first), or one drawn among the
    /// ready ones, after which the next random crash is scheduled. A scheduled crash
    /// (`fault` ≥ 0) opens an incident that ends when its replacements are ready.
    func crashDue(_ p: Int, count: Int?, fault: Int, _ s: inout Scheduler) {
        let pool = services.pools[p]
        if let count {
            if fault >= 0 { faults.begin(fault, place: pool.name, now: s.now, failed: totalFailed, retries: totalRetries) }
            var crashed: [Int] = []
            for _ in 0..<count {
                guard let r = pool.replicas.indices.first(where: { pool.replicas[$0].state == .ready }) else { break }
                crashed.append(r)
                crash(p, r, &s)
            }
            if fault >= 0 {
                faults.noteCrashed(fault, pool: p, replicas: crashed)
                // The window closes when all is surely back: the replacements (created at once by
                // the ReplicaSet) ready, the dead pods out of rotation (fall failed probes, each
                // ending at its timeout) and, for consumers, the group's session timeout.
                let checks = SimTime(config.healthFall + 1) * config.healthInterval + config.healthTimeout
                let consumers = pool.service == 0 ? 0 : config.sessionTimeout
                faults.scheduleWindowEnd(fault, at: s.now + max(pool.config.startup + pool.config.readiness, checks, consumers), &s)
            }
        } else {
            let ready = pool.replicas.indices.filter { pool.replicas[$0].state == .ready }
            if !ready.isEmpty { crash(p, ready[faults.pick(among: ready.count)], &s) }
            faults.scheduleRandomCrash(pool: p, service: pool.service, ready: pool.ready, &s)
        }
    }

    /// The incident timeline as counters (`fault.<i>.<kind>@<where>.<field>`: `start_s`,
    /// `detected_s`, `mitigated_s`, `recovered_s` when reached, `failed_requests`, `retries`),
    /// which the report turns into its incident table; and the protection counters.
    func reportFaults(_ m: inout RunMetrics) {
        completeMemberIncidents()
        faults.close(failed: totalFailed, retries: totalRetries)
        for inc in faults.incidents {
            var detected = inc.detected, mitigated = inc.mitigated, recovered = inc.recovered
            if inc.pool >= 0 {
                // A crash is detected when the health checks have taken its last pod out of
                // rotation; a consumer pool's group is whole again when the dead members'
                // sessions have timed out.
                let pool = services.pools[inc.pool]
                let downs = inc.replicas.map { pool.replicas[$0].downAt }
                detected = downs.isEmpty || downs.contains(.min) ? nil : downs.max()
                mitigated = pool.service == 0 ? detected : inc.start + config.sessionTimeout
                // Recovered: replacements ready, dead pods out of rotation, group whole again.
                let ready = inc.start + pool.config.startup + pool.config.readiness
                recovered = detected.map { max(ready, $0, mitigated ?? $0) }
            }
            let key = "fault.\(inc.fault).\(inc.kind)@\(inc.place)"
            m.counter("\(key).start_s", SimUnit.seconds(inc.start))
            if let detected { m.counter("\(key).detected_s", SimUnit.seconds(detected)) }
            if let mitigated { m.counter("\(key).mitigated_s", SimUnit.seconds(mitigated)) }
            if let r = recovered { m.counter("\(key).recovered_s", SimUnit.seconds(r)) }
            m.counter("\(key).failed_requests", Double(inc.failed ?? 0))
            m.counter("\(key).retries", Double(inc.retries ?? 0))
        }
        if services.routing.active {
            m.counter("faults.calls_unreachable", Double(services.routing.unreachable))
            m.counter("faults.calls_moved", Double(services.routing.moved))
        }
        reportShardFailures(&m)
        reportPartitions(&m)
        services.protection.report(into: &m, names: services.pools.map(\.name))
        reportMemberIncidents(&m)
        if config.services.contains(where: { !$0.dropAbandoned }) { m.counter("requests.served_after_give_up", Double(services.wastedCalls)) }
    }
}
