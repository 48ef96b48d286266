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
    private(set) var shards: [Shard]
    private let sharding: PostgresHashPartitioning
    private let months: MonthlyRangePartitioning
    private(set) var monthWrites: [Int: Int] = [:]
    /// `db.<region>` per region (the work's region: writes on the primary, reads on the replica
    /// that serves them) and `replication.<primary>` (the primary ships the WAL).
    private let streams: [RandomStream]
    private let lagStream: RandomStream
    let config: PlatformConfig
    let warmup: SimTime
    /// Connections held through the transaction's round trips and/or shard CPU (`database.cpu`
    /// or `database.round_trips` set); otherwise the model before them, byte for byte.
    let transactional: Bool
    /// Each shard primary's cores, and each read replica's (region, shard, replica), when `cpu` is set.
    private(set) var primaries: [DatabaseServer]
    private(set) var replicas: [DatabaseServer] = []
    private var replicaTurn: [Int] = []
    /// The shard of each order id (1-based ids, never reused) when the shard key is not the
    /// order id: the shard is carried in the id (Instagram's sharded IDs), so a read by id finds it.
    private var orderShard: [UInt16] = []
    /// Writes that waited for a connection (queued at or after the warm-up) and their total wait.
    private(set) var connectionWaits = 0
    private(set) var connectionWaitTotal: SimTime = 0
    private(set) var connectionHolds = 0

    private(set) var crossRegionWrites = 0
    /// Reads sent to the primary from another region (no read replicas).
    private(set) var crossRegionReads = 0
    private(set) var statusWrites = 0
    private(set) var statusReads = 0
    private(set) var staleReads = 0
    private(set) var historyQueries = 0
    private(set) var historyPartitions = 0
    /// Connection wait + write + the round trip to the primary, per write after the warm-up.
    private(set) var writeLatency = LatencyHistogram()
    /// Shard primary failures (`ShardFailover`), their index per shard (-1: none), the `failover`
    /// (standbys' lags) and, with `replication: sync`, `standby.<primary>` (apply per commit)
    /// streams; for the caller, a failover whose stopped writes are all made (-1: none) and the
    /// writes that failed for want of a primary (`writes: fail`).
    private(set) var failovers: [ShardFailover] = []
    private var failoverOf: [Int]
    private let failoverStream: RandomStream?, standbyStream: RandomStream?
    private(set) var recoveredFailover = -1
    private(set) var failedWrites: [Int32] = []
    /// Where a write's time goes: the database charges its token's connection wait, round
    /// trips, core wait and service (`StageClock`); set by the simulation.
    var stages: StageClock?
    /// The last read's cross-region trip and wait for a core (the rest of its time is service).
    private(set) var lastRead: (trip: SimTime, wait: SimTime) = (0, 0)

    init(config: PlatformConfig, seeder: StreamSeeder, warmup: SimTime) {
        self.config = config
        self.warmup = warmup
        sharding = PostgresHashPartitioning.uniform(count: config.shards)
        months = MonthlyRangePartitioning(epoch: CivilDate(year: config.epoch.year, month: config.epoch.month, day: config.epoch.day))
        shards = Array(repeating: Shard(), count: config.shards)
        streams = config.regions.map { seeder.stream("db.\($0.name)") }
        lagStream = seeder.stream("replication.\(config.regions[config.primaryRegion].name)")
        transactional = config.databaseCPU != nil || config.transactionRoundTrips != nil
        primaries = Array(repeating: DatabaseServer(cores: config.databaseCPU?.cores), count: config.shards)
        failoverOf = Array(repeating: -1, count: config.shards)
        for (i, f) in config.faults.enumerated() where f.kind == .dbPrimaryFailure && f.shard < config.shards && failoverOf[f.shard] < 0 {
            failoverOf[f.shard] = failovers.count
            failovers.append(ShardFailover(fault: i, shard: f.shard, failWrites: f.failWrites))
        }
        failoverStream = failovers.isEmpty ? nil : seeder.stream("failover")
        standbyStream = config.syncReplication ? seeder.stream("standby.\(config.regions[config.primaryRegion].name)") : nil
        if let cpu = config.databaseCPU, config.readReplicas > 0 {
            let n = config.regions.count * config.shards
            replicas = Array(repeating: DatabaseServer(cores: cpu.replicaCores), count: n * config.readReplicas)
            replicaTurn = Array(repeating: 0, count: n)
        }
    }

    @inline(__always) func shard(ofOrder id: Int) -> Int {
        if config.shardKey != .orderID, id > 0, id <= orderShard.count { return Int(orderShard[id - 1]) }
        return sharding.partition(forInt8: Int64(id)) ?? 0
    }

    @inline(__always) func shard(ofKey key: Int) -> Int { sharding.partition(forInt8: Int64(key)) ?? 0 }

    /// An INSERT of a new order from a writer in `region`: counts its month partition, places
    /// the row by the shard key, then writes like any row.
    func insert(_ token: Int32, orderID: Int, customer: Int, restaurant: Int, region: Int, _ s: inout Scheduler) {
        if config.monthlyPartitions { monthWrites[months.monthOrdinal(at: s.now), default: 0] += 1 }
        var target = shard(ofKey: orderID)
        if config.shardKey != .orderID {
            target = shard(ofKey: config.shardKey == .customer ? customer : restaurant)
            while orderShard.count < orderID { orderShard.append(0) }
            orderShard[orderID - 1] = UInt16(target)
        }
        beginWrite(Pending(token: token, update: false, region: region, queuedAt: s.now), shard: target, &s)
    }

    /// A status UPDATE of order `orderID` (courier assigned, picked up, delivered) from `region`.
    func updateStatus(_ token: Int32, orderID: Int, region: Int, _ s: inout Scheduler) {
        beginWrite(Pending(token: token, update: true, region: region, queuedAt: s.now), shard: shard(ofOrder: orderID), &s)
    }

    /// The caller is about to write a status change (counted when the request is made).
    func countStatusWrite() { statusWrites += 1 }

    /// Takes one of the shard's connections (FIFO wait when all are busy). Without `cpu` and
    /// `round_trips` it is held for `write_latency` on the primary and a `writeDone` follows;
    /// otherwise through the transaction (`+Transactions`).
    private func beginWrite(_ w: Pending, shard: Int, _ s: inout Scheduler) {
        if !failovers.isEmpty && held(w, shard: shard) { return }
        shards[shard].writes += 1
        if shards[shard].busy < config.connectionsPerShard {
            shards[shard].busy += 1
            stages?.charge(w.token, .dbConnection, at: s.now)
            if transactional {
                startTransaction(w, shard: shard, &s)
            } else {
                s.schedule(after: config.writeLatency.sampleTime(streams[config.primaryRegion]) + syncWait(), kind: ComponentID.database.kind(Kind.writeDone.rawValue),
                           target: UInt32(shard), payload: UInt64(UInt32(bitPattern: w.token)))
            }
        } else {
            shards[shard].waited += 1
            shards[shard].queue.append(w)
            shards[shard].maxQueue = max(shards[shard].maxQueue, shards[shard].queue.count)
        }
    }

    /// One of this component's events. Returns the committed write's token, or -1 when the
    /// event commits nothing (a statement reaching its shard, a connection coming back).
    func handle(_ e: Event, _ s: inout Scheduler) -> Int32 {
        let shard = Int(e.target)
        switch Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped {
        case .writeDone:
            if let next = shards[shard].queue.popFirst() {
                stages?.charge(next.token, .dbConnection, at: s.now)
                s.schedule(after: config.writeLatency.sampleTime(streams[config.primaryRegion]) + syncWait(), kind: ComponentID.database.kind(Kind.writeDone.rawValue),
                           target: UInt32(shard), payload: UInt64(UInt32(bitPattern: next.token)))
            } else {
                shards[shard].busy -= 1
            }
            let token = Int32(truncatingIfNeeded: e.payload)
            if !failovers.isEmpty { return commitOrHold(token, shard: shard, update: false, region: config.primaryRegion, now: s.now) }
            return token
        case .atShard:
            let update = e.payload >> 32 & 1 == 1
            if !failovers.isEmpty && isDown(shard) {  // the statement reached a dead primary
                _ = commitOrHold(Int32(truncatingIfNeeded: e.payload), shard: shard, update: update, region: Int(e.payload >> 40), now: s.now)
                releaseConnection(shard, &s)
                return -1
            }
            let cpu = config.databaseCPU
            let service = (update ? cpu?.update : cpu?.insert)?.sampleTime(streams[config.primaryRegion]) ?? config.writeLatency.sampleTime(streams[config.primaryRegion])
            let standby = syncWait()
            let done = primaries[shard].serve(now: s.now, service: service, counted: s.now >= warmup) + standby
            if let stages {
                let token = Int32(truncatingIfNeeded: e.payload)
                stages.charge(token, .crossRegion, at: s.now)  // the transaction's round trips
                stages.charge(token, .dbQueue, at: done - standby - service)
                stages.charge(token, .dbService, at: done)      // with sync replication: and the standby's apply
            }
            s.schedule(at: done, kind: ComponentID.database.kind(Kind.committed.rawValue), target: e.target, payload: e.payload)
            return -1
        case .committed:
            let token = Int32(truncatingIfNeeded: e.payload)
            if !failovers.isEmpty && isDown(shard) {
                _ = commitOrHold(token, shard: shard, update: e.payload >> 32 & 1 == 1, region: Int(e.payload >> 40), now: s.now)
                releaseConnection(shard, &s)
                return -1
            }
            let back = oneWayToPrimary(Int(e.payload >> 40))
            if back == 0 {
                releaseConnection(shard, &s)
            } else {
                s.schedule(after: back, kind: ComponentID.database.kind(Kind.released.rawValue), target: e.target)
            }
            if !failovers.isEmpty { return commitOrHold(token, shard: shard, update: false, region: 0, now: s.now) }
            return token
        case .released:
            releaseConnection(shard, &s)
            return -1
        }
    }

    /// The committed write's answer back to a writer in `region`: the round trip when it is
    /// not the primary's (counted as a cross-region write); with transactions, the way back
    /// only (the way there was paid before the commit).
    func answerTrip(to region: Int) -> SimTime {
        guard region != config.primaryRegion else { return 0 }
        crossRegionWrites += 1
        return transactional ? oneWayToPrimary(region) : config.regions[region].rtt[config.primaryRegion]
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
        lastRead = (trip: config.readReplicas > 0 ? 0 : 2 * oneWayToPrimary(region), wait: 0)
        if config.readReplicas > 0 { return t }
        if region != config.primaryRegion && counted { crossRegionReads += 1 }
        return t + 2 * oneWayToPrimary(region)
    }

    /// A menu load (cache L3) of restaurant `key` from `region`: `readTime` without `cpu`;
    /// with it, a keyed read queued on the cores of a replica of the key's shard.
    func menuRead(from region: Int, key: Int, now: SimTime, counted: Bool) -> SimTime {
        guard let cpu = config.databaseCPU else { return readTime(from: region, counted: counted) }
        return serveRead(from: region, shard: shard(ofKey: key), service: cpu.keyedRead.sampleTime(streams[config.readReplicas > 0 ? region : config.primaryRegion]), now: now, counted: counted)
    }

    /// A read of one shard on its cores: the region's next replica of the shard (round robin),
    /// or the primary (after the one-way trip, and back) without replicas. Returns the
    /// time until the answer. The primary's FIFO is fed at the read's arrival there, which a
    /// cross-region read reaches half a round trip after it is computed (an approximation:
    /// the queue is exact only for reads computed in arrival order).
    private func serveRead(from region: Int, shard: Int, service: SimTime, now: SimTime, counted: Bool, countTrip: Bool = true) -> SimTime {
        if config.readReplicas > 0 {
            let rs = region * config.shards + shard
            let k = rs * config.readReplicas + replicaTurn[rs]
            replicaTurn[rs] = (replicaTurn[rs] + 1) % config.readReplicas
            let done = replicas[k].serve(now: now, service: service, counted: counted)
            lastRead = (trip: 0, wait: done - service - now)
            return done - now
        }
        if region != config.primaryRegion && counted && countTrip { crossRegionReads += 1 }
        let trip = oneWayToPrimary(region)
        let done = primaries[shard].serve(now: now + trip, service: service, counted: counted)
        lastRead = (trip: 2 * trip, wait: done - service - now - trip)
        return done + trip - now
    }

    /// A status read's database time; counts it stale when the region's replica has not yet
    /// applied the write the app was told about (`visibleAt`). `counted`: after the warm-up.
    func statusRead(region: Int, orderID: Int, visibleAt: SimTime, now: SimTime, counted: Bool) -> SimTime {
        if counted {
            statusReads += 1
            // A replica in another region receives the WAL one one-way trip after the primary's.
            if config.readReplicas > 0 && now < visibleAt + oneWayToPrimary(region) { staleReads += 1 }
        }
        guard let cpu = config.databaseCPU else { return readTime(from: region, counted: counted) }
        return serveRead(from: region, shard: shard(ofOrder: orderID), service: cpu.keyedRead.sampleTime(streams[config.readReplicas > 0 ? region : config.primaryRegion]), now: now, counted: counted)
    }

    /// Order history over `history_range`: the month partitions the range overlaps
    /// (`MonthlyRangePartitioning` pruning) in every hash shard, or only the customer's shard
    /// when customers are the shard key; shards are scanned in parallel, a shard's month
    /// partitions one after another (PostgreSQL's Append, one backend on one core).
    func historyQuery(region: Int, customer: Int, _ now: SimTime, counted: Bool) -> SimTime {
        let monthsTouched = config.monthlyPartitions
            ? months.monthOrdinal(at: now) - months.monthOrdinal(at: now - config.historyRange) + 1 : 1
        let pruned = config.shardKey == .customer
        let shardsTouched = pruned ? 1 : shards.count
        if counted {
            historyQueries += 1
            historyPartitions += monthsTouched * shardsTouched
        }
        var slowest: SimTime = 0, slowestSplit: (trip: SimTime, wait: SimTime) = (0, 0)
        let stream = streams[config.readReplicas > 0 ? region : config.primaryRegion]
        for i in 0..<shardsTouched {
            var t: SimTime = 0
            if let cpu = config.databaseCPU {
                for _ in 0..<monthsTouched { t += cpu.rangeScan.sampleTime(stream) }
                let done = serveRead(from: region, shard: pruned ? shard(ofKey: customer) : i, service: t, now: now, counted: counted, countTrip: i == 0)
                if done > slowest || i == 0 { slowest = done; slowestSplit = lastRead }
            } else {
                for _ in 0..<monthsTouched { t += config.readLatency.sampleTime(stream) }
                slowest = max(slowest, t)
            }
        }
        lastRead = config.databaseCPU != nil ? slowestSplit : (trip: config.readReplicas > 0 ? 0 : 2 * oneWayToPrimary(region), wait: 0)
        if config.databaseCPU != nil { return slowest }
        if config.readReplicas > 0 { return slowest }
        if region != config.primaryRegion && counted { crossRegionReads += 1 }
        return slowest + 2 * oneWayToPrimary(region)
    }

    // MARK: transactions (`cpu` or `round_trips` set)

    /// The write holds its connection from here to its answer: its `round_trips` round trips
    /// to the primary (none from the primary region), the last statement's wait for a core and
    /// its service there. The statement reaches the shard half a round trip before the end of
    /// the last trip; the work of the earlier statements (BEGIN, ...) is not charged.
    private func startTransaction(_ w: Pending, shard: Int, _ s: inout Scheduler) {
        stages?.charge(w.token, .dbConnection, at: s.now)
        if w.queuedAt >= warmup {
            connectionHolds += 1
            if s.now > w.queuedAt {
                connectionWaits += 1
                connectionWaitTotal += s.now - w.queuedAt
            }
        }
        let trip = oneWayToPrimary(w.region)
        let n = SimTime(config.transactionRoundTrips ?? 1)
        let payload = UInt64(UInt32(bitPattern: w.token)) | (w.update ? 1 << 32 : 0) | UInt64(w.region) << 40
        s.schedule(after: (n - 1) * 2 * trip + trip, kind: ComponentID.database.kind(Kind.atShard.rawValue),
                   target: UInt32(shard), payload: payload)
    }

    // MARK: a shard primary's failure (`ShardFailover`)

    /// With `replication: sync`, the synchronous standby's apply time a commit waits for.
    @inline(__always) private func syncWait() -> SimTime { standbyStream.map { config.replicationLag.sampleTime($0) } ?? 0 }
    @inline(__always) private func isDown(_ shard: Int) -> Bool { failoverOf[shard] >= 0 && failovers[failoverOf[shard]].isDown }

    /// A new write to a shard without primary is stopped (counted as a write once it is made).
    private func held(_ w: Pending, shard: Int) -> Bool {
        guard isDown(shard) else { return false }
        if !failovers[failoverOf[shard]].hold(w) { failedWrites.append(w.token) }
        return true
    }

    /// A write that was to commit now: on a dead primary it did not (its client reconnects
    /// and writes it again on the new primary: held, its count taken back); else it commits.
    private func commitOrHold(_ token: Int32, shard: Int, update: Bool, region: Int, now: SimTime) -> Int32 {
        let k = failoverOf[shard]
        guard k >= 0 else { return token }
        if failovers[k].isDown {
            shards[shard].writes -= 1
            if !failovers[k].hold(Pending(token: token, update: update, region: region, queuedAt: now)) { failedWrites.append(token) }
            return -1
        }
        failovers[k].committed(token, now: now)
        if failovers[k].recoveredAt == now && failovers[k].promotedAt != now { recoveredFailover = k }
        return token
    }

    /// Shard `shard`'s primary is lost now: the writes queued for its connections are stopped.
    func primaryFailed(shard: Int, now: SimTime) {
        let k = failoverOf[shard]
        guard k >= 0 else { return }
        failovers[k].fail(at: now)
        while let w = shards[shard].queue.popFirst() {
            shards[shard].writes -= 1
            if !failovers[k].hold(w) { failedWrites.append(w.token) }
        }
    }

    /// The most caught-up eligible standby of shard `shard` becomes its primary now (lags drawn
    /// from `failover`); the stopped writes are made on it, in order. Returns the failover.
    @discardableResult
    func standbyPromoted(shard: Int, _ s: inout Scheduler) -> Int {
        let k = failoverOf[shard]
        guard k >= 0, let stream = failoverStream else { return -1 }
        var lags = (0..<max(1, config.readReplicas)).map { _ in config.replicationLag.sampleTime(stream) }
        if config.syncReplication { lags[0] = 0 }  // the synchronous standby has every acknowledged commit
        for w in failovers[k].promote(at: s.now, lags: lags, sync: config.syncReplication) {
            beginWrite(Pending(token: w.token, update: w.update, region: w.region, queuedAt: s.now), shard: shard, &s)
        }
        return k
    }

    /// Something for the caller after a database call (`takeFailoverDue`, which clears it):
    /// the writes that failed, in order (the caller fails their requests), a recovered failover.
    var failoverDue: Bool { recoveredFailover >= 0 || !failedWrites.isEmpty }
    func takeFailoverDue() -> (failed: [Int32], recovered: Int) {
        defer { failedWrites.removeAll(keepingCapacity: true); recoveredFailover = -1 }
        return (failedWrites, recoveredFailover)
    }

    /// The answer reached the writer: the next queued write takes the connection.
    private func releaseConnection(_ shard: Int, _ s: inout Scheduler) {
        if let next = shards[shard].queue.popFirst() {
            startTransaction(next, shard: shard, &s)
        } else {
            shards[shard].busy -= 1
        }
    }
}
