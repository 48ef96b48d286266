import DequeModule
import Platform
import Scenario
import SimCore

/// One service's replicas in one region: each replica a c-core FIFO queue, behind a
/// Platform load balancer with active health checks; its replica count is set by the
/// `Autoscaler` component.
///
/// Replica ids are never reused (a new pod gets a new id), so an event naming a replica
/// always means the pod it was scheduled for.
final class ServicePool {
    let service: Int
    let region: Int
    let name: String
    let config: PlatformConfig.Service
    private let cpuStreams: [RandomStream]
    /// Non-owning handles of `cpuStreams` and copies of hot config values, so a CPU draw
    /// retains nothing.
    private let cpuHandles: [RandomHandle]
    private let cpu: [Distribution]
    /// Per request type, its CPU draws computed ahead by a waiting thread (`drawAhead`); empty
    /// when nothing is computed ahead.
    private var cpuAhead: [PrefetchedDraws.Handle] = []
    private var cpuAheadBuffers: [PrefetchedDraws] = []
    let cores: Int
    let timeout: SimTime
    private(set) var replicas: [Replica] = []
    /// The Deployment's replica count (what the HPA sets).
    private(set) var desired: Int
    private let balancer: any LoadBalancer
    private let health: HealthChecker
    private(set) var pollAt: SimTime = -1
    /// Live pods (starting or ready), for the replicas gauge.
    private(set) var live = 0
    private(set) var ready = 0
    private(set) var replicasGauge: TimeWeightedGauge
    private(set) var minLive: Int
    // CPU of the pool: busy cores and capacity (ready + terminating cores) integrals.
    private(set) var busyCores = 0
    private(set) var capacityCores = 0
    private(set) var busyIntegral: Double = 0
    private(set) var capacityIntegral: Double = 0
    private var lastChange: SimTime = 0
    private var busyAtSample: Double = 0
    private var capacityAtSample: Double = 0
    /// Requests waiting in replica queues (all replicas), its integral, and the integral at
    /// the last sample and at the end of the warm-up.
    private(set) var queued = 0
    private(set) var maxQueued = 0
    private(set) var queuedIntegral: Double = 0
    private var queuedAtSample: Double = 0
    private(set) var queuedAtWarmup: Double = 0
    private(set) var warmupAt: SimTime = 0
    private(set) var busyAtWarmup: Double = 0
    private(set) var capacityAtWarmup: Double = 0

    /// Mean CPU utilisation since the end of the warm-up.
    var meanUtilisation: Double {
        let cap = capacityIntegral - capacityAtWarmup
        return cap > 0 ? (busyIntegral - busyAtWarmup) / cap : 0
    }
    private var queueSeries: TimeSeries
    /// Per report interval; bounded (intervals merge when the run outgrows them).
    private var cpuSeries: TimeSeries
    /// Pods (starting or ready) and ready pods, set at every change: their per-interval
    /// mean, max and min chart what a one-instant sample missed (a crash and its replacement).
    private var podSeries: GaugeSeries
    private var readySeries: GaugeSeries
    let seriesInterval: SimTime
    private(set) var cpuMax = 0.0
    // Sticky sessions (cookie → replica id and its expiry); empty when off.
    private var sessions = SessionTable()
    private(set) var stickyRouted = 0
    private(set) var balancerRouted = 0
    private(set) var retries = 0
    private(set) var crashes = 0
    private(set) var timeouts = 0
    private(set) var failed = 0

    init(service: Int, region: Int, regionName: String, config: PlatformConfig.Service, balancer: any LoadBalancer,
         health: HealthChecker, seeder: StreamSeeder, series: SimTime, levelSeries: SimTime? = nil) {
        self.service = service
        self.region = region
        self.name = PlatformConfig.serviceNames[service] + "@" + regionName
        self.config = config
        cpuStreams = PlatformConfig.requestTypes[service].map { seeder.stream("cpu.\(PlatformConfig.serviceNames[service]).\($0).\(regionName)") }
        cpuHandles = cpuStreams.map(\.handle)
        cpu = config.cpu
        cores = config.cores
        timeout = config.timeout
        desired = config.initial
        self.balancer = balancer
        self.health = health
        replicasGauge = TimeWeightedGauge(initial: 0, at: 0)
        seriesInterval = max(1, series)
        cpuSeries = TimeSeries(interval: seriesInterval)
        podSeries = GaugeSeries(interval: max(1, levelSeries ?? series))
        readySeries = GaugeSeries(interval: max(1, levelSeries ?? series))
        queueSeries = TimeSeries(interval: seriesInterval)
        minLive = config.initial
    }

