import DequeModule
import Platform
import Scenario
import SimCore

/// The orders database (see README.md in this folder): writes on the primary's hash shards
/// (connection-limited), replication lag to the read replicas, status reads (stale or not),
/// history queries with partition pruning, and its counters. Owns the shards, the `db.<region>`
/// and `replication.<primary>` random streams and the write-done events.
///
/// Rows are routed by `PostgresHashPartitioning` (hash of order_id, MODULUS `shards`) and by
/// `MonthlyRangePartitioning` (created_at); a status read names the order, so it touches one
/// hash partition of one month; a history query filters on created_at only, so it prunes
/// the months but scans every hash partition.
///
/// A write is named by an opaque token (the caller's request slot): the database queues and
/// returns it, it never reads the request.
final class OrdersDatabase {
    enum Kind: UInt32 { case writeDone }

    struct Shard {
        var busy = 0
        var queue = Deque<Int32>()
        var writes = 0
        var waited = 0
        var maxQueue = 0
    }

    private var shards: [Shard]
    private let sharding: PostgresHashPartitioning
    private let months: MonthlyRangePartitioning
    private var monthWrites: [Int: Int] = [:]
    /// `db.<region>` per region (the work's region: writes on the primary, reads on the replica
    /// that serves them) and `replication.<primary>` (the primary ships the WAL).
    private let streams: [RandomStream]
    private let lagStream: RandomStream
    private let config: PlatformConfig
    private let warmup: SimTime

    private(set) var crossRegionWrites = 0
    /// Reads sent to the primary from another region (no read replicas).
    private(set) var crossRegionReads = 0
    private(set) var statusWrites = 0
    private var statusReads = 0
    private var staleReads = 0
    private var historyQueries = 0
    private var historyPartitions = 0
    /// Connection wait + write + the round trip to the primary, per write after the warm-up.
    private(set) var writeLatency = LatencyHistogram()

    init(config: PlatformConfig, seeder: StreamSeeder, warmup: SimTime) {
        self.config = config
        self.warmup = warmup
        sharding = PostgresHashPartitioning.uniform(count: config.shards)
        months = MonthlyRangePartitioning(epoch: CivilDate(year: config.epoch.year, month: config.epoch.month, day: config.epoch.day))
        shards = Array(repeating: Shard(), count: config.shards)
        streams = config.regions.map { seeder.stream("db.\($0.name)") }
        lagStream = seeder.stream("replication.\(config.regions[config.primaryRegion].name)")
    }

    @inline(__always) func shard(ofOrder id: Int) -> Int {
        sharding.partition(forInt8: Int64(id)) ?? 0
    }

    /// An INSERT of a new order: counts its month partition, then writes like any row.
    func insert(_ token: Int32, orderID: Int, _ s: inout Scheduler) {
        if config.monthlyPartitions { monthWrites[months.monthOrdinal(at: s.now), default: 0] += 1 }
        beginWrite(token, shard: shard(ofOrder: orderID), &s)
    }

    /// A status UPDATE of order `orderID` (courier assigned, picked up, delivered).
    func updateStatus(_ token: Int32, orderID: Int, _ s: inout Scheduler) {
        beginWrite(token, shard: shard(ofOrder: orderID), &s)
    }

    /// The caller is about to write a status change (counted when the request is made).
    func countStatusWrite() { statusWrites += 1 }

    /// Takes one of the shard's connections on the primary (FIFO wait when all are busy) and
    /// holds it for `write_latency`; a `writeDone` event follows.
    private func beginWrite(_ token: Int32, shard: Int, _ s: inout Scheduler) {
        shards[shard].writes += 1
        if shards[shard].busy < config.connectionsPerShard {
            shards[shard].busy += 1
            s.schedule(after: config.writeLatency.sampleTime(streams[config.primaryRegion]), kind: ComponentID.database.kind(Kind.writeDone.rawValue),
                       target: UInt32(shard), payload: UInt64(token))
        } else {
            shards[shard].waited += 1
            shards[shard].queue.append(token)
            shards[shard].maxQueue = max(shards[shard].maxQueue, shards[shard].queue.count)
        }
    }

    /// One of this component's events: a write committed on the primary; the next queued
    /// write takes the connection. Returns the committed write's token.
    func handle(_ e: Event, _ s: inout Scheduler) -> Int32 {
        switch Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped {
        case .writeDone:
            let shard = Int(e.target)
            if let next = shards[shard].queue.popFirst() {
                s.schedule(after: config.writeLatency.sampleTime(streams[config.primaryRegion]), kind: ComponentID.database.kind(Kind.writeDone.rawValue),
                           target: UInt32(shard), payload: UInt64(next))
            } else {
                shards[shard].busy -= 1
            }
            return Int32(truncatingIfNeeded: e.payload)
        }
    }

    /// The committed write's answer back to a writer in `region`: the round trip when it is
    /// not the primary's (counted as a cross-region write).
    func answerTrip(to region: Int) -> SimTime {
        guard region != config.primaryRegion else { return 0 }
        crossRegionWrites += 1
        return config.regions[region].rtt[config.primaryRegion]
    }

    /// Records a write's latency (started at or after the warm-up).
    func recordWrite(_ latency: SimTime) { writeLatency.record(latency) }

    /// When a row committed at `now` is applied on the primary region's replica (a drawn
    /// `replication_lag`; at once without replicas).
    func visibleOnReplica(committedAt now: SimTime) -> SimTime {
        now + (config.readReplicas > 0 ? config.replicationLag.sampleTime(lagStream) : 0)
    }

