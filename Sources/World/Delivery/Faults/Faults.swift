import Scenario
import SimCore

/// Faults (see README.md in this folder): the `faults:` schedule. Owns the `crashes` random
/// stream, the scheduled crashes and the Poisson crash rates per service, the region outages
/// with their detection (health checks, DNS TTL) and recovery, their events, and the incident
/// timeline (start, detection, mitigation, recovery; failed requests and retries in the
/// window). What a fault does is the others' business: `handle` says what is due and the
/// caller applies it (the pods crash, the routing moves the clients).
final class Faults {
    enum Kind: UInt32 {
        case scheduledCrash, poissonCrash, outageStart, outageDetected, outageEnd, outageRecovered, windowEnd
        /// A shard primary's failure, its detection and the standby's promotion (`Faults+Database`).
        case shardFailed, shardDetected, shardPromoted
        /// A partition between two regions starts and heals (`Faults+Partition`).
        case partitionStart, partitionEnd
        /// Kafka brokers or Redis nodes stop and return.
        case memberLost, memberBack
    }

    /// What one of this component's events leaves for the caller.
    enum Due {
        /// `count` ready replicas of pool `pool` (the lowest ids), or one drawn among them
        /// (`count` nil: call `pick` with the number of ready replicas); `fault` is the
        /// schedule's index of a scheduled crash, -1 for a random one.
        case crash(pool: Int, count: Int?, fault: Int)
        /// Region `region` becomes unreachable (its pods keep running, no client reaches them).
        case outage(fault: Int, region: Int)
        /// The health checks declared `region` out: its clients move to `failover`, each
        /// within `spread` (the DNS TTL; 0 with a global balancer).
        case failover(fault: Int, region: Int, failover: Int, spread: SimTime)
        /// The region is reachable again.
        case restored(fault: Int, region: Int)
        /// The health checks declared it back: clients return within `spread`.
        case failback(fault: Int, region: Int, spread: SimTime)
        /// The end of a crash's incident window (its replacements are ready).
        case windowEnd(fault: Int)
        /// Shard `shard`'s primary failed, was detected, or its standby was promoted.
        case shard(fault: Int, shard: Int, step: ShardStep)
        /// The partition between regions `a` and `b` started (`healed` false) or healed.
        case partition(fault: Int, a: Int, b: Int, healed: Bool)
        /// Kafka brokers or Redis nodes of a region stop (`broker_loss`, `redis_node_loss`: the fault says which).
        case memberLost(fault: Int, PlatformConfig.Fault)
        /// They are back.
        case memberBack(fault: Int, PlatformConfig.Fault)
    }

    /// One scheduled fault's timeline (times in ns; nil when not reached in the run).
    struct Incident {
        var fault: Int
        var kind: String
        /// Where: a pool (`order_service@us_east`) or a region.
        var place: String
        var start: SimTime
        var detected: SimTime?
        var mitigated: SimTime?
        var recovered: SimTime?
        var failedAtStart = 0
        var retriesAtStart = 0
        var failed: Int?
        var retries: Int?
        /// A crash's pool and the replicas that crashed (their health-check removal is its detection).
        var pool = -1
        var replicas: [Int] = []
    }

    private let stream: RandomStream
    private let rates: [Double]
    private let crashes: [PlatformConfig.Crash]
    private let faults: [PlatformConfig.Fault]
    /// The schedule index of each entry of `crashes` (same order).
    private let crashFault: [Int]
    private(set) var incidents: [Incident] = []
    /// Index into `incidents` per schedule index, -1 for none.
    private var incidentOf: [Int]

    init(config: PlatformConfig, seeder: StreamSeeder) {
        stream = seeder.stream("crashes")
        rates = config.crashRates
        crashes = config.crashes
        faults = config.faults
        crashFault = config.faults.indices.filter { config.faults[$0].kind == .replicaCrash && config.faults[$0].rate == 0 && config.faults[$0].at != nil }
        incidentOf = Array(repeating: -1, count: config.faults.count)
    }

    /// Whether the schedule has a region outage (the routing then checks each call).
    var hasOutages: Bool { faults.contains { $0.kind == .regionOutage } }

    /// Whether pods of `service` crash at random (a Poisson rate per ready replica).
    func crashesAtRandom(service: Int) -> Bool { rates[service] > 0 }

    /// Schedules pool `pool`'s next random crash: exponential with rate × ready replicas (at
    /// least one).
    func scheduleRandomCrash(pool: Int, service: Int, ready: Int, _ s: inout Scheduler) {
        let rate = rates[service] * Double(max(1, ready))
        s.schedule(after: SimUnit.fromSeconds(-_log(stream.uniformPositive()) / rate),
                   kind: ComponentID.faults.kind(Kind.poissonCrash.rawValue), target: UInt32(pool))
    }

    /// Schedules the given crashes of the pools that exist; `poolOf` is the pool index per
    /// (region, service), -1 for a region that is down. The crash's schedule index rides in
    /// the payload's high half.
    func scheduleGivenCrashes(poolOf: [[Int]], _ s: inout Scheduler) {
        for (k, c) in crashes.enumerated() {
            let p = poolOf[c.region][c.service]
            if p >= 0 {
                s.schedule(at: c.at, kind: ComponentID.faults.kind(Kind.scheduledCrash.rawValue), target: UInt32(p),
                           payload: UInt64(c.count) | UInt64(crashFault[k]) << 32)
            }
        }
    }

