import DequeModule
import Platform
import Scenario
import SimCore

/// Demand: the daily profile, Poisson orders and menu views, and trace-driven orders.

extension PlatformSimulation {
    // MARK: demand

    func profileHour(at t: SimTime) -> Int {
        Int(((config.profileStart + t) / SimUnit.hour) % SimTime(config.profile.count))
    }

    func nextHourBoundary(after t: SimTime) -> SimTime {
        let abs = config.profileStart + t
        return (abs / SimUnit.hour + 1) * SimUnit.hour - config.profileStart
    }

    func orderRate(_ c: Int) -> Double {
        config.ordersPerHour / 3600 * config.regions[c].demandShare * config.profile[cities[c].profileHour]
    }

    func scheduleArrivals(_ c: Int, _ s: inout Scheduler) {
        scheduleOrder(c, &s)
        scheduleMenu(c, &s)
        scheduleHistory(c, &s)
    }

    func scheduleOrder(_ c: Int, _ s: inout Scheduler) {
        guard trace == nil else { return }
        let rate = orderRate(c)
        guard rate > 0 else { return }
        let dt = SimUnit.fromSeconds(-_log(cities[c].orderStream.uniformPositive()) / rate)
        s.schedule(after: dt, kind: Kind.orderArrival.rawValue, target: UInt32(c), payload: cities[c].generation)
    }

    func scheduleMenu(_ c: Int, _ s: inout Scheduler) {
        let rate = orderRate(c) * config.menuViewsPerOrder
        guard rate > 0 else { return }
        let dt = SimUnit.fromSeconds(-_log(cities[c].menuStream.uniformPositive()) / rate)
        s.schedule(after: dt, kind: Kind.menuArrival.rawValue, target: UInt32(c), payload: cities[c].generation)
    }

    func scheduleHistory(_ c: Int, _ s: inout Scheduler) {
        let rate = orderRate(c) * config.historyViewsPerOrder
        guard rate > 0 else { return }
        let dt = SimUnit.fromSeconds(-_log(cities[c].historyStream.uniformPositive()) / rate)
        s.schedule(after: dt, kind: Kind.historyArrival.rawValue, target: UInt32(c), payload: cities[c].generation)
    }

    /// A customer of city `c` (a global id: the sticky-session id on order_service).
    @inline(__always) func customer(_ c: Int, _ stream: RandomStream) -> Int32 {
        Int32(cities[c].firstCustomer + stream.integer(below: cities[c].customers))
    }

    /// A free order slot holding a new order (its id is the next order_id).
    func newOrderSlot(_ order: Order) -> Int {
        if let o = freeOrders.popLast() {
            orders[Int(o)] = order
            return Int(o)
        }
        orders.append(order)
        return orders.count - 1
    }

    /// Frees an order's slot once nothing refers to it: finished, and its order_events record
    /// consumed (or never produced).
    func releaseIfDone(_ o: Int) {
        switch orders[o].state {
        case .delivered, .cancelled, .failed:
            if !orders[o].awaitingConsume { freeOrders.append(Int32(o)) }
        case .placing, .pending, .assigned:
            break
        }
    }

    func newOrder(_ c: Int, _ s: inout Scheduler) {
        let rest = cities[c].zipf.sample(cities[c].placeStream)
        let rp = cities[c].restaurants[rest]
        let d = config.deliveryRadius * cities[c].placeStream.uniform().squareRoot()
        let a = 2 * Double.pi * cities[c].placeStream.uniform()
        let position = Self.offset(rp, east: d * _cos(a), north: d * _sin(a))
        let who = customer(c, cities[c].placeStream)
        ordersCreated += 1
        let o = newOrderSlot(Order(id: ordersCreated, customerID: who, city: Int32(c), restaurant: Int32(rest), customer: position,
                                   placedAt: s.now, readyAt: s.now))
        let q = newRequest(Request(kind: .placeOrder, city: Int32(c), pool: 0, start: s.now, subject: ordersCreated, order: Int32(o), session: who))
        submit(q, pool: servingPool(c, 0), &s)
    }

    /// GET /orders?since=now−history_range: the customer's order history.
    func newHistoryView(_ c: Int, _ s: inout Scheduler) {
        let who = customer(c, cities[c].historyStream)
        let q = newRequest(Request(kind: .orderHistory, city: Int32(c), pool: 0, start: s.now, subject: Int(who), session: who))
        submit(q, pool: servingPool(c, 0), &s)
    }

    // MARK: traced demand

    /// Schedules the trace's next order (orders are sorted by placement time; one pending
    /// event at a time keeps the queue small for long traces).
    func scheduleTraceOrder(_ s: inout Scheduler) {
        guard let trace, traceNext < trace.orders.count else { return }
        let i = traceNext
        traceNext += 1
        s.schedule(at: max(s.now, trace.orders[i].placedAt), kind: Kind.traceOrder.rawValue, payload: UInt64(i))
    }

    /// The city nearest to a position (equirectangular distance to each region's centre;
    /// ties to the lower index), among the regions that exist in this scenario.
    func nearestCity(_ p: DispatchPosition) -> Int {
        var best = 0, bestD = Double.infinity
        for (c, r) in config.regions.enumerated() {
            let dx = (p.x - r.longitude) * _cos(r.latitude * Double.pi / 180), dy = p.y - r.latitude
            let d = dx * dx + dy * dy
            if d < bestD { best = c; bestD = d }
        }
        return best
    }

    /// Places trace order `i`: the restaurant's own position when the trace gives one (the
    /// order belongs to the city nearest to it), else the customer's city and one of its
    /// generated restaurants chosen by a stable hash of the restaurant's key.
    func placeTraceOrder(_ i: Int, _ s: inout Scheduler) {
        guard let trace else { return }
        let t = trace.orders[i]
        let r = t.restaurantIndex
        var slot = traceRestaurantSlot[r]
        if slot.city < 0 {
            if let pos = trace.restaurants[r].position {
                let c = nearestCity(pos)
                cities[c].restaurants.append(pos)
                slot = (Int32(c), Int32(cities[c].restaurants.count - 1))
            } else {
                let c = nearestCity(t.customer)
                let n = UInt64(cities[c].zipf.cdf.count)  // the generated restaurants
                slot = (Int32(c), Int32(StreamSeeder.fnv1a(trace.restaurants[r].key) % max(1, n)))
            }
            traceRestaurantSlot[r] = slot
        }
        let c = Int(slot.city)
        let who = customer(c, cities[c].placeStream)
        ordersCreated += 1
        var order = Order(id: ordersCreated, customerID: who, city: Int32(c), restaurant: slot.index, customer: t.customer,
                          placedAt: s.now, readyAt: s.now)
        if let ready = t.readyAt { order.tracedReady = ready }
        let o = newOrderSlot(order)
        let q = newRequest(Request(kind: .placeOrder, city: Int32(c), pool: 0, start: s.now, subject: ordersCreated, order: Int32(o), session: who))
        submit(q, pool: servingPool(c, 0), &s)
    }

    func newMenuView(_ c: Int, _ s: inout Scheduler) {
        menuViews += 1
        let rest = cities[c].zipf.sample(cities[c].menuStream)
        let who = customer(c, cities[c].menuStream)
        let q = newRequest(Request(kind: .menuView, city: Int32(c), pool: 0, start: s.now, subject: c << 32 | rest, session: who))
        submit(q, pool: servingPool(c, 0), &s)
    }
}

extension PlatformSimulation {
    /// The pool serving city `c`'s service `service` (its failover region's while it is down).
    @inline(__always) func servingPool(_ c: Int, _ service: Int) -> Int { servingPools[c * 3 + service] }
}
