import Platform
import SimCore

/// The requests' side of the orders database (`OrdersDatabase`): status writes, the answer
/// of a committed write, and the customer's status reads that follow each change.
extension PlatformSimulation {
    /// A status change of order `o` (courier assigned, picked up, delivered): an UPDATE on its
    /// shard, written from the region serving the order's city.
    func writeStatus(_ o: Int, _ s: inout Scheduler) {
        let c = Int(orders[o].city)
        database.countStatusWrite()
        let p = services.servingPool(c, 0)
        let q = services.newRequest(Request(kind: .statusWrite, stage: 1, city: Int32(c), pool: Int32(p),
                                            viaBalancer: false, start: s.now, subject: orders[o].id, session: orders[o].customerID))
        write(q, from: services.region(ofPool: p), &s)
    }

    /// Write `q` committed on the primary: the row reaches the replicas after a drawn lag; the
    /// writer hears back at once, or one one-way trip later from another region (its way out
    /// was the other half: `arrived` is when the writer sent it).
    func writeCommitted(_ q: Int32, _ s: inout Scheduler) {
        if let lp = regionLP, lp.isProxy(q) { return answerProxy(q, &s) }
        let req = services.request(q)
        let w = services.region(ofPool: Int(req.pool)), primary = config.primaryRegion
        stages.charge(q, .dbService, at: s.now)
        _ = database.answerTrip(to: w)  // counts the cross-region write
        let back = w == primary ? 0 : channel.oneWay(primary, w)
        if req.start >= warmup { database.recordWrite(s.now - req.arrived + back) }
        services.setVisible(q, at: database.visibleOnReplica(committedAt: s.now))
        if w == primary { services.next(q, stage: 2, after: 0, &s) } else { channel.send(.answer, q, stage: 2, from: primary, to: w, sentAt: s.now, &s) }
    }

    /// The customer's app reads order `orderID` at `time` (GET /orders/{id} on order_service).
    func scheduleStatusRead(city c: Int, customer: Int32, orderID: Int, visibleAt: SimTime, at time: SimTime, _ s: inout Scheduler) {
        guard config.statusReads else { return }
        let p = services.servingPool(c, 0)
        let q = services.newRequest(Request(kind: .orderStatus, city: Int32(c), pool: Int32(p), start: time,
                                            subject: orderID, session: customer, visibleAt: visibleAt))
        if cityDown[c] { sendFailover(q, city: c, pool: p, at: time, &s) } else { services.submit(q, at: time, &s) }
    }
}
