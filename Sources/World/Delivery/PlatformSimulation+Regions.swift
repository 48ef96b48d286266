import SimCore

/// What crosses regions, through the one `CrossRegionChannel` (Regions/README.md): writes to
/// the primary, their answers, and the calls of a down region's city to its failover region.
extension PlatformSimulation {
    /// Request `q`'s write (an order's INSERT, a status UPDATE) sent from region `w` now: on
    /// the primary at once, or one one-way trip later from another region. A transaction
    /// (`database.cpu` or `round_trips` set) takes its connection at once and the database pays
    /// its round trips while holding it (`OrdersDatabase+Transactions`); only its answer crosses
    /// through the channel.
    func write(_ q: Int32, from w: Int, _ s: inout Scheduler) {
        services.setArrived(q, s.now)
        if w == config.primaryRegion || database.transactional {
            beginWrite(q, &s)
        } else if regionLP != nil {
            postWrite(q, from: w, &s)
        } else {
            channel.send(.write, q, from: w, to: config.primaryRegion, sentAt: s.now, &s)
        }
    }

    /// The write reaches the primary: it takes one of its shard's connections (or queues).
    func beginWrite(_ q: Int32, _ s: inout Scheduler) {
        let req = services.request(q)
        let w = services.region(ofPool: Int(req.pool))
        if req.kind == .placeOrder {
            let o = orders[Int(req.order)]
            database.insert(q, orderID: req.subject, customer: Int(o.customerID), restaurant: Int(o.restaurant), region: w, &s)
        } else {
            database.updateStatus(q, orderID: req.subject, region: w, &s)
        }
        if database.failoverDue { shardFailoverDue(&s) }
    }

    /// City `c`'s region is down (`down: true`, or a `region_outage` moved its clients): its
    /// client call `q`, made at `time`, reaches pool `p` in the failover region one one-way trip
    /// later (the way back is added to its latency at the end, `Services.finish`).
    func sendFailover(_ q: Int32, city c: Int, pool p: Int, at time: SimTime, _ s: inout Scheduler) {
        services.setPool(q, p)
        channel.send(.request, q, from: c, to: services.region(ofPool: p), sentAt: time, &s)
    }

    /// A message reaches its region: what it brings is carried on there. A message a
    /// partition stopped until its sender's timeout (`timedOut`, in the sender's region) fails
    /// its request there: the client retries or gives up as after any failure.
    func delivered(_ m: (kind: CrossRegionChannel.Kind, token: Int32, stage: UInt8, timedOut: Bool), _ s: inout Scheduler) {
        stages.charge(m.token, .crossRegion, at: s.now)
        if m.timedOut { return apply(services.fail(m.token, &s), &s) }
        switch m.kind {
        case .write:
            beginWrite(m.token, &s)
        case .answer:
            services.setStage(m.token, m.stage)
            advance(m.token, &s)
        case .request:
            apply(services.submit(m.token, pool: Int(services.request(m.token).pool), &s), &s)
        }
    }
}
