import DequeModule
import Platform
import Scenario
import SimCore

/// Matching: periodic batch runs or greedy per order, and assignments.

extension PlatformSimulation {
    // MARK: matching

    func matchTick(_ c: Int, _ s: inout Scheduler) {
        guard !cities[c].open.isEmpty, !cities[c].matchPending else { return }
        matchRuns += 1
        cities[c].matchPending = true
        let q = newRequest(Request(kind: .matchBatch, city: Int32(c), pool: 0, start: s.now, subject: c, units: max(1, cities[c].open.count)))
        submit(q, pool: servingPool(c, 2), &s)
    }

    func runMatching(_ c: Int, _ now: SimTime, _ s: inout Scheduler) {
        if config.matchingPolicy == .greedy {
            let open = cities[c].open
            for o in open where orders[o].state == .pending { greedyMatch(c, o, now, &s) }
            return
        }
        dispatchOrders.removeAll(keepingCapacity: true)
        for o in cities[c].open where orders[o].state == .pending {
            let ord = orders[o]
            dispatchOrders.append(DispatchOrder(id: o, restaurantID: Int(ord.restaurant), restaurantPosition: cities[c].restaurants[Int(ord.restaurant)],
                                                customerPosition: ord.customer, placedAt: ord.placedAt, readyAt: ord.readyAt))
        }
        dispatchCouriers.removeAll(keepingCapacity: true)
        for k in cities[c].couriers where couriers[k].indexed && !couriers[k].onTrip {
            dispatchCouriers.append(DispatchCourier(id: k, position: couriers[k].known, availableAt: now))
        }
        guard !dispatchOrders.isEmpty, !dispatchCouriers.isEmpty else { return }
        let outcome = batchMatchers[c].match(orders: dispatchOrders, couriers: dispatchCouriers, now: now, travel: travel,
                                             candidates: cities[c].source)
        for a in outcome.assignments { assign(a, now, &s) }
        cities[c].open.removeAll { orders[$0].state != .pending }
    }

    func greedyMatch(_ c: Int, _ o: Int, _ now: SimTime, _ s: inout Scheduler) {
        let ord = orders[o]
        let d = DispatchOrder(id: o, restaurantID: Int(ord.restaurant), restaurantPosition: cities[c].restaurants[Int(ord.restaurant)],
                              customerPosition: ord.customer, placedAt: ord.placedAt, readyAt: ord.readyAt)
        if let a = greedy.match(order: d, now: now, travel: travel, candidates: cities[c].source) {
            assign(a, now, &s)
            if let i = cities[c].open.firstIndex(of: o) { cities[c].open.remove(at: i) }
        }
    }

    func assign(_ a: DispatchAssignment, _ now: SimTime, _ s: inout Scheduler) {
        let k = a.courierID
        let c = Int(couriers[k].city)
        if couriers[k].onTrip || a.orderIDs.count > config.bundleSize { bundleViolations += 1 }
        _ = cities[c].source.index.remove(k)
        couriers[k].indexed = false
        couriers[k].onTrip = true
        couriers[k].departureAt = a.departureAt
        couriers[k].arrivalAt = a.arrivalAt
        couriers[k].pickupAt = a.pickupAt
        couriers[k].completionAt = a.completionAt
        couriers[k].restaurant = cities[c].restaurants[a.restaurantID]
        couriers[k].end = orders[a.orderIDs[a.orderIDs.count - 1]].customer
        couriers[k].orders = a.orderIDs
        if orders[a.orderIDs[0]].placedAt >= warmup { foodWait.record(max(0, a.pickupAt - a.arrivalAt)) }
        // The pick-up first: at equal times it must run before a drop-off frees an order's slot.
        s.schedule(at: a.pickupAt, kind: Kind.pickedUp.rawValue, target: UInt32(k))
        for (i, o) in a.orderIDs.enumerated() {
            orders[o].state = .assigned
            if orders[o].placedAt >= warmup { matchingDelay.record(now - orders[o].placedAt) }
            writeStatus(o, &s)
            s.schedule(at: a.dropoffAt[i], kind: Kind.courierStep.rawValue, target: UInt32(k), payload: UInt64(i))
        }
        s.schedule(at: max(a.completionAt, a.dropoffAt.last ?? a.completionAt), kind: Kind.courierStep.rawValue, target: UInt32(k),
                   payload: UInt64(a.orderIDs.count))
    }
}

extension PlatformSimulation {
    /// Order `o` (placed now) is cancelled `cancel_after` from now if still unmatched.
    func scheduleCancel(city c: Int, slot o: Int, _ s: inout Scheduler) {
        cities[c].cancelQueue.append((Int32(o), orders[o].id, s.now + config.cancelAfter))
        if !cities[c].cancelScheduled {
            cities[c].cancelScheduled = true
            s.schedule(at: s.now + config.cancelAfter, kind: Kind.cancelCheck.rawValue, target: UInt32(c))
        }
    }

    /// Cancels the city's orders whose deadline has come and that are still unmatched, then
    /// waits for the next deadline.
    func cancelDue(_ c: Int, _ s: inout Scheduler) {
        while let head = cities[c].cancelQueue.first, head.deadline <= s.now {
            cities[c].cancelQueue.removeFirst()
            let o = Int(head.slot)
            guard orders[o].id == head.id && orders[o].state == .pending else { continue }
            orders[o].state = .cancelled
            cancelled += 1
            if let i = cities[c].open.firstIndex(of: o) { cities[c].open.remove(at: i) }
            releaseIfDone(o)
        }
        if let head = cities[c].cancelQueue.first {
            s.schedule(at: head.deadline, kind: Kind.cancelCheck.rawValue, target: UInt32(c))
        } else {
            cities[c].cancelScheduled = false
        }
    }
}
