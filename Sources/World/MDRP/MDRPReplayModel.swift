import Platform
import SimCore

/// The discrete-event model behind `MDRPReplay`: one instance, one policy, one run.
///
/// State per courier: on duty or not, where it is (or will be once its committed trips end:
/// `position`/`location`), and `freeAt`, when its committed trips end. A courier is idle
/// when on duty and `freeAt <= now`. Open orders wait in `pending` in release order
/// (release time, then file position): that is the first-come-first-served order of the
/// greedy policy; the batch matcher sorts by order id (file position) itself.
final class MDRPReplayModel: EventHandler {
    enum Kind: UInt32 {
        /// An order becomes visible to the dispatcher (target = order index).
        case release = 1
        /// A courier's shift starts (target = courier index).
        case courierOn
        /// A courier's shift ends: it may pick nothing up from now on.
        case courierOff
        /// A courier's committed trips end (target = courier index).
        case courierFree
        /// The batch clock: schedules a dispatch at the same instant and the next tick.
        case tick
        /// One dispatch round. Always scheduled *at* the current instant from another event,
        /// so it runs after every event of this instant that was already queued.
        case dispatch
    }

    let instance: MDRPInstance
    let policy: MDRPPolicy
    let options: MDRPReplayOptions
    let travel: PlanarTravelModel
    let service: ServiceDurations
    let dispatchOrders: [DispatchOrder]
    let releaseAt: [SimTime]
    let offAt: [SimTime]
    let lastOff: SimTime
    var onDuty: [Bool]
    var freeAt: [SimTime]
    var position: [DispatchPosition]
    var location: [MDRPLocation]
    /// Idle on-duty couriers (greedy policy only), in a grid for many couriers and a plain
    /// list for few: the matcher's widening search visits every grid cell within its radius,
    /// which costs more than measuring a few dozen couriers. Both answer identically
    /// (the `CandidateSource` contract), so the choice never changes a result.
    var idle: UniformGridCandidateSource
    var idleList: BruteForceCandidateSource<PlanarMetric>
    static let gridThreshold = 64
    var pending: [Int] = []
    var unreleased: Int
    var dispatchQueued = false
    var greedy: GreedyMatcher
    var batch: BatchMatcher
    let interval: SimTime

    var assignments: [MDRPAssignmentRecord] = []
    var outcomes: [MDRPOrderOutcome]
    var moves: [[MDRPMove]]
    var dispatchRounds = 0

    init(instance: MDRPInstance, policy: MDRPPolicy, options: MDRPReplayOptions) {
        self.instance = instance
        self.policy = policy
        self.options = options
        let p = instance.parameters
        travel = PlanarTravelModel.mdrp(metersPerMinute: p.metersPerMinute)
        service = MDRPReplay.serviceDurations(p)
        let restaurantPositions = instance.restaurants.map { DispatchPosition(x: $0.x, y: $0.y) }
        dispatchOrders = instance.orders.enumerated().map { i, o in
            DispatchOrder(
                id: i, restaurantID: o.restaurantIndex, restaurantPosition: restaurantPositions[o.restaurantIndex],
                customerPosition: DispatchPosition(x: o.x, y: o.y),
                placedAt: MDRPReplay.instant(minutes: o.placementTime), readyAt: MDRPReplay.instant(minutes: o.readyTime))
        }
        releaseAt = instance.orders.map { o in
            var m = o.placementTime
            if let h = options.releaseHorizonMinutes { m = max(m, o.readyTime - h) }
            return MDRPReplay.instant(minutes: m)
        }
        offAt = instance.couriers.map { MDRPReplay.instant(minutes: $0.offTime) }
        lastOff = offAt.max() ?? 0
        onDuty = Array(repeating: false, count: instance.couriers.count)
        freeAt = instance.couriers.map { MDRPReplay.instant(minutes: $0.onTime) }
        position = instance.couriers.map { DispatchPosition(x: $0.x, y: $0.y) }
        location = instance.couriers.indices.map { MDRPLocation.courierStart($0) }
        unreleased = instance.orders.count
        outcomes = Array(repeating: MDRPOrderOutcome(), count: instance.orders.count)
        moves = Array(repeating: [], count: instance.couriers.count)
        interval = MDRPReplay.instant(minutes: options.batchIntervalMinutes)

        // Bounding box of every point: sizes the idle-courier grid and "unlimited" radii.
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        func cover(_ x: Double, _ y: Double) {
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        }
        for r in instance.restaurants { cover(r.x, r.y) }
        for o in instance.orders { cover(o.x, o.y) }
        for c in instance.couriers { cover(c.x, c.y) }
        if !minX.isFinite { minX = 0; minY = 0; maxX = 0; maxY = 0 }
        let diagonal = ((maxX - minX) * (maxX - minX) + (maxY - minY) * (maxY - minY)).squareRoot()
        let cell = max(250, min(1000, max(maxX - minX, maxY - minY) / 8))
        idle = UniformGridCandidateSource(minX: minX, minY: minY, maxX: maxX, maxY: maxY, cellSizeMeters: cell)
        idleList = BruteForceCandidateSource(metric: PlanarMetric())
        let unlimited = diagonal * 2 + 1
        let initial = min(options.greedyInitialRadiusMeters, options.greedyMaxRadiusMeters ?? unlimited)
        greedy = GreedyMatcher(
            initialRadiusMeters: initial, maxRadiusMeters: max(initial, options.greedyMaxRadiusMeters ?? unlimited),
            candidateLimit: 16, service: service)
        let bundling = policy == .bundled
            ? BundlingPolicy(
                maxOrders: options.maxBundleSize,
                readyWindow: MDRPReplay.instant(minutes: options.bundleReadyWindowMinutes), sequencing: .exhaustive)
            : BundlingPolicy.off
        batch = BatchMatcher(policy: BatchPolicy(
            interval: interval, radiusMeters: options.batchRadiusMeters ?? unlimited, candidateLimit: .max,
            weights: options.costWeights, service: service, bundling: bundling))
    }