    /// One-way trip from `region` to the primary region (half the round trip).
    @inline(__always) func oneWayToPrimary(_ region: Int) -> SimTime {
        region == config.primaryRegion ? 0 : config.regions[region].rtt[config.primaryRegion] / 2
    }

    /// A single-partition read from `region`: the local replica, or the primary across regions.
    func readTime(from region: Int, counted: Bool) -> SimTime {
        let t = config.readLatency.sampleTime(streams[config.readReplicas > 0 ? region : config.primaryRegion])
        if config.readReplicas > 0 { return t }
        if region != config.primaryRegion && counted { crossRegionReads += 1 }
        return t + 2 * oneWayToPrimary(region)
    }

    /// A status read's database time; counts it stale when the region's replica has not yet
    /// applied the write the app was told about (`visibleAt`). `counted`: after the warm-up.
    func statusRead(region: Int, visibleAt: SimTime, now: SimTime, counted: Bool) -> SimTime {
        if counted {
            statusReads += 1
            // A replica in another region receives the WAL one one-way trip after the primary's.
            if config.readReplicas > 0 && now < visibleAt + oneWayToPrimary(region) { staleReads += 1 }
        }
        return readTime(from: region, counted: counted)
    }

    /// Order history over `history_range`: the month partitions the range overlaps
    /// (`MonthlyRangePartitioning` pruning) in every hash shard; shards are scanned in
    /// parallel, a shard's month partitions one after another (PostgreSQL's Append).
    func historyQuery(region: Int, _ now: SimTime, counted: Bool) -> SimTime {
        let monthsTouched = config.monthlyPartitions
            ? months.monthOrdinal(at: now) - months.monthOrdinal(at: now - config.historyRange) + 1 : 1
        if counted {
            historyQueries += 1
            historyPartitions += monthsTouched * shards.count
        }
        var slowest: SimTime = 0
        let stream = streams[config.readReplicas > 0 ? region : config.primaryRegion]
        for _ in 0..<shards.count {
            var t: SimTime = 0
            for _ in 0..<monthsTouched { t += config.readLatency.sampleTime(stream) }
            slowest = max(slowest, t)
        }
        if config.readReplicas > 0 { return slowest }
        if region != config.primaryRegion && counted { crossRegionReads += 1 }
        return slowest + 2 * oneWayToPrimary(region)
    }
}

// MARK: metrics

extension OrdersDatabase {
    /// Writes per shard: the mean and the busiest (the skew finding compares them).
    var shardWrites: (mean: Double, max: Double) {
        let writes = shards.map(\.writes)
        return (Double(writes.reduce(0, +)) / Double(max(1, writes.count)), Double(writes.max() ?? 0))
    }

    func report(into m: inout RunMetrics) {
        let (meanWrites, maxWrites) = shardWrites
        m.counter("db.shard.writes.max", maxWrites)
        m.counter("db.shard.writes.mean", meanWrites)
        m.counter("db.shard.skew", meanWrites > 0 ? maxWrites / meanWrites : 0)
        m.counter("db.connection_waits", Double(shards.reduce(0) { $0 + $1.waited }))
        m.counter("db.time_partitions_touched", Double(monthWrites.count))
        for (i, s) in shards.enumerated() { m.counter("db.shard.\(i).writes", Double(s.writes)) }
        m.counter("db.status_writes", Double(statusWrites))
        m.counter("db.status_reads", Double(statusReads))
        m.counter("db.stale_reads", Double(staleReads))
        m.counter("db.stale_read_ratio", statusReads == 0 ? 0 : Double(staleReads) / Double(statusReads))
        m.counter("db.history_queries", Double(historyQueries))
        m.counter("db.partitions_per_history_query", historyQueries == 0 ? 0 : Double(historyPartitions) / Double(historyQueries))
    }

    func findShardSkew(_ m: inout RunMetrics) {
        let (meanWrites, maxWrites) = shardWrites
        if meanWrites > 0, maxWrites / meanWrites > 1.2 {
            m.findings.append(("info", "shard_skew", "the busiest of \(shards.count) shards took \(Int(maxWrites)) writes, \(MetricsFormat.fmt(maxWrites / meanWrites))× the mean \(MetricsFormat.fmt(meanWrites))"))
        }
    }

    func findConnectionWaits(_ m: inout RunMetrics) {
        let waits = shards.reduce(0) { $0 + $1.waited }
        if waits > 0 {
            m.findings.append(("warning", "connection_limit_exceeded",
                               "\(waits) writes waited for one of the \(config.connectionsPerShard) connections of their shard (longest queue \(shards.map(\.maxQueue).max() ?? 0))"))
        }
    }

    func findStaleReads(_ m: inout RunMetrics) {
        if staleReads > 0 {
            let ratio = Double(staleReads) / Double(max(1, statusReads))
            m.findings.append((ratio > 0.01 ? "warning" : "info", "stale_reads",
                               "\(staleReads) of \(statusReads) order reads (\(MetricsFormat.fmt(100 * ratio))%) found the replica behind the write the app had been told about (read \(MetricsFormat.ms(SimUnit.seconds(config.statusReadDelay))) after the change, replication lag mean \(MetricsFormat.ms(MetricsFormat.meanOf(config.replicationLag))))"))
        }
    }

    func findHistoryFanOut(_ m: inout RunMetrics) {
        if historyQueries > 0 {
            let per = Double(historyPartitions) / Double(historyQueries)
            if per > Double(shards.count) {
                m.findings.append(("info", "history_fan_out",
                                   "each order-history query scanned \(MetricsFormat.fmt(per)) partitions on average (\(MetricsFormat.fmt(per / Double(shards.count))) months × \(shards.count) hash shards): created_at prunes months, but hashing by order_id cannot prune shards for a per-customer query"))
            }
        }
    }
}
