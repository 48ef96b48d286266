import Platform
import Scenario
import SimCore

/// The service pools (see README.md in this folder): every region's order, location and
/// matching pools, which pool serves each city, and the requests through them: sticky
/// sessions and the balancer, replica queues and their client-side timeouts, CPU, failures
/// and retries, pods (ReplicaSet, readiness) and health checks. Owns the requests, the `lb.<region>`
/// and `retries.<region>` random streams and its events.
///
/// What a request does between its CPU and its answer (database, caches, Kafka) is the
/// caller's: `handle` returns `.stage` when a request's next step is due, and the caller moves
/// it on with `next` and `finish`. Calls down: `MenuCaches` (a new order_service pod's L1
/// slot), `Measurements` (answers and failures).
final class Services {
    enum Kind: UInt32 { case cpuDone, stage, requestFailed, submit, queueTimeout, podReady, healthPoll, sample, consumerTimeout }

    /// What one of this component's events (or a submit) leaves for the caller.
    enum Due {
        case none
        /// Request `q`'s next step (its `stage`) is due.
        case stage(Int32)
        /// The client gave up request `q` for good (counted as failed): the caller applies it
        /// (a rejected order, a match run that ended), then calls `release`.
        case gaveUp(Int32)
        /// Consumer request `q` was on a pod that crashed: its record goes back to Kafka.
        case lost(Int32)
        /// Pool `p`'s ready replicas changed (or a crashed consumer's session timed out).
        case membershipChanged(Int)
        /// A region outage moved call `q` to its failover region's pool (its `pool` now): the
        /// caller sends it there through the cross-region channel, one one-way trip away.
        case crossRegion(Int32)
    }

    let pools: [ServicePool]
    /// Pool index per (region, service), -1 for a region that is down.
    private let poolOf: [[Int]]
    /// Pool serving city c's service s at `c * 3 + s` (its failover region's when down): flat,
    /// for the hot paths.
    private var servingPools: [Int] = []
    /// Region of each pool (reading `pools[p].region` would retain the pool).
    private let poolRegions: [Int]
    private let requests = SlotStore<Request>(reservingCapacity: 4096)
    private var freeRequests: [Int32] = []
    private var queueTokens: UInt32 = 0
    /// The client-side timeouts of queued calls: one timer per pool.
    private var timeouts: QueueTimeouts
    /// `lb.<region>` and `retries.<region>`, by the region of the pool the draw is for.
    private var lbRNGs: [StreamRNG]
    private let retryStreams: [RandomStream]
    private var probeBuffer: [HealthProbe] = []
    private var transitionBuffer: [HealthTransition] = []
    let caches: MenuCaches
    let measurements: Measurements
    private let interval: SimTime
    /// Where calls go while a region is out, and what protects each pool (Services+Faults).
    let routing: RegionRouting
    let protection: Protection
    /// Calls served after their client gave up (`drop_abandoned: false`).
    private(set) var wastedCalls = 0
    /// CPU of one consumer poll besides its records' (`kafka.consumer.batch_cpu`).
    var pollCPU: SimTime = 0

    init(config: PlatformConfig, seeder: StreamSeeder, caches: MenuCaches, measurements: Measurements,
         interval: SimTime, levelInterval: SimTime) {
        self.caches = caches
        self.measurements = measurements
        self.interval = interval
        lbRNGs = config.regions.map { StreamRNG(stream: seeder.stream("lb.\($0.name)")) }
        retryStreams = config.regions.map { seeder.stream("retries.\($0.name)") }
        let hc = HealthCheckConfig.haproxy(path: config.healthPath, interval: config.healthInterval, rise: config.healthRise,
                                           fall: config.healthFall, timeout: config.healthTimeout)
        let algorithm = LoadBalancingAlgorithm(rawValue: config.lbAlgorithm) ?? .leastConnections
        var pools: [ServicePool] = []
        var poolOf: [[Int]] = []
        for (r, region) in config.regions.enumerated() {
            var row = [-1, -1, -1]
            if !region.down {
                for s in 0..<3 {
                    row[s] = pools.count
                    pools.append(ServicePool(service: s, region: r, regionName: region.name, config: config.services[s],
                                             balancer: algorithm.makeBalancer(), health: HealthChecker(config: hc), seeder: seeder,
                                             series: interval, levelSeries: levelInterval))
                }
            }
            poolOf.append(row)
        }
        self.pools = pools
        self.poolOf = poolOf
        timeouts = QueueTimeouts(pools: pools.count)
        poolRegions = pools.map(\.region)
        for region in config.regions {
            for s in 0..<3 { servingPools.append(poolOf[region.servedBy][s]) }
        }
        routing = RegionRouting(config: config, poolOf: poolOf, active: config.faults.contains { $0.kind == .regionOutage })
        protection = Protection(services: config.services, poolServices: pools.map(\.service))
    }

