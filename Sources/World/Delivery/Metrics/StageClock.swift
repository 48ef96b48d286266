import SimCore

/// Where each client call's time goes: the stages of every request, kept per request slot
/// while it is in flight and folded, when its answer reaches the client, into a
/// `StageTable` per (endpoint, city).
///
/// A request carries a mark (the time up to which its time is attributed) and one
/// accumulator per stage. Every component that ends a stretch of the request's life charges
/// the stretch since the mark to the stage it was (`charge`), which moves the mark; the
/// answer charges what is left to `other` and adds the failover way back to `cross_region`.
/// The charges telescope, so a request's stages sum to its end-to-end latency exactly
/// (integer nanoseconds): `other` stays 0 while every stretch is charged where it ends.
///
/// Who charges what: `Services` the retries (failed attempts and their backoff), the
/// replica queue and the CPU; `PlatformSimulation+Stages` the caches and Kafka; the
/// database the wait for a shard connection, the wait for a core and the statement's
/// service (`OrdersDatabase`); every cross-region message (`+Regions`) and the database's
/// transaction round trips `cross_region`. There is no balancer queue: the balancer routes
/// at once (and `limit_req nodelay` rejects at once, a failed attempt, so `retry`).
///
/// Records only; called by `Services` and `OrdersDatabase` like `Measurements`, read by the report.
final class StageClock {
    enum Stage: Int, CaseIterable {
        case retry, replicaQueue, cpu, cache, dbConnection, dbQueue, dbService, kafka, crossRegion, other

        var name: String {
            switch self {
            case .retry: "retry"
            case .replicaQueue: "replica_queue"
            case .cpu: "cpu"
            case .cache: "cache"
            case .dbConnection: "db_connection_wait"
            case .dbQueue: "db_queue"
            case .dbService: "db_service"
            case .kafka: "kafka_produce"
            case .crossRegion: "cross_region"
            case .other: "other"
            }
        }
    }

    static let count = Stage.allCases.count
    /// Per slot: the mark, then one accumulator per stage.
    static let stride = count + 1

    /// One answered call as it was attributed (kept only while `recording`, for tests).
    struct Finished: Equatable {
        let kind: UInt8
        let city: Int
        let start: SimTime
        let latency: SimTime
        let stages: [SimTime]
        func time(_ stage: Stage) -> SimTime { stages[stage.rawValue] }
    }

    /// `stride` words per request slot, raw (not an `Array` in a class: every `charge` would
    /// check its uniqueness and retain its buffer; a ping is charged about six times).
    private var slots: UnsafeMutablePointer<SimTime>
    private var slotWords = 0
    private let warmup: SimTime
    /// `city * 5 + kind` for the five client endpoints.
    /// Raw, like `slots`: through an `Array` in this class every answered call checked the
    /// array's uniqueness before writing its table.
    private let table: UnsafeMutablePointer<StageTable>
    private let tableCount: Int
    var tables: [StageTable] { Array(UnsafeBufferPointer(start: table, count: tableCount)) }
    /// Answered calls (counted after the warm-up) that had time no stage claimed.
    private(set) var unattributed = 0
    private(set) var recorded: [Finished]?

    init(cities: Int, warmup: SimTime) {
        self.warmup = warmup
        tableCount = cities * 5
        table = .allocate(capacity: tableCount)
        table.initialize(repeating: StageTable(), count: tableCount)
        slotWords = 64 * StageClock.stride
        slots = HugePages.allocate(SimTime.self, capacity: slotWords)
        slots.initialize(repeating: 0, count: slotWords)
    }

    deinit {
        HugePages.deallocate(slots, capacity: slotWords)
        table.deinitialize(count: tableCount)
        table.deallocate()
    }

    /// Makes room for request slot `q` (zeroed words; doubling).
    @inline(__always) private func reserve(_ q: Int32) {
        let end = (Int(q) + 1) &* StageClock.stride
        if end > slotWords { grow(to: end) }
    }

    private func grow(to end: Int) {
        let words = max(end, 2 * slotWords)
        let bigger = HugePages.allocate(SimTime.self, capacity: words)
        bigger.moveInitialize(from: slots, count: slotWords)
        (bigger + slotWords).initialize(repeating: 0, count: words - slotWords)
        HugePages.deallocate(slots, capacity: slotWords)
        slots = bigger
        slotWords = words
    }

    /// Keeps every answered client call from now on (`recorded`), for tests.
    func startRecording() { recorded = [] }

    /// Request slot `q` starts a request at `t` (its client's start).
    @inline(__always) func begin(_ q: Int32, at t: SimTime) {
        reserve(q)
        let b = slots + Int(q) &* StageClock.stride
        b[0] = t
        for i in 1..<StageClock.stride { b[i] = 0 }
    }

    /// The stretch of request `q` from its mark to `t` was spent in `stage`; the mark moves to
    /// `t` (which may be ahead of now when the stage's end is already known).
    @inline(__always) func charge(_ q: Int32, _ stage: Stage, at t: SimTime) {
        precondition((Int(q) + 1) &* StageClock.stride <= slotWords, "stage slot \(q) never begun")
        let b = slots + Int(q) &* StageClock.stride
        b[1 + stage.rawValue] &+= t &- b[0]
        b[0] = t
    }

    /// A database read of request `q` issued at `now`, answered after `total`: `trip` of it
    /// crossing regions and `wait` waiting for a core, the rest its service.
    @inline(__always) func chargeRead(_ q: Int32, now: SimTime, total: SimTime, trip: SimTime, wait: SimTime) {
        charge(q, .crossRegion, at: now + trip)
        charge(q, .dbQueue, at: now + trip + wait)
        charge(q, .dbService, at: now + total)
    }

    /// Request `q`'s mark and accumulators, to carry them to another region's logical process
    /// with a message (`PlatformSimulation+LP`), and back (`setWords`).
    func words(_ q: Int32) -> [SimTime] {
        reserve(q)
        return Array(UnsafeBufferPointer(start: slots + Int(q) * StageClock.stride, count: StageClock.stride))
    }

    func setWords(_ q: Int32, _ w: [SimTime]) {
        reserve(q)
        for i in 0..<StageClock.stride { slots[Int(q) * StageClock.stride + i] = w[i] }
    }

    /// Request `to` carries on for request `from` (a client's copy after a queue timeout).
    func copy(from: Int32, to: Int32) {
        reserve(max(from, to))
        let a = Int(from) * StageClock.stride, b = Int(to) * StageClock.stride
        for i in 0..<StageClock.stride { slots[b + i] = slots[a + i] }
    }

    /// The answer of request `q` (`kind` < 5: a client endpoint of city `city`, started at
    /// `start`) reached its client at `now` plus `trip` (the failover way back).
    func finish(_ q: Int32, kind: UInt8, city: Int, start: SimTime, now: SimTime, trip: SimTime) {
        guard kind < 5 else { return }
        charge(q, .other, at: now)
        let base = Int(q) * StageClock.stride + 1
        slots[base + Stage.crossRegion.rawValue] += trip
        let latency = now - start + trip
        if recorded != nil {
            recorded?.append(Finished(kind: kind, city: city, start: start, latency: latency,
                                      stages: Array(UnsafeBufferPointer(start: slots + base, count: StageClock.count))))
        }
        guard start >= warmup else { return }
        if slots[base + Stage.other.rawValue] != 0 { unattributed += 1 }
        assert(city >= 0 && city * 5 < tableCount, "stage table of city \(city) out of range")
        table[city * 5 + Int(kind)].record(latency: latency, stages: UnsafeBufferPointer(start: slots + base, count: StageClock.count))
    }
}
