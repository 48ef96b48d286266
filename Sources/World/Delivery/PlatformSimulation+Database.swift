import Platform
import SimCore

/// The orders database: writes on the primary's hash shards (connection-limited), status
/// updates, and reads on the region's read replica with replication lag (stale reads) or,
/// without replicas, on the primary across regions.
///
/// Rows are routed by `PostgresHashPartitioning` (hash of order_id, MODULUS `shards`) and by
/// `MonthlyRangePartitioning` (created_at); a status read names the order, so it touches one
/// hash partition of one month; a history query filters on created_at only, so it prunes
/// the months but scans every hash partition.
extension PlatformSimulation {
    @inline(__always) func shard(ofOrder id: Int) -> Int {
        sharding.partition(forInt8: Int64(id)) ?? 0
    }

    /// Takes one of the shard's connections on the primary (FIFO wait when all are busy) and
    /// holds it for `write_latency`; `dbDone` follows.
    func beginWrite(_ q: Int32, shard: Int, _ s: inout Scheduler) {
        shards[shard].writes += 1
        requests[Int(q)].arrived = s.now
        if shards[shard].busy < config.connectionsPerShard {
            shards[shard].busy += 1
            s.schedule(after: config.writeLatency.sampleTime(dbStream), kind: Kind.dbDone.rawValue, target: UInt32(shard), payload: UInt64(q))
        } else {
            shards[shard].waited += 1
            shards[shard].queue.append(q)
            shards[shard].maxQueue = max(shards[shard].maxQueue, shards[shard].queue.count)
        }
    }

    /// The write committed on the primary: the next queued write takes the connection; the
    /// row reaches the replicas after a drawn lag; the writer hears back after the round trip.
    func dbDone(shard: Int, _ q: Int32, _ s: inout Scheduler) {
        if let next = shards[shard].queue.popFirst() {
            s.schedule(after: config.writeLatency.sampleTime(dbStream), kind: Kind.dbDone.rawValue, target: UInt32(shard), payload: UInt64(next))
        } else {
            shards[shard].busy -= 1
        }
        let req = requests[Int(q)]
        let region = poolRegions[Int(req.pool)]
        var back: SimTime = 0
        if region != config.primaryRegion {
            crossRegionWrites += 1
            back = config.regions[region].rtt[config.primaryRegion]
        }
        if req.start >= warmup { dbWrite.record(s.now - req.arrived + back) }
        requests[Int(q)].visibleAt = s.now + (config.readReplicas > 0 ? config.replicationLag.sampleTime(lagStream) : 0)
        requests[Int(q)].stage = 2
        s.schedule(after: back, kind: Kind.stage.rawValue, payload: UInt64(q))
    }

    /// A status change of order `o` (courier assigned, picked up, delivered): an UPDATE on its
    /// shard, written from the region serving the order's city.
    func writeStatus(_ o: Int, _ s: inout Scheduler) {
        let c = Int(orders[o].city)
        statusWrites += 1
        let q = newRequest(Request(kind: .statusWrite, stage: 1, city: Int32(c), pool: Int32(servingPool(c, 0)),
                                   viaBalancer: false, start: s.now, subject: orders[o].id, session: orders[o].customerID))
        beginWrite(q, shard: shard(ofOrder: orders[o].id), &s)
    }

    /// The customer's app reads order `orderID` at `time` (GET /orders/{id} on order_service).
    func scheduleStatusRead(city c: Int, customer: Int32, orderID: Int, visibleAt: SimTime, at time: SimTime, _ s: inout Scheduler) {
        guard config.statusReads else { return }
        let q = newRequest(Request(kind: .orderStatus, city: Int32(c), pool: Int32(servingPool(c, 0)), start: time,
                                   subject: orderID, session: customer, visibleAt: visibleAt))
        s.schedule(at: time, kind: Kind.submitRequest.rawValue, payload: UInt64(q))
    }

    /// One-way trip from `region` to the primary region (half the round trip).
    @inline(__always) func oneWayToPrimary(_ region: Int) -> SimTime {
        region == config.primaryRegion ? 0 : config.regions[region].rtt[config.primaryRegion] / 2
    }

    /// A single-partition read from `region`: the local replica, or the primary across regions.
    func readTime(from region: Int, _ stream: RandomStream, counted: Bool) -> SimTime {
        let t = config.readLatency.sampleTime(stream)
        if config.readReplicas > 0 { return t }
        if region != config.primaryRegion && counted { crossRegionReads += 1 }
        return t + 2 * oneWayToPrimary(region)
    }

    /// The status read's database time; counts it stale when the region's replica has not yet
    /// applied the write the app was told about.
    func statusRead(_ q: Int32, region: Int, _ now: SimTime) -> SimTime {
        let req = requests[Int(q)]
        if req.start >= warmup {
            statusReads += 1
            // A replica in another region receives the WAL one one-way trip after the primary's.
            if config.readReplicas > 0 && now < req.visibleAt + oneWayToPrimary(region) { staleReads += 1 }
        }
        return readTime(from: region, dbStream, counted: req.start >= warmup)
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
        for _ in 0..<shards.count {
            var t: SimTime = 0
            for _ in 0..<monthsTouched { t += config.readLatency.sampleTime(dbStream) }
            slowest = max(slowest, t)
        }
        if config.readReplicas > 0 { return slowest }
        if region != config.primaryRegion && counted { crossRegionReads += 1 }
        return slowest + 2 * oneWayToPrimary(region)
    }
}