    // The balancer through the pool: `balancer` is a let of a guaranteed `self` here, so a
    // call does not retain it, as it does when the simulation reads `pool.balancer`.
    @inline(__always) func choose<R: RandomNumberGenerator>(now: SimTime, using rng: inout R) -> Int? {
        balancer.choose(now: now, keyHash: 0, using: &rng)
    }
    @inline(__always) func connectionOpened(_ r: Int) { balancer.connectionOpened(r) }
    @inline(__always) func connectionClosed(_ r: Int, failed: Bool, now: SimTime) {
        balancer.connectionClosed(r, failed: failed, now: now)
    }

    /// One CPU demand of request type `type`.
    @inline(__always) func drawCPU(_ type: Int) -> SimTime {
        if !cpuAhead.isEmpty { return cpuAhead[type].next() }
        return cpu[type].sampleTime(cpuHandles[type])
    }

    /// From now on each request type's CPU draws come through a ring `prefetcher` fills (the
    /// same draws: each `cpu.<service>.<type>.<region>` stream is drawn only here).
    func drawAhead(_ prefetcher: DrawPrefetcher) {
        cpuAheadBuffers = cpu.indices.map { [cpu, cpuHandles] type in
            let law = cpu[type], handle = cpuHandles[type]
            return prefetcher.buffer { law.sampleTime(handle) }
        }
        cpuAhead = cpuAheadBuffers.map(\.handle)
    }

    /// A request joins or leaves a replica queue (`delta` ±1).
    @inline(__always) func queueChanged(_ delta: Int, _ now: SimTime) {
        advance(now)
        queued += delta
        if queued > maxQueued { maxQueued = queued }
    }

    /// Integrates the pool's busy and capacity cores and its queue up to `now`.
    func advance(_ now: SimTime) {
        let dt = Double(now - lastChange)
        if dt > 0 {
            busyIntegral += Double(busyCores) * dt
            capacityIntegral += Double(capacityCores) * dt
            queuedIntegral += Double(queued) * dt
            lastChange = now
        }
    }

    func advanceReplica(_ r: Int, _ now: SimTime) {
        let dt = Double(now - replicas[r].lastChange)
        if dt > 0 {
            replicas[r].busyIntegral += Double(replicas[r].busy) * dt
            replicas[r].lastChange = now
        }
    }

    /// Adds a pod that runs at `startedAt` and is ready at `readyAt`.
    func addPod(now: SimTime, startedAt: SimTime, readyAt: SimTime) -> Int {
        replicas.append(Replica(state: .starting, startedAt: startedAt, readyAt: readyAt, lastChange: now, syncedAt: now))
        live += 1
        replicasGauge.set(Double(live), at: now)
        podSeries.set(Double(live), at: now)
        return replicas.count - 1
    }

    /// The pod passed its readiness probe: into the balancer and the health checker.
    func markReady(_ r: Int, now: SimTime) {
        guard replicas[r].state == .starting else { return }
        advance(now)
        replicas[r].state = .ready
        replicas[r].lastChange = now
        replicas[r].syncedAt = now
        replicas[r].integralAtSync = replicas[r].busyIntegral
        capacityCores += config.cores
        ready += 1
        readySeries.set(Double(ready), at: now)
        balancer.addBackend(r, BackendConfig())
        replicas[r].inBalancer = true
        health.addBackend(r, now: now, firstProbeAt: now + health.config.interval)
    }

    /// A pod leaves (scale-down or crash). Returns whether it was ready.
    func leave(_ r: Int, now: SimTime, crashed: Bool) -> Bool {
        let wasReady = replicas[r].state == .ready
        advance(now)
        advanceReplica(r, now)
        if replicas[r].state == .starting || wasReady {
            live -= 1
            replicasGauge.set(Double(live), at: now)
            podSeries.set(Double(live), at: now)
            minLive = min(minLive, live)
        }
        if wasReady { ready -= 1; readySeries.set(Double(ready), at: now) }
        if crashed {
            if wasReady { capacityCores -= config.cores }
            busyCores -= replicas[r].busy
            replicas[r].busy = 0
            replicas[r].state = .dead
            replicas[r].crashedAt = now
            crashes += 1
            // The balancer keeps it until the health checker says it is down.
        } else {
            replicas[r].state = .terminating
            if replicas[r].inBalancer { balancer.removeBackend(r); replicas[r].inBalancer = false }
            if replicas[r].busy == 0 && replicas[r].queue.isEmpty {
                if wasReady { capacityCores -= config.cores }
                replicas[r].readyAt = -1
            } else if !wasReady {
                replicas[r].readyAt = -1
            }
            health.removeBackend(r)
        }
        return wasReady
    }