    /// Sticky sessions: order_service pools keep a cookie per customer, location_service pools
    /// one per courier.
    func enableSessions(customers: Int, couriers: Int, ttl: SimTime) {
        for pool in pools where pool.service != 2 {
            pool.enableSessions(count: pool.service == 0 ? customers : couriers, ttl: ttl)
        }
    }

    /// The pool serving city `c`'s service `service` (its failover region's while it is down).
    @inline(__always) func servingPool(_ c: Int, _ service: Int) -> Int { servingPools[c * 3 + service] }
    /// Region `region`'s own pool of `service`, -1 when the region is down.
    @inline(__always) func pool(region: Int, service: Int) -> Int { poolOf[region][service] }
    @inline(__always) func region(ofPool p: Int) -> Int { poolRegions[p] }
    /// The pool index per (region, service), for the failures' schedule.
    var poolIndex: [[Int]] { poolOf }

    // MARK: requests

    @inline(__always) func request(_ q: Int32) -> Request { requests[Int(q)] }

    func newRequest(_ r: Request, carrying: Int32 = -1) -> Int32 {
        let i = freeRequests.popLast() ?? Int32(requests.count)
        if Int(i) < requests.count { requests[Int(i)] = r } else { requests.append(r) }
        withStages { if carrying >= 0 { $0.copy(from: carrying, to: i) } else { $0.begin(i, at: r.start) } }
        return i
    }

    /// Request `q` is done with: its slot is free.
    @inline(__always) func release(_ q: Int32) { freeRequests.append(q) }
    @inline(__always) func setArrived(_ q: Int32, _ now: SimTime) { requests[Int(q)].arrived = now }
    @inline(__always) func setPartition(_ q: Int32, _ part: Int) { requests[Int(q)].partition = Int32(part) }
    @inline(__always) func setVisible(_ q: Int32, at t: SimTime) { requests[Int(q)].visibleAt = t }
    @inline(__always) func setStage(_ q: Int32, _ stage: UInt8) { requests[Int(q)].stage = stage }
    @inline(__always) func setPool(_ q: Int32, _ p: Int) { requests[Int(q)].pool = Int32(p) }
    /// Request `q` goes to pool `p` (a region outage moved it, or it failed before a replica).
    @inline(__always) func reroute(_ q: Int32, to p: Int) { requests[Int(q)].pool = Int32(p); requests[Int(q)].replica = -1 }

    /// Request `q`'s step `stage` is due after `delay`.
    @inline(__always) func next(_ q: Int32, stage: UInt8, after delay: SimTime, _ s: inout Scheduler) {
        requests[Int(q)].stage = stage
        s.schedule(after: delay, kind: ComponentID.services.kind(Kind.stage.rawValue), payload: UInt64(q))
    }

    /// Request `q` is submitted at `time` (a status read the customer's app makes later).
    func submit(_ q: Int32, at time: SimTime, _ s: inout Scheduler) {
        s.schedule(at: time, kind: ComponentID.services.kind(Kind.submit.rawValue), payload: UInt64(q))
    }

    /// The L1 cache slot of the replica serving request `q`.
    @inline(__always) func cacheSlot(of q: Int32) -> Int {
        pools[Int(requests[Int(q)].pool)].replicas[Int(requests[Int(q)].replica)].cacheSlot
    }

