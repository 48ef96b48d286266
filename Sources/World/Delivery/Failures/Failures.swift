import Scenario
import SimCore

/// Failures (see README.md in this folder): when pods crash. Owns the `crashes` random stream,
/// the crash schedule of `failures.crashes` and the Poisson crash rates per service, and their
/// events. What a crash does (the pod leaves, its requests are lost, the ReplicaSet replaces
/// it) is the pods' business: `handle` says which crash is due and the caller applies it.
final class Failures {
    enum Kind: UInt32 { case scheduledCrash, poissonCrash }

    /// A due crash: `count` ready replicas of pool `pool` (the lowest ids), or one drawn among
    /// them (`count` nil: call `pick` with the number of ready replicas).
    struct Due {
        var pool: Int
        var count: Int?
    }

    private let stream: RandomStream
    private let rates: [Double]
    private let crashes: [PlatformConfig.Crash]

    init(config: PlatformConfig, seeder: StreamSeeder) {
        stream = seeder.stream("crashes")
        rates = config.crashRates
        crashes = config.crashes
    }

    /// Whether pods of `service` crash at random (a Poisson rate per ready replica).
    func crashesAtRandom(service: Int) -> Bool { rates[service] > 0 }

    /// Schedules pool `pool`'s next random crash: exponential with rate × ready replicas (at
    /// least one).
    func scheduleRandomCrash(pool: Int, service: Int, ready: Int, _ s: inout Scheduler) {
        let rate = rates[service] * Double(max(1, ready))
        s.schedule(after: SimUnit.fromSeconds(-_log(stream.uniformPositive()) / rate),
                   kind: ComponentID.failures.kind(Kind.poissonCrash.rawValue), target: UInt32(pool))
    }

    /// Schedules the given crashes (`failures.crashes`) of the pools that exist; `poolOf` is
    /// the pool index per (region, service), -1 for a region that is down.
    func scheduleGivenCrashes(poolOf: [[Int]], _ s: inout Scheduler) {
        for c in crashes {
            let p = poolOf[c.region][c.service]
            if p >= 0 {
                s.schedule(at: c.at, kind: ComponentID.failures.kind(Kind.scheduledCrash.rawValue), target: UInt32(p), payload: UInt64(c.count))
            }
        }
    }

    /// One of this component's events: the crash that is due.
    @inline(__always) func handle(_ e: Event) -> Due {
        switch Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped {
        case .scheduledCrash: Due(pool: Int(e.target), count: Int(e.payload))
        case .poissonCrash: Due(pool: Int(e.target), count: nil)
        }
    }

    /// The random crash's victim among `ready` ready replicas (an index into them).
    func pick(among ready: Int) -> Int { stream.integer(below: ready) }
}
