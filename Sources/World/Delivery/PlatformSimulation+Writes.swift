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
        let q = services.newRequest(Request(kind: .statusWrite, stage: 1, city: Int32(c), pool: Int32(services.servingPool(c, 0)),
                                            viaBalancer: false, start: s.now, subject: orders[o].id, session: orders[o].customerID))
        services.setArrived(q, s.now)
        database.updateStatus(q, orderID: orders[o].id, region: services.region(ofPool: services.servingPool(c, 0)), &s)
    }

    /// Write `q` committed on the primary: the row reaches the replicas after a drawn lag; the
    /// writer hears back after the round trip.
    func writeCommitted(_ q: Int32, _ s: inout Scheduler) {
        let req = services.request(q)
        let back = database.answerTrip(to: services.region(ofPool: Int(req.pool)))
        if req.start >= warmup { database.recordWrite(s.now - req.arrived + back) }
        services.setVisible(q, at: database.visibleOnReplica(committedAt: s.now))
        services.next(q, stage: 2, after: back, &s)
    }

    /// The customer's app reads order `orderID` at `time` (GET /orders/{id} on order_service).
    func scheduleStatusRead(city c: Int, customer: Int32, orderID: Int, visibleAt: SimTime, at time: SimTime, _ s: inout Scheduler) {
        guard config.statusReads else { return }
        let q = services.newRequest(Request(kind: .orderStatus, city: Int32(c), pool: Int32(services.servingPool(c, 0)), start: time,
                                            subject: orderID, session: customer, visibleAt: visibleAt))
        services.submit(q, at: time, &s)
    }
}