    /// A terminating pod with no work left stops counting as capacity.
    func retireIfIdle(_ r: Int, now: SimTime) {
        if replicas[r].state == .terminating && replicas[r].busy == 0 && replicas[r].queue.isEmpty && replicas[r].readyAt >= 0 {
            advance(now)
            capacityCores -= config.cores
            replicas[r].readyAt = -1  // marks "retired"
        }
    }

    /// What the HPA controller sees: every pod that is not terminating or dead.
    func hpaPods(now: SimTime, into pods: inout [HPAPod]) {
        pods.removeAll(keepingCapacity: true)
        let request = Int64(config.cores) * 1000
        for r in replicas.indices {
            switch replicas[r].state {
            case .starting:
                if replicas[r].startedAt > now {
                    pods.append(HPAPod(phase: .pending, startTime: nil, readyCondition: nil, request: request, metric: nil))
                } else {
                    pods.append(.running(request: request, usage: nil, startedAt: replicas[r].startedAt, readySince: nil,
                                         metricTimestamp: now, metricWindow: 15 * SimUnit.second))
                }
            case .ready:
                advanceReplica(r, now)
                let window = now - replicas[r].syncedAt
                let used = replicas[r].busyIntegral - replicas[r].integralAtSync
                let usage: Int64? = window > 0 ? Int64((used / Double(window) * 1000).rounded()) : nil
                replicas[r].integralAtSync = replicas[r].busyIntegral
                replicas[r].syncedAt = now
                pods.append(.running(request: request, usage: usage, startedAt: replicas[r].startedAt, readySince: replicas[r].readyAt,
                                     metricTimestamp: now, metricWindow: window))
            case .terminating, .dead:
                continue
            }
        }
    }

    /// Records the interval that ends at `now` in the CPU and queue series.
    func sample(_ now: SimTime) {
        advance(now)
        let busy = busyIntegral - busyAtSample, cap = capacityIntegral - capacityAtSample
        busyAtSample = busyIntegral
        capacityAtSample = capacityIntegral
        let cpu = cap > 0 ? busy / cap : 0
        cpuMax = max(cpuMax, cpu)
        cpuSeries.record(cpu, at: now - seriesInterval)
        queueSeries.record((queuedIntegral - queuedAtSample) / Double(seriesInterval), at: now - seriesInterval)
        queuedAtSample = queuedIntegral
    }

    func enableSessions(count: Int, ttl: SimTime) { sessions = SessionTable(count: count, ttl: ttl) }

    @inline(__always) var hasSessions: Bool { !sessions.isEmpty }
    @inline(__always) func prefetchSession(_ session: Int) { sessions.prefetch(session) }

    /// NGINX's passive check as the balancer is configured (`BackendConfig()`: max_fails=1,
    /// fail_timeout=10s): a replica that failed a request is unavailable for 10 s.
    static let failTimeout = SimTime(BackendConfig().failTimeoutSeconds) * SimUnit.second

    /// The replica of a live session cookie, if that replica is still available (in the
    /// balancer, not taken down by the health checks, no failure within fail_timeout): NGINX
    /// `sticky cookie` picks it without consulting the balancing policy, and falls back to the
    /// policy (re-issuing the cookie) when it is unavailable. The lifetime restarts on use.
    @inline(__always)
    func stickyReplica(_ session: Int, now: SimTime) -> Int? {
        guard let r = sessions.live(session, now: now), replicas[r].inBalancer, !replicas[r].markedDown,
              replicas[r].failedAt < now - Self.failTimeout else { return nil }
        sessions.touch(session, now: now)
        return r
    }

    /// The balancer chose `replica` for `session`: (re)issue the cookie.
    @inline(__always) func bind(_ session: Int, to replica: Int, now: SimTime) { sessions.bind(session, to: replica, now: now) }

    // MARK: transitions the services component applies (one method each)

    /// A request went to its session's replica (`sticky`) or where the balancer chose.
    @inline(__always) func routed(sticky: Bool) { if sticky { stickyRouted += 1 } else { balancerRouted += 1 } }
    func noBackend() { failed += 1 }
    func retried() { retries += 1 }
    func timedOut() { timeouts += 1 }
    func setDesired(_ n: Int) { desired = n }
    func setCacheSlot(_ r: Int, _ slot: Int) { replicas[r].cacheSlot = slot }
    @inline(__always) func hasFreeCore(_ r: Int) -> Bool { replicas[r].busy < cores }

    /// Request `q` joins replica `r`'s queue.
    @inline(__always) func enqueue(_ q: Int32, on r: Int, now: SimTime) {
        replicas[r].queue.append(q)
        queueChanged(1, now)
    }