    /// Queues the instance's exogenous events: order releases, shift starts and ends, and
    /// the first batch tick. Scheduling order is file order, the tie-break among same-minute
    /// events of one kind.
    func start(_ s: inout Scheduler) {
        for (c, courier) in instance.couriers.enumerated() {
            s.schedule(at: MDRPReplay.instant(minutes: courier.onTime), kind: Kind.courierOn.rawValue, target: UInt32(c))
            s.schedule(at: offAt[c], kind: Kind.courierOff.rawValue, target: UInt32(c))
        }
        for o in instance.orders.indices {
            s.schedule(at: releaseAt[o], kind: Kind.release.rawValue, target: UInt32(o))
        }
        if policy != .greedy, let first = releaseAt.min() {
            // First tick on the interval grid at or after the first release.
            let t = (first + interval - 1) / interval * interval
            s.schedule(at: t, kind: Kind.tick.rawValue)
        }
    }

    func handle(_ event: Event, _ s: inout Scheduler) {
        let now = event.time
        let target = Int(event.target)
        switch Kind(rawValue: event.kind) {
        case .release:
            unreleased -= 1
            pending.append(target)
            requestGreedyDispatch(&s)
        case .courierOn:
            onDuty[target] = true
            if freeAt[target] <= now {
                if policy == .greedy { setIdle(target, true) }
                requestGreedyDispatch(&s)
            }
        case .courierOff:
            onDuty[target] = false
            if policy == .greedy { setIdle(target, false) }
        case .courierFree:
            // A later commitment (lookahead) moved freeAt: this event is stale.
            guard freeAt[target] == now, onDuty[target] else { return }
            if policy == .greedy { setIdle(target, true) }
            requestGreedyDispatch(&s)
        case .tick:
            s.schedule(at: now, kind: Kind.dispatch.rawValue)
            if (unreleased > 0 || !pending.isEmpty) && now + interval <= lastOff {
                s.schedule(at: now + interval, kind: Kind.tick.rawValue)
            }
        case .dispatch:
            dispatchQueued = false
            if policy == .greedy { greedyRound(now, &s) } else { batchRound(now, &s) }
        case nil:
            preconditionFailure("unknown MDRP event kind \(event.kind)")
        }
    }

    func setIdle(_ c: Int, _ isIdle: Bool) {
        if isIdle {
            idle.upsert(courierID: c, at: position[c])
            idleList.upsert(courierID: c, at: position[c])
        } else {
            idle.remove(courierID: c)
            idleList.remove(courierID: c)
        }
    }

    func requestGreedyDispatch(_ s: inout Scheduler) {
        guard policy == .greedy, !dispatchQueued, !pending.isEmpty, idle.count > 0 else { return }
        dispatchQueued = true
        s.schedule(at: s.now, kind: Kind.dispatch.rawValue)
    }