    /// One of this component's events: what it leaves for the caller.
    func handle(_ e: Event, _ s: inout Scheduler) -> Due {
        switch Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped {
        case .cpuDone: return cpuDone(Int32(truncatingIfNeeded: e.payload), &s)
        case .stage: return .stage(Int32(truncatingIfNeeded: e.payload))
        case .requestFailed: return fail(Int32(truncatingIfNeeded: e.payload), &s)
        case .submit:
            let q = Int32(truncatingIfNeeded: e.payload)
            return submit(q, pool: Int(requests[Int(q)].pool), &s)
        case .queueTimeout:
            return queueTimeoutDue(pool: Int(e.target), &s)
        case .podReady:
            let p = Int(e.target), r = Int(e.payload)
            guard pools[p].replicas[r].state == .starting else { return .none }
            pools[p].markReady(r, now: s.now)
            schedulePoll(p, &s)
            return .membershipChanged(p)
        case .healthPoll:
            let p = Int(e.target)
            guard pools[p].pollDue(at: e.time) else { return .none }
            pools[p].poll(now: s.now, probes: &probeBuffer, transitions: &transitionBuffer)
            schedulePoll(p, &s)
            return .none
        case .sample:
            for pool in pools { pool.sample(s.now) }
            s.schedule(after: interval, kind: ComponentID.services.kind(Kind.sample.rawValue))
            return .none
        case .consumerTimeout:
            return .membershipChanged(Int(e.target))
        }
    }

    /// The first report-interval sample.
    func startSampling(_ s: inout Scheduler) {
        s.schedule(at: interval, kind: ComponentID.services.kind(Kind.sample.rawValue))
    }

    func warmupEnded(_ now: SimTime) {
        for pool in pools { pool.warmupEnded(now) }
    }

    /// Sends a request through the pool's load balancer, or to its session's replica.
    func submit(_ q: Int32, pool target: Int, _ s: inout Scheduler) -> Due {
        requests[Int(q)].pool = Int32(target)
        withStages { $0.charge(q, .retry, at: s.now) }  // failed attempts and backoff before (0 on the first)
        if routing.active || protection.active, let due = faultGate(q, pool: target, &s) { return due }
        let p = Int(requests[Int(q)].pool)
        return withPool(p) { submit(q, $0, p, &s) }
    }

    /// `submit` through pool `p` (`pool`: `pools[p]`, borrowed).
    private func submit(_ q: Int32, _ pool: ServicePool, _ p: Int, _ s: inout Scheduler) -> Due {
        let session = Int(requests[Int(q)].session)
        var chosen: Int?
        if session >= 0, pool.hasSessions, let r = pool.stickyReplica(session, now: s.now) {
            pool.routed(sticky: true)
            chosen = r
        } else {
            chosen = pool.choose(now: s.now, using: &lbRNGs[pool.region])
            pool.routed(sticky: false)
            if let r = chosen, session >= 0, pool.hasSessions { pool.bind(session, to: r, now: s.now) }
        }
        guard let r = chosen else {
            pool.noBackend()
            return fail(q, &s)
        }
        pool.connectionOpened(r)
        requests[Int(q)].replica = Int32(r)
        if pool.replicas[r].state == .dead {
            // Routed to a crashed pod the health checks have not caught yet: no answer.
            s.schedule(after: pool.config.timeout, kind: ComponentID.services.kind(Kind.requestFailed.rawValue), payload: UInt64(q))
            return .none
        }
        enqueue(q, pool, p, r, &s)
        return .none
    }

    /// Request `q` reaches replica `r` of pool `p` (`pool` is `pools[p]`, passed down so the
    /// hot path reads the array once): a free core, or the replica's queue.
    func enqueue(_ q: Int32, _ pool: ServicePool, _ p: Int, _ r: Int, _ s: inout Scheduler) {
        requests[Int(q)].arrived = s.now
        requests[Int(q)].replica = Int32(r)
        if pool.hasFreeCore(r) {
            startCPU(q, pool, p, r, &s)
        } else {
            pool.enqueue(q, on: r, now: s.now)
            if requests[Int(q)].kind.isClientCall {
                // The client's timeout runs while it waits: it gives up (and may retry) at
                // arrival + timeout, not when the replica would have reached it.
                queueTokens &+= 1
                requests[Int(q)].queued = true
                requests[Int(q)].token = queueTokens
                timeouts.append(QueueTimeouts.Wait(request: q, token: queueTokens, deadline: s.now + pool.timeout), pool: p)
                armTimeout(p, &s)
            }
        }
    }