    /// Schedules each region outage's start (after the crashes, so a schedule without
    /// outages has the events it had before outages existed).
    func scheduleOutages(_ s: inout Scheduler) {
        for (i, f) in faults.enumerated() where f.kind == .regionOutage {
            guard let at = f.at else { continue }
            s.schedule(at: at, kind: ComponentID.faults.kind(Kind.outageStart.rawValue), target: UInt32(i))
        }
        for (i, f) in faults.enumerated() where f.kind == .brokerLoss || f.kind == .redisNodeLoss {
            guard let at = f.at else { continue }
            s.schedule(at: at, kind: ComponentID.faults.kind(Kind.memberLost.rawValue), target: UInt32(i))
        }
    }

    /// When health checks `interval` apart, aligned to time 0, have failed (or passed) `fall`
    /// times in a row after a change at `t`: the first probe strictly after `t`, then
    /// `fall - 1` more (Route 53: FailureThreshold consecutive checks; the state flips at the
    /// last of them). The delay lies in ((fall − 1) × interval, fall × interval].
    static func detection(after t: SimTime, interval: SimTime, fall: Int) -> SimTime {
        (t / interval + 1) * interval + SimTime(fall - 1) * interval
    }

    /// One of this component's events: what is due.
    func handle(_ e: Event, _ s: inout Scheduler) -> Due {
        let i = Int(e.target)
        switch Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped {
        case .scheduledCrash:
            return .crash(pool: i, count: Int(e.payload & 0xFFFF_FFFF), fault: Int(e.payload >> 32))
        case .poissonCrash:
            return .crash(pool: i, count: nil, fault: -1)
        case .outageStart:
            let f = faults[i]
            s.schedule(at: Self.detection(after: s.now, interval: f.checkInterval, fall: f.fall),
                       kind: ComponentID.faults.kind(Kind.outageDetected.rawValue), target: UInt32(i))
            if let d = f.duration { s.schedule(after: d, kind: ComponentID.faults.kind(Kind.outageEnd.rawValue), target: UInt32(i)) }
            return .outage(fault: i, region: f.region ?? 0)
        case .outageDetected:
            let f = faults[i]
            return .failover(fault: i, region: f.region ?? 0, failover: f.failover, spread: spread(f))
        case .outageEnd:
            let f = faults[i]
            s.schedule(at: Self.detection(after: s.now, interval: f.checkInterval, fall: f.fall),
                       kind: ComponentID.faults.kind(Kind.outageRecovered.rawValue), target: UInt32(i))
            return .restored(fault: i, region: f.region ?? 0)
        case .outageRecovered:
            let f = faults[i]
            return .failback(fault: i, region: f.region ?? 0, spread: spread(f))
        case .windowEnd:
            return .windowEnd(fault: i)
        case .shardFailed, .shardDetected, .shardPromoted:
            return Self.shardStep(Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped, fault: i, faults[i], &s)
        case .partitionStart, .partitionEnd:
            let f = faults[i]
            return .partition(fault: i, a: f.region ?? 0, b: f.peer, healed: e.kind & 0xFF == Kind.partitionEnd.rawValue)
        case .memberLost:
            if let d = faults[i].duration { s.schedule(after: d, kind: ComponentID.faults.kind(Kind.memberBack.rawValue), target: UInt32(i)) }
            return .memberLost(fault: i, faults[i])
        case .memberBack:
            return .memberBack(fault: i, faults[i])
        }
    }

    /// How long clients take to follow a change once the checks see it.
    private func spread(_ f: PlatformConfig.Fault) -> SimTime { f.detection == .dns ? f.dnsTTL : 0 }

    /// The random crash's victim among `ready` ready replicas (an index into them).
    func pick(among ready: Int) -> Int { stream.integer(below: ready) }

    /// Schedules the end of fault `i`'s incident window at `t` (a crash: its replacements ready).
    func scheduleWindowEnd(_ i: Int, at t: SimTime, _ s: inout Scheduler) {
        s.schedule(at: t, kind: ComponentID.faults.kind(Kind.windowEnd.rawValue), target: UInt32(i))
    }

    // MARK: the incident timeline

    /// Fault `i` started at `now`, where `place` says; `failed` and `retries` are the run's
    /// totals so far (the window's are the difference at its end).
    func begin(_ i: Int, place: String, now: SimTime, failed: Int, retries: Int) {
        incidentOf[i] = incidents.count
        incidents.append(Incident(fault: i, kind: faults[i].kind.rawValue, place: place, start: now, failedAtStart: failed, retriesAtStart: retries))
    }

    func noteCrashed(_ i: Int, pool: Int, replicas: [Int]) {
        if incidentOf[i] >= 0 { incidents[incidentOf[i]].pool = pool; incidents[incidentOf[i]].replicas = replicas }
    }

    func detected(_ i: Int, at t: SimTime) { if incidentOf[i] >= 0 { incidents[incidentOf[i]].detected = t } }
    func mitigated(_ i: Int, at t: SimTime) { if incidentOf[i] >= 0 { incidents[incidentOf[i]].mitigated = t } }

    /// Fault `i` is over at `now` (traffic back, replacements ready): the window's totals.
    func recovered(_ i: Int, at now: SimTime, failed: Int, retries: Int) {
        guard incidentOf[i] >= 0 else { return }
        let k = incidentOf[i]
        incidents[k].recovered = now
        incidents[k].failed = failed - incidents[k].failedAtStart
        incidents[k].retries = retries - incidents[k].retriesAtStart
    }

    /// The run ends: windows still open close here (their recovery stays unknown).
    func close(failed: Int, retries: Int) {
        for k in incidents.indices where incidents[k].failed == nil {
            incidents[k].failed = failed - incidents[k].failedAtStart
            incidents[k].retries = retries - incidents[k].retriesAtStart
        }
    }
}