    // MARK: greedy

    func greedyRound(_ now: SimTime, _ s: inout Scheduler) {
        guard !pending.isEmpty, idle.count > 0 else { return }
        dispatchRounds += 1
        var kept: [Int] = []
        kept.reserveCapacity(pending.count)
        for (k, o) in pending.enumerated() {
            if idle.count == 0 {
                kept.append(contentsOf: pending[k...])
                break
            }
            if let a = greedyMatch(o, now) {
                commit(a, now, &s)
            } else {
                kept.append(o)
            }
        }
        pending = kept
    }

    /// Kept apart so the candidate view of `idle` is released before `commit` mutates it
    /// (otherwise the grid would be copied on write for every order).
    func greedyMatch(_ o: Int, _ now: SimTime) -> DispatchAssignment? {
        if idle.count > Self.gridThreshold {
            let source = MDRPFeasibleCandidates(
                base: idle, travel: travel, now: now, readyAt: dispatchOrders[o].readyAt,
                pickupOnArrival: service.pickupOnArrival, offAt: offAt)
            return greedy.match(order: dispatchOrders[o], now: now, travel: travel, candidates: source)
        }
        let source = MDRPFeasibleCandidates(
            base: idleList, travel: travel, now: now, readyAt: dispatchOrders[o].readyAt,
            pickupOnArrival: service.pickupOnArrival, offAt: offAt)
        return greedy.match(order: dispatchOrders[o], now: now, travel: travel, candidates: source)
    }

    // MARK: batched

    func batchRound(_ now: SimTime, _ s: inout Scheduler) {
        guard !pending.isEmpty else { return }
        let horizon = now + MDRPReplay.instant(minutes: options.lookaheadMinutes)
        var couriers: [DispatchCourier] = []
        for c in instance.couriers.indices where onDuty[c] && freeAt[c] <= horizon && now < offAt[c] {
            couriers.append(DispatchCourier(id: c, position: position[c], availableAt: max(now, freeAt[c])))
        }
        guard !couriers.isEmpty else { return }
        var orders = offeredOrders(courierCount: couriers.count)
        if options.ignoreSunkWaiting {
            for k in orders.indices where orders[k].readyAt < now { orders[k].readyAt = now }
        }
        var assigned = [Bool](repeating: false, count: instance.orders.count)
        // A planned pickup can still fall after the courier's off time when the food is
        // ready late (the candidate filter only knows the restaurant, not the bundle), so
        // such pairs are refused and the rest re-matched without those couriers.
        while true {
            dispatchRounds += 1
            let source = MDRPBatchCandidates(
                couriers: couriers, offAt: offAt, travel: travel, now: now, pickupOnArrival: service.pickupOnArrival)
            let outcome = batch.match(orders: orders, couriers: couriers, now: now, travel: travel, candidates: source)
            var used = Set<Int>()
            var refused = false
            for a in outcome.assignments {
                used.insert(a.courierID)
                if a.pickupAt <= offAt[a.courierID] {
                    commit(a, now, &s)
                    for o in a.orderIDs { assigned[o] = true }
                } else {
                    refused = true
                }
            }
            if !refused { break }
            couriers.removeAll { used.contains($0.id) }
            orders.removeAll { assigned[$0.id] }
            if couriers.isEmpty || orders.isEmpty { break }
        }
        pending.removeAll { assigned[$0] }
    }