    /// The head of replica `r`'s queue leaves it.
    @inline(__always) func dequeue(_ r: Int, now: SimTime) -> Int32? {
        guard let q = replicas[r].queue.popFirst() else { return nil }
        queueChanged(-1, now)
        return q
    }

    /// A core of replica `r` starts (`beginCPU`) or ends (`endCPU`) a request's CPU.
    @inline(__always) func beginCPU(_ r: Int, now: SimTime) {
        advance(now)
        advanceReplica(r, now)
        replicas[r].busy += 1
        busyCores += 1
    }

    @inline(__always) func endCPU(_ r: Int, now: SimTime) {
        advance(now)
        advanceReplica(r, now)
        replicas[r].busy -= 1
        busyCores -= 1
    }

    /// A request through the balancer to replica `r` failed: its connection closes as failed
    /// (the balancer's passive check) and the replica's last failure is now.
    func requestFailed(on r: Int, now: SimTime) {
        connectionClosed(r, failed: true, now: now)
        replicas[r].failedAt = now
    }

    /// The end of the warm-up: the report's means start here.
    func warmupEnded(_ now: SimTime) {
        replicasGauge.reset(at: now)
        advance(now)
        queuedAtWarmup = queuedIntegral
        busyAtWarmup = busyIntegral
        capacityAtWarmup = capacityIntegral
        warmupAt = now
    }

    // MARK: health checks

    /// When the next health-check poll is due, if it is earlier than the one pending (then it
    /// becomes the pending one); nil when no new poll event is needed.
    func nextPoll(now: SimTime) -> SimTime? {
        guard let t = health.nextEventTime() else { return nil }
        let at = max(t, now)
        guard pollAt < 0 || at < pollAt else { return nil }
        pollAt = at
        return at
    }

    /// Whether the poll event at `t` is the pending one (a later-scheduled earlier poll
    /// supersedes it); if so it is no longer pending.
    func pollDue(at t: SimTime) -> Bool {
        guard t == pollAt else { return false }
        pollAt = -1
        return true
    }

    /// Runs the health checker's due probes: a live pod answers /health at once, a crashed one
    /// never; a pod that turns unhealthy leaves rotation (a crashed one leaves the balancer).
    func poll(now: SimTime, probes: inout [HealthProbe], transitions: inout [HealthTransition]) {
        probes.removeAll(keepingCapacity: true)
        transitions.removeAll(keepingCapacity: true)
        health.poll(now: now, probes: &probes, transitions: &transitions)
        for probe in probes where replicas[probe.backend].state != .dead {
            if let tr = health.report(probe, .success, now: now) { transitions.append(tr) }
        }
        for tr in transitions {
            let r = tr.backend
            replicas[r].setMarkedDown(!tr.healthy, now: now)
            if !tr.healthy {
                balancer.setDown(r, true)
                if replicas[r].state == .dead {
                    if replicas[r].inBalancer { balancer.removeBackend(r); replicas[r].inBalancer = false }
                    health.removeBackend(r)
                }
            } else {
                balancer.setDown(r, false)
            }
        }
    }

    // MARK: report

    /// The pool's part of the report: replicas, CPU, timeouts, crashes, scale events, retries,
    /// queue length, sticky share, and their series, closed at `now`.
    func report(into m: inout RunMetrics, at now: SimTime, scaleEvents: Int) {
        advance(now)
        m.gauge("\(name).replicas", mean: replicasGauge.mean(until: now), max: replicasGauge.max, unit: "replicas")
        m.counter("\(name).replicas.min", Double(minLive))
        m.gauge("\(name).cpu", mean: meanUtilisation, max: cpuMax, unit: "ratio")
        m.counter("\(name).timeouts", Double(timeouts))
        m.counter("\(name).crashes", Double(crashes))
        m.counter("\(name).scale_events", Double(scaleEvents))
        m.counter("\(name).retries", Double(retries))
        m.gauge("\(name).queue_length", mean: now > warmupAt ? (queuedIntegral - queuedAtWarmup) / Double(now - warmupAt) : 0,
                max: Double(maxQueued), unit: "requests")
        if hasSessions {
            let routed = stickyRouted + balancerRouted
            m.counter("\(name).sticky_share", routed == 0 ? 0 : Double(stickyRouted) / Double(routed))
        }
        MetricsFormat.addLevels(&m, "\(name).replicas", unit: "replicas", &podSeries, at: now, extreme: "max")
        MetricsFormat.addLevels(&m, "\(name).replicas.ready", unit: "replicas", &readySeries, at: now, extreme: "min")
        MetricsFormat.addSeries(&m, "\(name).cpu", unit: "ratio", cpuSeries)
        MetricsFormat.addSeries(&m, "\(name).queue_length", unit: "requests", queueSeries)
    }
}