    private func startCPU(_ q: Int32, _ pool: ServicePool, _ p: Int, _ r: Int, _ s: inout Scheduler) {
        withStages { $0.charge(q, .replicaQueue, at: s.now) }
        pool.beginCPU(r, now: s.now)
        let d = cpuDemand(requests[Int(q)], pool)
        s.schedule(after: d, kind: ComponentID.services.kind(Kind.cpuDone.rawValue), target: UInt32(p), payload: UInt64(q))
    }

    private func cpuDone(_ q: Int32, _ s: inout Scheduler) -> Due {
        let p = Int(requests[Int(q)].pool), r = Int(requests[Int(q)].replica)
        return withPool(p) { cpuDone(q, $0, p, r, &s) }
    }

    private func cpuDone(_ q: Int32, _ pool: ServicePool, _ p: Int, _ r: Int, _ s: inout Scheduler) -> Due {
        if pool.replicas[r].state == .dead {
            if requests[Int(q)].abandoned { freeRequests.append(q); return .none }
            return lost(q, s.now, &s)
        }
        pool.endCPU(r, now: s.now)
        while let next = pool.dequeue(r, now: s.now) {
            requests[Int(next)].queued = false
            if requests[Int(next)].abandoned && pool.config.dropAbandoned {
                freeRequests.append(next)
                continue
            }
            startCPU(next, pool, p, r, &s)
            break
        }
        pool.retireIfIdle(r, now: s.now)
        // Served although its client had given up (`drop_abandoned: false`): wasted work.
        if requests[Int(q)].abandoned { wastedCalls += 1; freeRequests.append(q); return .none }
        withStages { $0.charge(q, .cpu, at: s.now) }; requests[Int(q)].stage = 1
        return .stage(q)
    }

    /// A request on a pod that crashed: consumers put their record back (the caller), API
    /// calls time out.
    func lost(_ q: Int32, _ now: SimTime, _ s: inout Scheduler) -> Due {
        let req = requests[Int(q)]
        if req.kind.isConsumer { return .lost(q) }
        let at = max(now, req.arrived + pools[Int(req.pool)].config.timeout)
        s.schedule(at: at, kind: ComponentID.services.kind(Kind.requestFailed.rawValue), payload: UInt64(q))
        return .none
    }

    /// Pool `p`'s timer is due: the earliest call still queued, if its deadline has come,
    /// times out (one per event); then the timer is set for the next.
    private func queueTimeoutDue(pool p: Int, _ s: inout Scheduler) -> Due {
        timeouts.setArmed(p, false)
        var due = Due.none
        if let first = timeouts.firstQueued(pool: p, { [requests] in Self.stillQueued($0, requests) }), first.deadline <= s.now {
            timeouts.removeFirst(pool: p)
            due = queueTimeout(first.request, token: first.token, &s)
        }
        armTimeout(p, &s)
        return due
    }

    /// Sets pool `p`'s timer for its earliest call still queued, unless it is set or none is.
    private func armTimeout(_ p: Int, _ s: inout Scheduler) {
        guard !timeouts.isArmed(p), let first = timeouts.firstQueued(pool: p, { [requests] in Self.stillQueued($0, requests) }) else { return }
        timeouts.setArmed(p, true)
        s.schedule(at: max(s.now, first.deadline), kind: ComponentID.services.kind(Kind.queueTimeout.rawValue), target: UInt32(p))
    }

    /// The wait is the request's current one and its client has not given up.
    @inline(__always)
    private static func stillQueued(_ w: QueueTimeouts.Wait, _ requests: SlotStore<Request>) -> Bool {
        let r = requests[Int(w.request)]
        return r.queued && r.token == w.token && !r.abandoned
    }

