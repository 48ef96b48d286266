import SimCore

/// One region's logical process of a parallel run (`parallel_regions`, Regions/README.md):
/// a `PlatformSimulation` instance active only for `region` (its pools, topics, demand,
/// couriers, matching, and the HPA sync of its own pools; the primary's instance also owns
/// the shards). What crosses to another region leaves through `outbox`.
final class RegionLP {
    let region: Int
    /// Messages to other LPs since the last window, in send order (`LookaheadWindows`).
    var outbox: [(to: Int, message: RegionMessage)] = []
    /// Messages taken into this LP's scheduler, waiting for their delivery time (the event's
    /// payload is the slot).
    private var inbox: [RegionMessage?] = []
    private var freeInbox: [Int] = []
    /// On the primary: a proxy request slot per write from another region, and the write.
    private var proxies: [Int32: RegionMessage] = [:]
    /// Every message as delivered (while recording, for tests).
    private(set) var deliveries: [CrossRegionChannel.Delivery]?

    init(region: Int) { self.region = region }

    func startRecording() { deliveries = [] }

    func park(_ m: RegionMessage) -> Int {
        if let i = freeInbox.popLast() { inbox[i] = m; return i }
        inbox.append(m)
        return inbox.count - 1
    }

    func take(_ i: Int, at now: SimTime) -> RegionMessage {
        let m = inbox[i].unsafelyUnwrapped
        inbox[i] = nil
        freeInbox.append(i)
        deliveries?.append(.init(kind: m.kind, token: m.token, from: Int(m.from), to: Int(m.to), sentAt: m.sentAt, deliveredAt: now))
        return m
    }

    @inline(__always) func isProxy(_ q: Int32) -> Bool { !proxies.isEmpty && proxies[q] != nil }
    func addProxy(_ q: Int32, _ m: RegionMessage) { proxies[q] = m }
    func takeProxy(_ q: Int32) -> RegionMessage { proxies.removeValue(forKey: q).unsafelyUnwrapped }
}

extension PlatformSimulation {
    /// This instance runs region `r` (always, without `parallel_regions`).
    @inline(__always) func owns(_ r: Int) -> Bool { regionLP.map { $0.region == r } ?? true }

    /// This LP's hottest draws (its pools' CPU demands, its acks=all latencies) from now on
    /// computed ahead by threads waiting at the window barrier (`DrawPrefetcher`): the same
    /// draws in the same order, so no result changes.
    func drawAhead(_ prefetcher: DrawPrefetcher) {
        for pool in services.pools where owns(pool.region) { pool.drawAhead(prefetcher) }
        for r in config.regions.indices where owns(r) { kafka.drawAhead(region: r, prefetcher) }
    }

    /// `Services.poolIndex` with other regions' pools as -1 (not this LP's to crash).
    var ownPools: [[Int]] {
        services.poolIndex.enumerated().map { r, pools in owns(r) ? pools : pools.map { _ in -1 } }
    }

    /// Request `q`'s write from region `w` (not the primary's) leaves for the primary's LP with
    /// its row and its stage clock.
    func postWrite(_ q: Int32, from w: Int, _ s: inout Scheduler) {
        let req = services.request(q), primary = config.primaryRegion
        var m = RegionMessage(kind: .write, from: Int32(w), to: Int32(primary), sentAt: s.now,
                              deliverAt: channel.post(.write, from: w, to: primary, sentAt: s.now), token: q)
        m.placeOrder = req.kind == .placeOrder
        m.orderID = req.subject
        if m.placeOrder {
            let o = orders[Int(req.order)]
            m.customer = Int(o.customerID)
            m.restaurant = Int(o.restaurant)
        }
        m.city = req.city
        m.pool = req.pool
        m.start = req.start
        m.stageWords = stages.words(q)
        regionLP.unsafelyUnwrapped.outbox.append((primary, m))
    }

    /// On the primary: proxy write `q` committed. As `writeCommitted`, with the answer carrying
    /// the replica visibility and the stage clock back to the writer's LP.
    func answerProxy(_ q: Int32, _ s: inout Scheduler) {
        let lp = regionLP.unsafelyUnwrapped
        var m = lp.takeProxy(q)
        let w = Int(m.from), primary = config.primaryRegion
        stages.charge(q, .dbService, at: s.now)
        _ = database.answerTrip(to: w)
        if m.start >= warmup { database.recordWrite(s.now - m.sentAt + channel.oneWay(primary, w)) }
        m.visibleAt = database.visibleOnReplica(committedAt: s.now)
        m.kind = .answer
        m.from = Int32(primary)
        m.to = Int32(w)
        m.sentAt = s.now
        m.deliverAt = channel.post(.answer, from: primary, to: w, sentAt: s.now)
        m.stage = 2
        m.stageWords = stages.words(q)
        services.release(q)
        lp.outbox.append((w, m))
    }

    /// A message from another LP enters this LP's scheduler at its delivery time.
    func receive(_ m: RegionMessage, _ s: inout Scheduler) {
        let slot = regionLP.unsafelyUnwrapped.park(m)
        s.schedule(at: m.deliverAt, kind: ComponentID.regions.kind(m.kind.rawValue), payload: UInt64(slot),
                   lp: LogicalProcess.region(Int(m.to)))
    }

    /// A message from another LP is due: as `delivered`, on this instance's own slots.
    func deliveredFromLP(_ e: Event, _ s: inout Scheduler) {
        let m = regionLP.unsafelyUnwrapped.take(Int(e.payload), at: s.now)
        switch m.kind {
        case .write:
            let q = services.newRequest(Request(kind: m.placeOrder ? .placeOrder : .statusWrite, city: m.city, pool: m.pool,
                                                viaBalancer: false, start: m.start, subject: m.orderID))
            stages.setWords(q, m.stageWords)
            stages.charge(q, .crossRegion, at: s.now)
            services.setArrived(q, m.sentAt)
            regionLP.unsafelyUnwrapped.addProxy(q, m)
            if m.placeOrder {
                database.insert(q, orderID: m.orderID, customer: m.customer, restaurant: m.restaurant, region: Int(m.from), &s)
            } else {
                database.updateStatus(q, orderID: m.orderID, region: Int(m.from), &s)
            }
            if database.failoverDue { shardFailoverDue(&s) }
        case .answer:
            stages.setWords(m.token, m.stageWords)
            stages.charge(m.token, .crossRegion, at: s.now)
            services.setVisible(m.token, at: m.visibleAt)
            services.setStage(m.token, m.stage)
            advance(m.token, &s)
        case .request:
            preconditionFailure("failover calls (a region down) are refused with parallel_regions")
        }
    }
}