    /// The open orders one batch sees. Normally all of them; when there are more than
    /// `overloadWindowFactor` x the couriers available, only that many of the oldest (release
    /// order), or with bundling the longest oldest-first prefix whose bundles number at most
    /// that many. A maximum-cardinality matcher then chooses among orders that have all
    /// waited about as long, so no order is passed over indefinitely.
    func offeredOrders(courierCount: Int) -> [DispatchOrder] {
        guard let factor = options.overloadWindowFactor, pending.count > courierCount * factor else {
            return pending.map { dispatchOrders[$0] }
        }
        let courierCount = courierCount * factor
        if policy != .bundled {
            return pending.prefix(courierCount).map { dispatchOrders[$0] }
        }
        func bundles(_ n: Int) -> Int {
            Bundler.makeBundles(
                orders: pending.prefix(n).map { dispatchOrders[$0] }, policy: batch.policy.bundling, travel: travel,
                service: service
            ).count
        }
        // The bundle count grows with the prefix (almost always monotonically), so bisection
        // finds a long fitting prefix; whatever it returns was checked to fit.
        var lo = courierCount, hi = pending.count
        if bundles(hi) <= courierCount { lo = hi }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if bundles(mid) <= courierCount { lo = mid } else { hi = mid - 1 }
        }
        return pending.prefix(lo).map { dispatchOrders[$0] }
    }

    // MARK: commitment

    /// Records the trip the Platform planned: the moves, the order outcomes, the assignment
    /// line; the courier is busy until the trip ends.
    func commit(_ a: DispatchAssignment, _ now: SimTime, _ s: inout Scheduler) {
        let c = a.courierID
        precondition(a.pickupAt <= offAt[c], "pickup after the courier's off time")
        precondition(a.departureAt >= max(now, freeAt[c]), "courier leaves before it is free")
        let r = a.restaurantID
        var list = moves[c]
        list.append(MDRPMove(
            departureTime: MDRPReplay.minutes(a.departureAt), origin: location[c], destination: .restaurant(r)))
        var leave = a.pickupAt + service.pickupOnDeparture
        var at = MDRPLocation.restaurant(r)
        let assignMinute = MDRPReplay.minutes(now), pickupMinute = MDRPReplay.minutes(a.pickupAt)
        for (k, o) in a.orderIDs.enumerated() {
            list.append(MDRPMove(departureTime: MDRPReplay.minutes(leave), origin: at, destination: .customer(o)))
            outcomes[o] = MDRPOrderOutcome(
                assignmentTime: assignMinute, pickupTime: pickupMinute,
                dropoffTime: MDRPReplay.minutes(a.dropoffAt[k]), courierIndex: c)
            leave = a.dropoffAt[k] + service.dropoffOnDeparture
            at = .customer(o)
        }
        precondition(leave == a.completionAt, "trip end disagrees with the Platform plan")
        moves[c] = list
        assignments.append(MDRPAssignmentRecord(
            assignmentTime: assignMinute, pickupTime: pickupMinute, courierIndex: c, orderIndices: a.orderIDs))
        freeAt[c] = a.completionAt
        location[c] = at
        position[c] = dispatchOrders[a.orderIDs[a.orderIDs.count - 1]].customerPosition
        if policy == .greedy { setIdle(c, false) }
        s.schedule(at: a.completionAt, kind: Kind.courierFree.rawValue, target: UInt32(c))
    }
}

/// Idle couriers from `base` that can still pick up an order ready at `readyAt`:
/// max(now + travel + pickup arrival service, readyAt) <= off time. Keeps `base`'s order
/// (distance, then id) and applies `limit` after filtering.
struct MDRPFeasibleCandidates<Base: CandidateSource>: CandidateSource {
    let base: Base
    let travel: PlanarTravelModel
    let now: SimTime
    let readyAt: SimTime
    let pickupOnArrival: SimTime
    let offAt: [SimTime]

    func candidates(near center: DispatchPosition, radiusMeters: Double, limit: Int, into result: inout [DispatchCandidate]) {
        base.candidates(near: center, radiusMeters: radiusMeters, limit: .max, into: &result)
        result.removeAll { c in
            max(now + travel.travelTime(from: c.position, to: center) + pickupOnArrival, readyAt) > offAt[c.courierID]
        }
        if result.count > limit { result.removeLast(result.count - limit) }
    }
}

/// The couriers of one batch that can reach the queried restaurant by their off time,
/// measured one by one (a batch holds at most a few hundred couriers).
struct MDRPBatchCandidates: CandidateSource {
    let couriers: [DispatchCourier]
    let offAt: [SimTime]
    let travel: PlanarTravelModel
    let now: SimTime
    let pickupOnArrival: SimTime

    func candidates(near center: DispatchPosition, radiusMeters: Double, limit: Int, into result: inout [DispatchCandidate]) {
        result.removeAll(keepingCapacity: true)
        for c in couriers {
            let d = travel.distanceMeters(from: c.position, to: center)
            guard d <= radiusMeters else { continue }
            let arrival = max(now, c.availableAt) + travel.travelTime(from: c.position, to: center) + pickupOnArrival
            guard arrival <= offAt[c.id] else { continue }
            result.append(DispatchCandidate(courierID: c.id, position: c.position, distanceMeters: d))
        }
        result.sort(by: DispatchCandidate.nearerFirst)
        if result.count > limit { result.removeLast(result.count - limit) }
    }
}