    /// A client call still waiting in a replica queue `timeout` after it arrived: the client
    /// gives up now. The queued entry is marked abandoned (the replica drops it when it gets
    /// there) and a copy carries the failure, and the retry if any, on.
    private func queueTimeout(_ q: Int32, token: UInt32, _ s: inout Scheduler) -> Due {
        guard requests[Int(q)].queued, requests[Int(q)].token == token, !requests[Int(q)].abandoned else { return .none }
        requests[Int(q)].abandoned = true
        pools[Int(requests[Int(q)].pool)].timedOut()
        var copy = requests[Int(q)]
        copy.queued = false
        copy.abandoned = false
        return fail(newRequest(copy, carrying: q), &s)
    }

    /// The call failed (timeout, no backend, dead pod): the client retries it through the
    /// balancer after a jittered exponential backoff while it has retries left, else gives up.
    func fail(_ q: Int32, _ s: inout Scheduler) -> Due {
        let req = requests[Int(q)]
        let pool = pools[Int(req.pool)]
        measurements.stages.charge(q, .retry, at: s.now)
        if req.viaBalancer && req.replica >= 0 { pool.requestFailed(on: Int(req.replica), now: s.now) }
        if req.kind.isClientCall && protection.active { protection.outcome(pool: Int(req.pool), failed: true, now: s.now) }
        if req.kind.isClientCall && Int(req.attempt) < pool.config.retries
            && (!protection.active || protection.mayRetry(pool: Int(req.pool), now: s.now)) {
            // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, base·2^k).
            let cap = Double(pool.config.retryBackoff) * Double(1 << Int(req.attempt))
            requests[Int(q)].attempt += 1
            requests[Int(q)].replica = -1
            requests[Int(q)].stage = 0
            pool.retried()
            s.schedule(after: SimTime(retryStreams[pool.region].uniform() * cap), kind: ComponentID.services.kind(Kind.submit.rawValue), payload: UInt64(q))
            return .none
        }
        measurements.failed(kind: req.kind.rawValue, city: Int(req.city))
        return .gaveUp(q)
    }

    /// The answer reaches the client: latency, plus the answer's way back (one one-way trip)
    /// when another region served the call (its way out crossed the channel).
    func finish(_ q: Int32, _ now: SimTime) {
        let req = requests[Int(q)]
        if req.viaBalancer { withPool(Int(req.pool)) { $0.connectionClosed(Int(req.replica), failed: false, now: now) } }
        let c = Int(req.city)
        if protection.active && req.kind.isClientCall { protection.outcome(pool: Int(req.pool), failed: false, now: now) }
        let back = routing.oneWay(city: c, region: poolRegions[Int(req.pool)])
        measurements.answered(kind: req.kind.rawValue, city: c, start: req.start, latency: now - req.start + back, now: now,
                              crossRegion: back > 0)
        withStages { $0.finish(q, kind: req.kind.rawValue, city: c, start: req.start, now: now, trip: back) }
        freeRequests.append(q)
    }

    // MARK: pods

    /// Replica `r` of pool `p` crashed: it leaves (the balancer keeps it until the health
    /// checks say it is down). The caller then drains its queue with `popCrashed`.
    func crash(_ p: Int, _ r: Int, now: SimTime) {
        _ = pools[p].leave(r, now: now, crashed: true)
    }

    /// The next request still queued on crashed replica `r` (requests the client abandoned
    /// are dropped on the way); the caller treats it as `lost`.
    func popCrashed(_ p: Int, _ r: Int, now: SimTime) -> Int32? {
        while let q = pools[p].dequeue(r, now: now) {
            requests[Int(q)].queued = false
            if requests[Int(q)].abandoned { freeRequests.append(q) } else { return q }
        }
        return nil
    }

    /// The consumer group notices a crashed member only when its session times out.
    func scheduleConsumerTimeout(_ p: Int, after timeout: SimTime, _ s: inout Scheduler) {
        s.schedule(after: timeout, kind: ComponentID.services.kind(Kind.consumerTimeout.rawValue), target: UInt32(p))
    }

    func schedulePoll(_ p: Int, _ s: inout Scheduler) {
        if let at = pools[p].nextPoll(now: s.now) {
            s.schedule(at: at, kind: ComponentID.services.kind(Kind.healthPoll.rawValue), target: UInt32(p))
        }
    }
}
