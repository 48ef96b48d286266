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
    enum State: UInt8 { case starting, ready, terminating, dead }

    struct Replica {
        var state: State
        /// When the container runs (`HPAPod.startTime`).
        var startedAt: SimTime
        var readyAt: SimTime
        var busy = 0
        var queue = Deque<Int32>()
        /// Integral of busy cores over time (core-nanoseconds), up to `lastChange`.
        var busyIntegral: Double = 0
        var lastChange: SimTime
        /// `busyIntegral` at the previous HPA sync.
        var integralAtSync: Double = 0
        var syncedAt: SimTime
        /// L1 replica slot in the region's cache hierarchy (order_service), or -1.
        var cacheSlot: Int = -1
        var inBalancer = false
        /// Taken out of rotation by the health checks (the balancer's `down`).
        var markedDown = false
        /// Last failed request (passive check), or `SimTime.min`.
        var failedAt = SimTime.min
        /// When the pod crashed (`SimTime.min` if it has not).
        var crashedAt = SimTime.min
    }

    let service: Int
    let region: Int
    let name: String
    let config: PlatformConfig.Service
    let cpuStreams: [RandomStream]
    /// Non-owning handles of `cpuStreams` and copies of hot config values, so a CPU draw
    /// retains nothing.
    let cpuHandles: [RandomHandle]
    let cpu: [Distribution]
    let cores: Int
    let timeout: SimTime
    var replicas: [Replica] = []
    /// The Deployment's replica count (what the HPA sets).
    var desired: Int
    let balancer: any LoadBalancer
    let health: HealthChecker
    var pollAt: SimTime = -1
    /// Live pods (starting or ready), for the replicas gauge.
    var live = 0
    var ready = 0
    var replicasGauge: TimeWeightedGauge
    var minLive: Int
    // CPU of the pool: busy cores and capacity (ready + terminating cores) integrals.
    var busyCores = 0
    var capacityCores = 0
    var busyIntegral: Double = 0
    var capacityIntegral: Double = 0
    var lastChange: SimTime = 0
    var busyAtSample: Double = 0
    var capacityAtSample: Double = 0
    /// Requests waiting in replica queues (all replicas), its integral, and the integral at
    /// the last sample and at the end of the warm-up.
    var queued = 0
    var maxQueued = 0
    var queuedIntegral: Double = 0
    var queuedAtSample: Double = 0
    var queuedAtWarmup: Double = 0
    var warmupAt: SimTime = 0
    var busyAtWarmup: Double = 0
    var capacityAtWarmup: Double = 0

    /// Mean CPU utilisation since the end of the warm-up.
    var meanUtilisation: Double {
        let cap = capacityIntegral - capacityAtWarmup
        return cap > 0 ? (busyIntegral - busyAtWarmup) / cap : 0
    }
    var queueSeries: TimeSeries
    /// Per report interval; bounded (intervals merge when the run outgrows them).
    var cpuSeries: TimeSeries
    /// Pods (starting or ready) and ready pods, set at every change: their per-interval
    /// mean, max and min chart what a one-instant sample missed (a crash and its replacement).
    var podSeries: GaugeSeries
    var readySeries: GaugeSeries
    let seriesInterval: SimTime
    var cpuMax = 0.0
    // Sticky sessions (cookie → replica id and its expiry); empty when off.
    var sessionReplica: [Int32] = []
    var sessionExpiry: [SimTime] = []
    var sessionTTL: SimTime = 0
    var stickyRouted = 0
    var balancerRouted = 0
    var retries = 0
    var crashes = 0
    var timeouts = 0
    var failed = 0

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
        cpu[type].sampleTime(cpuHandles[type])
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

    func enableSessions(count: Int, ttl: SimTime) {
        sessionReplica = Array(repeating: -1, count: count)
        sessionExpiry = Array(repeating: 0, count: count)
        sessionTTL = ttl
    }

    /// NGINX's passive check as the balancer is configured (`BackendConfig()`: max_fails=1,
    /// fail_timeout=10s): a replica that failed a request is unavailable for 10 s.
    static let failTimeout = SimTime(BackendConfig().failTimeoutSeconds) * SimUnit.second

    /// The replica of a live session cookie, if that replica is still available (in the
    /// balancer, not taken down by the health checks, no failure within fail_timeout): NGINX
    /// `sticky cookie` picks it without consulting the balancing policy, and falls back to the
    /// policy (re-issuing the cookie) when it is unavailable. The lifetime restarts on use.
    @inline(__always)
    func stickyReplica(_ session: Int, now: SimTime) -> Int? {
        guard session < sessionReplica.count else { return nil }
        let r = Int(sessionReplica[session])
        guard r >= 0, now < sessionExpiry[session], replicas[r].inBalancer, !replicas[r].markedDown,
              replicas[r].failedAt < now - Self.failTimeout else { return nil }
        sessionExpiry[session] = now + sessionTTL
        return r
    }

    /// The balancer chose `replica` for `session`: (re)issue the cookie.
    @inline(__always)
    func bind(_ session: Int, to replica: Int, now: SimTime) {
        guard session < sessionReplica.count else { return }
        sessionReplica[session] = Int32(replica)
        sessionExpiry[session] = now + sessionTTL
    }
}
