import Platform
import Scenario
import SimCore

/// The wiring between components: what one component's event leaves due is carried on to
/// the others here (a demand arrival becomes a request, a request given up rejects its order,
/// an assignment starts a courier's trip, an HPA sync or a crash changes a pool's pods).
extension PlatformSimulation {
    /// A demand arrival: its request through the city's serving order_service pool, then the
    /// next arrival of its kind.
    func arrival(_ a: Demand.Arrival, _ s: inout Scheduler) {
        switch a {
        case .none: return
        case .order(let c, let o, _):
            let order = orders[o]
            submit(services.newRequest(Request(kind: .placeOrder, city: Int32(c), pool: 0, start: s.now, subject: order.id, order: Int32(o),
                                               session: order.customerID)), pool: services.servingPool(c, 0), &s)
        case .menuView(let c, let popularity, let who):
            let p = services.servingPool(c, 0)
            if config.stickySessions && p >= 0 { services.withPool(p) { $0.prefetchSession(Int(who)) } }
            let key = demand.menuKey(city: c, popularity: popularity)
            submit(services.newRequest(Request(kind: .menuView, city: Int32(c), pool: 0, start: s.now, subject: key, session: who)),
                   pool: p, &s)
        case .history(let c, let who):
            // GET /orders?since=now−history_range: the customer's order history.
            submit(services.newRequest(Request(kind: .orderHistory, city: Int32(c), pool: 0, start: s.now, subject: Int(who), session: who)),
                   pool: services.servingPool(c, 0), &s)
        }
        demand.scheduleNext(after: a, &s)
    }

    /// Sends request `q` into pool `p` and applies a give-up at once (no backend, no retry left);
    /// a call from a down region's city reaches its failover region through the channel.
    @inline(__always) func submit(_ q: Int32, pool p: Int, _ s: inout Scheduler) {
        let c = Int(services.request(q).city)
        if cityDown[c] { return sendFailover(q, city: c, pool: p, at: s.now, &s) }
        apply(services.submit(q, pool: p, &s), &s)
    }

    /// Carries on what the services leave due.
    func apply(_ due: Services.Due, _ s: inout Scheduler) {
        switch due {
        case .none: break
        case .stage(let q): advance(q, &s)
        case .gaveUp(let q): gaveUp(q)
        case .lost(let q): consumerLost(q, &s)
        case .membershipChanged(let p): membershipChanged(p, &s)
        case .crossRegion(let q):
            let req = services.request(q)
            sendFailover(q, city: Int(req.city), pool: Int(req.pool), at: s.now, &s)
        }
    }

    /// The client gave request `q` up for good: a place_order's order is rejected, a match
    /// run has ended.
    func gaveUp(_ q: Int32) {
        let req = services.request(q)
        switch req.kind {
        case .placeOrder: orders.reject(Int(req.order))
        case .matchBatch: matching.batchEnded(city: Int(req.city))
        default: break
        }
        services.release(q)
    }

    /// A request on a crashed pod (`Services.lost`), carried on.
    func lost(_ q: Int32, _ s: inout Scheduler) {
        apply(services.lost(q, s.now, &s), &s)
    }

    // MARK: matching

    /// City `c`'s batch run answered: the matcher runs (greedy: on each open order).
    func runMatching(_ c: Int, _ now: SimTime, part: Int = -1, _ s: inout Scheduler) {
        if matching.isGreedy {
            for o in matching.openOrders(city: c) where orders[o].state == .pending { greedyMatch(c, o, now, &s) }
            return
        }
        for a in matching.runBatch(city: c, part: part, now: now) { assign(a, now, &s) }
        matching.pruneOpen(city: c)
    }

    func greedyMatch(_ c: Int, _ o: Int, _ now: SimTime, _ s: inout Scheduler) {
        guard let a = matching.greedyMatch(city: c, o, now: now) else { return }
        assign(a, now, &s)
        matching.close(city: c, o)
    }

    /// An assignment: the courier's trip, the orders assigned (a status write each).
    func assign(_ a: DispatchAssignment, _ now: SimTime, _ s: inout Scheduler) {
        let k = a.courierID
        let restaurant = demand.restaurant(city: couriers.city(k), a.restaurantID)
        couriers.startTrip(a, restaurant: restaurant, end: orders[a.orderIDs[a.orderIDs.count - 1]].customer, maxBundle: config.bundleSize)
        measurements.waitForFood(placedAt: orders[a.orderIDs[0]].placedAt, city: Int(orders[a.orderIDs[0]].city), max(0, a.pickupAt - a.arrivalAt))
        // The pick-up first: at equal times it must run before a drop-off frees an order's slot.
        couriers.schedulePickUp(k, at: a.pickupAt, &s)
        for (i, o) in a.orderIDs.enumerated() {
            orders.assign(o)
            // From the offer: placement, or the release under the dispatch hold.
            measurements.matched(placedAt: orders[o].offeredAt, city: Int(orders[o].city), now: now)
            writeStatus(o, &s)
            couriers.scheduleStep(k, i, at: a.dropoffAt[i], &s)
        }
        couriers.scheduleStep(k, a.orderIDs.count, at: max(a.completionAt, a.dropoffAt.last ?? a.completionAt), &s)
    }

    // MARK: pods

    /// The HPA sync of pool `p` (`Autoscaler`) sets the Deployment's replica count; the
    /// ReplicaSet follows.
    func autoscale(_ p: Int, _ s: inout Scheduler) {
        let pool = services.pools[p]
        let before = pool.desired
        stickyWatch.sync(p, pool, now: s.now)
        observeScalingMetrics(p)
        pool.setDesired(autoscaler.sync(p, pool, now: s.now))
        if pool.desired != before { measurements.mark(s.now, "scale", "\(pool.name): \(before) → \(pool.desired) replicas") }
        let firstNew = pool.replicas.count
        if services.reconcile(p, &s) { membershipChanged(p, &s) }
        if pool.desired > before { stickyWatch.scaledOut(p, pool, before: before, firstNew: firstNew, now: s.now) }
    }

    func crash(_ p: Int, _ r: Int, _ s: inout Scheduler) {
        let pool = services.pools[p]
        services.crash(p, r, now: s.now)
        measurements.mark(s.now, "crash", "\(pool.name): a pod crashed")
        while let q = services.popCrashed(p, r, now: s.now) { lost(q, &s) }
        // The group notices a crashed consumer only when its session times out; until then
        // the partitions it owned stall.
        if pool.service != 0 { services.scheduleConsumerTimeout(p, after: config.sessionTimeout, &s) }
        if services.reconcile(p, &s) { membershipChanged(p, &s) }  // the ReplicaSet replaces it
        services.schedulePoll(p, &s)
    }

    /// The HPA's metrics besides CPU for pool `p`: its consumer group's lag (location_service
    /// consumes location_updates, matching_service order_events, in its region) and the
    /// requests its balancer routed.
    func observeScalingMetrics(_ p: Int) {
        let pool = services.pools[p]
        let lag = pool.service == 0 ? nil : kafka.consumerLag(KafkaCluster.topic(region: services.region(ofPool: p), orderEvents: pool.service == 2))
        autoscaler.observe(p, lag: lag, routed: pool.stickyRouted + pool.balancerRouted)
    }
}
