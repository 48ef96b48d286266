import DequeModule
import Platform
import Scenario
import SimCore

/// Matching (see README.md in this folder): per city the open orders, the periodic batch run
/// or greedy matching per order (Platform `BatchMatcher`, `GreedyMatcher`) on the couriers of
/// the city's geo index, and the cancellation of orders left unmatched. Owns its matchers,
/// open lists, cancellation queues, its events and counters; reads `Orders` and `Couriers`,
/// and cancels orders in `Orders`.
///
/// A batch run is a request to matching_service (the caller's): `handle` says when one is
/// due, the caller submits it, and when its CPU is done calls `runBatch`. What an assignment
/// leads to (the courier's trip, status writes) is the caller's too: the matchers return the
/// assignments.
final class Matching {
    enum Kind: UInt32 { case tick, cancelCheck }

    private struct City {
        var open: [Int] = []
        var matchPending = false
        /// Orders to cancel if still unmatched, in placement order: the deadlines are placement
        /// + `cancel_after`, so they are sorted, and one pending event per city serves them all.
        var cancelQueue = Deque<(slot: Int32, id: Int, deadline: SimTime)>()
        var cancelScheduled = false
        /// `matching.split`: the current run's parts (order slots and ids, `CellSplit`) and
        /// how many of their runs have not ended.
        var parts: [[(slot: Int, id: Int)]] = []
        var partsLeft = 0
    }

    private let config: PlatformConfig
    private let orders: Orders
    private let couriers: Couriers
    private let demand: Demand
    private var cities: [City] = []
    private var batchMatchers: [BatchMatcher] = []
    private var greedy: GreedyMatcher
    private let travel: HaversineTravelModel
    private var dispatchOrders: [DispatchOrder] = []
    private var nearest: [DispatchCandidate] = []
    /// During one batch run's release checks (`releaseChecks`), the hold's nearest idle
    /// courier per restaurant: the geo index does not change between the checks, so the orders
    /// of one restaurant (one cell, so one part) share one search. Looked up, never iterated.
    private var nearestByRestaurant: [Int32: DispatchCandidate?] = [:]
    private var releaseChecks = false
    /// Per city, per restaurant: the courier the hold's last full search found nearest (-1:
    /// none yet, or none in range). While that courier is still in the index within the
    /// search radius and its trip still arrives before the food, an order of the restaurant
    /// stays held without a search (`heldByLastNearest`).
    private var lastNearest: [[Int32]] = []
    /// The hold's nearest-courier searches made, and those `heldByLastNearest` made
    /// unnecessary (tests, benchmarks).
    private(set) var holdSearches = 0, holdSearchesSkipped = 0
    /// Tests: search for every held order, as before `heldByLastNearest` (same outcome).
    var searchesEveryHeldOrder = false
    /// `matching.expand` (nil: off): the widened radii of orders left unmatched.
    private var expanding: ExpandingSearch?
    /// Orders matched by a widened radius (`matching.expand`), after declines.
    private(set) var expanded = 0
    private(set) var matchRuns = 0
    /// Offers declined by the courier (`couriers.decline_share`); each order stays open.
    private(set) var declined = 0
    /// `matching.split`: runs split, their parts, orders and the largest part's orders summed over runs.
    private(set) var splitRuns = 0, splitParts = 0, splitUnits = 0, splitMaxPartUnits = 0
    /// Per city: the offers' decline draws (one stream per region).
    private let declineStreams: [RandomStream]
    /// The pick-up service before the courier is at the counter (part of the arrival).
    private let pickupOnArrival: SimTime
    /// The longest travel within the matching radius, plus `pickupOnArrival`: no candidate
    /// arrives later, so an order is never released before ready − this − margin.
    private let maxTravel: SimTime
    /// How far the dispatch hold looks for the nearest idle courier: the matching radius, or
    /// `matching.expand`'s widest radius (an order whose nearest courier is beyond the base
    /// radius is then released early enough for that courier's longer trip).
    private let holdSearchRadius: Double
    /// `matching.dispatch_hold.offer_to_estimate`: per order slot, how far back its expanding
    /// search's clock is set at its release (the wait that widens the radius to the courier
    /// the hold's estimate used).
    private var holdHeadStart: [SimTime] = []

    init(config: PlatformConfig, orders: Orders, couriers: Couriers, demand: Demand, seeder: StreamSeeder) {
        self.config = config
        self.orders = orders
        self.couriers = couriers
        self.demand = demand
        travel = HaversineTravelModel(metersPerSecond: config.courierSpeed)
        let service = ServiceDurations(pickup: config.pickupService, dropoff: config.dropoffService)
        pickupOnArrival = service.pickupOnArrival
        // With `matching.expand` a courier may come from as far as its widest radius.
        let expands = config.expand.enabled && config.matchingPolicy != .greedy
        holdSearchRadius = expands ? max(config.matchingRadius, config.expand.maxRadius) : config.matchingRadius
        maxTravel = SimUnit.fromSeconds(holdSearchRadius / max(1e-9, config.courierSpeed)) + service.pickupOnArrival
        // `matching.dispatch_hold.bundling: oldest_first` (with the hold only): no order in a
        // bundle is handed over later because of a younger one (Platform `BundleRule`).
        let bundling = config.bundleSize > 1
            ? BundlingPolicy(maxOrders: config.bundleSize, readyWindow: config.bundleReadyWindow,
                             sequencing: config.bundleSize <= 8 ? .exhaustive : .nearestNeighbour,
                             rule: config.holdEnabled && config.holdBundlesOldestFirst ? .oldestFirst : .readyWindow) : .off
        // `matching.candidates`: the k nearest idle couriers per bundle (Platform's
        // `BatchPolicy.candidateLimit`; the geo index answers GEOSEARCH ... ASC, cut to k).
        let policy = BatchPolicy(interval: config.matchingInterval, radiusMeters: config.matchingRadius,
                                 candidateLimit: config.matchingCandidates, service: service, bundling: bundling)
        greedy = GreedyMatcher(initialRadiusMeters: min(1000, max(1, config.matchingRadius)), maxRadiusMeters: max(1, config.matchingRadius),
                               candidateLimit: config.matchingCandidates == .max ? 16 : config.matchingCandidates, service: service)
        batchMatchers = config.regions.map { _ in BatchMatcher(policy: policy) }
        if expands { expanding = ExpandingSearch(config.expand, policy: policy) }
        cities = Array(repeating: City(), count: config.regions.count)
        lastNearest = Array(repeating: [], count: config.regions.count)
        declineStreams = config.regions.map { seeder.stream("declines.\($0.name)") }
    }

    /// The candidate limit of the batch matchers (`Int.max`: every courier in the radius).
    var candidateLimit: Int { batchMatchers.first?.policy.candidateLimit ?? .max }
    /// The batch matchers' bundling window (`matching.bundle_ready_window`).
    var bundleReadyWindow: SimTime { batchMatchers.first?.policy.bundling.readyWindow ?? 0 }
    /// The batch matchers' bundle rule (`matching.dispatch_hold.bundling`).
    var bundleRule: BundleRule { batchMatchers.first?.policy.bundling.rule ?? .readyWindow }

    var isGreedy: Bool { config.matchingPolicy == .greedy }

    /// City `c`'s first tick.
    func start(city c: Int, _ s: inout Scheduler) {
        s.schedule(at: config.matchingInterval, kind: ComponentID.matching.kind(Kind.tick.rawValue), target: UInt32(c))
    }

    /// What one of this component's events leaves for the caller.
    enum Due {
        case none
        /// City `city`'s tick: a batch run of `units` (open orders) is due, or none (0: no
        /// open orders, or a run still in progress). The caller submits the run, then calls
        /// `scheduleTick`.
        case tick(city: Int, units: Int)
    }

    /// One of this component's events; a cancellation check is handled here.
    func handle(_ e: Event, _ s: inout Scheduler) -> Due {
        let c = Int(e.target)
        switch Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped {
        case .tick:
            guard !cities[c].open.isEmpty, !cities[c].matchPending else { return .tick(city: c, units: 0) }
            // Held orders are not in the batch (matching_service works on the released ones).
            let units = config.holdEnabled ? cities[c].open.reduce(0) { $0 + (mayRelease($1, s.now) ? 1 : 0) } : cities[c].open.count
            guard units > 0 else { return .tick(city: c, units: 0) }
            matchRuns += 1
            cities[c].matchPending = true
            return .tick(city: c, units: units)
        case .cancelCheck:
            cancelDue(c, &s)
            return .none
        }
    }

    func scheduleTick(city c: Int, _ s: inout Scheduler) {
        s.schedule(after: config.matchingInterval, kind: ComponentID.matching.kind(Kind.tick.rawValue), target: UInt32(c))
    }

    /// The batch run of city `c` ended (answered or failed): the next tick may start one.
    func batchEnded(city c: Int) {
        cities[c].partsLeft = max(0, cities[c].partsLeft - 1)
        if cities[c].partsLeft == 0 { cities[c].matchPending = false }
    }

    /// `matching.split: by_cell`: city `c`'s due run (its open orders that may be released at
    /// `now`) split by their restaurants' cells into at most `n` parts (`CellSplit`), one per
    /// replica; returns each part's order count (a request each, whose end is `batchEnded`).
    func split(city c: Int, into n: Int, now: SimTime) -> [Int] {
        let due = cities[c].open.filter { orders[$0].state == .pending && mayRelease($0, now) }
        let parts = CellSplit.split(due.map { (id: $0, cell: CellSplit.cell(demand.restaurant(city: c, Int(orders[$0].restaurant)))) }, into: n)
        cities[c].parts = parts.map { part in part.map { (slot: $0, id: orders[$0].id) } }
        cities[c].partsLeft = parts.count
        cities[c].matchPending = !parts.isEmpty
        splitRuns += 1
        splitParts += parts.count
        splitUnits += due.count
        splitMaxPartUnits += parts.map(\.count).max() ?? 0
        return parts.map(\.count)
    }

    /// Order `o`'s record was consumed while it is pending: it is open for matching.
    func open(city c: Int, _ o: Int) { cities[c].open.append(o) }

    /// The batch run on city `c`'s open orders and matchable couriers at `now`: the
    /// assignments (empty when either side is empty).
    func runBatch(city c: Int, part: Int = -1, now: SimTime) -> [DispatchAssignment] {
        dispatchOrders.removeAll(keepingCapacity: true)
        nearestByRestaurant.removeAll(keepingCapacity: true)
        releaseChecks = true
        if part >= 0 && part < cities[c].parts.count {
            // The part's own orders (a slot reused since the split holds another order: skipped).
            for (o, id) in cities[c].parts[part] where orders[o].id == id && orders[o].state == .pending && released(c, o, now) {
                dispatchOrders.append(dispatchOrder(c, o))
            }
        } else {
            for o in cities[c].open where orders[o].state == .pending && released(c, o, now) { dispatchOrders.append(dispatchOrder(c, o)) }
        }
        releaseChecks = false
        let available = couriers.matchableCount(city: c)
        guard !dispatchOrders.isEmpty, available > 0 else { return [] }
        // The matcher resolves only the couriers its searches return (not every idle courier
        // of the city): the same assignments, with work that follows the part's orders.
        let matchable = { [couriers] (k: Int) in couriers.matchable(k, city: c, now: now) }
        var assignments = batchMatchers[c].match(orders: dispatchOrders, now: now, travel: travel,
                                                 candidates: couriers.source(city: c), courier: matchable).assignments
        // The widened radii take the orders and couriers the base run left (a courier that
        // declines an offer is not offered another in the same run).
        var wider = expanding?.match(open: dispatchOrders, offeredAt: { self.orders[$0].offeredAt - self.headStart($0) }, courier: matchable,
                                     available: available, taken: assignments, now: now, travel: travel,
                                     candidates: couriers.source(city: c)) ?? []
        if config.declineShare > 0 {
            assignments.removeAll { _ in declines(c) }
            wider.removeAll { _ in declines(c) }
        }
        for a in wider { expanded += a.orderIDs.count }
        return assignments + wider
    }

    // MARK: dispatch hold and declines

    /// The courier declines the offer (`couriers.decline_share`): one draw per offer, in the
    /// matcher's order of assignments.
    private func declines(_ c: Int) -> Bool {
        guard declineStreams[c].uniform() < config.declineShare else { return false }
        declined += 1
        return true
    }

    /// Whether order `o` may be released at `now` by any candidate: the latest possible
    /// arrival (a courier at the radius) is within `margin` of the food being ready.
    @inline(__always) private func mayRelease(_ o: Int, _ now: SimTime) -> Bool {
        !config.holdEnabled || now >= earliestRelease(o)
    }

    /// ready − (travel across the radius, `matching.expand`'s widest with it, + pick-up on
    /// arrival) − margin.
    @inline(__always) private func earliestRelease(_ o: Int) -> SimTime {
        orders[o].readyAt - maxTravel - config.holdMargin
    }

    /// Dispatch hold (DoorDash, "Next-Generation Optimization for Dasher Dispatch", 2020:
    /// the dispatcher delays the offer so the Dasher reaches the store as the food is ready):
    /// order `o` is offered from ready − estimated travel − margin, the estimate being the
    /// nearest idle courier's travel in the geo index (the radius when there is none). Off:
    /// every open order is offered. A released order stays released.
    private func released(_ c: Int, _ o: Int, _ now: SimTime) -> Bool {
        guard config.holdEnabled else { return true }
        // Once offered, an order stays offered until matched: a dispatcher does not withdraw
        // an offer because a nearer courier appeared (re-estimating every run would hold a
        // released order back again, its matching delay running meanwhile).
        if orders[o].released { return true }
        guard now >= earliestRelease(o) else { return false }
        let ord = orders[o]
        let at = demand.restaurant(city: c, Int(ord.restaurant))
        if !searchesEveryHeldOrder && heldByLastNearest(c, Int(ord.restaurant), at, readyAt: ord.readyAt, now: now) {
            holdSearchesSkipped += 1
            return false
        }
        let first: DispatchCandidate?
        if releaseChecks, let known = nearestByRestaurant[ord.restaurant] {
            first = known
        } else {
            couriers.source(city: c).candidates(near: at, radiusMeters: holdSearchRadius, limit: 1, into: &nearest)
            holdSearches += 1
            first = nearest.first
            if releaseChecks { nearestByRestaurant[ord.restaurant] = first }
            remember(first, city: c, restaurant: Int(ord.restaurant))
        }
        let estimate = first.map { travel.travelTime(from: $0.position, to: at) + pickupOnArrival } ?? (maxTravel)
        guard now >= ord.readyAt - estimate - config.holdMargin else { return false }
        orders.release(o, at: now)
        if config.holdOffersToEstimate, let e = expanding {
            // Offered at once as far as the courier the estimate used (the hold timed the
            // order for that courier; widening from the base radius would cost a step per
            // `after` of it).
            if o >= holdHeadStart.count { holdHeadStart += Array(repeating: 0, count: o + 1 - holdHeadStart.count) }
            holdHeadStart[o] = first.map { e.wait(toReach: $0.distanceMeters) } ?? 0
        }
        return true
    }

    /// Whether an order of restaurant `r` (at `at`, food ready at `readyAt`) is certainly
    /// still held at `now`, without a search: the courier the restaurant's last search found
    /// nearest is still in the geo index within the search radius, and from where the index
    /// has it now it would reach the counter more than `margin` before the food is ready. The
    /// nearest member now is no farther (the index orders by the same Redis haversine the
    /// travel model uses, bit for bit), so its estimate is no longer and the search would hold
    /// the order too. Saves most of the hold's searches: an order waits through many runs.
    @inline(__always)
    private func heldByLastNearest(_ c: Int, _ r: Int, _ at: DispatchPosition, readyAt: SimTime, now: SimTime) -> Bool {
        guard r < lastNearest[c].count else { return false }
        let k = lastNearest[c][r]
        guard k >= 0, let p = couriers.source(city: c).index.position(of: Int(k)) else { return false }
        let from = DispatchPosition(x: p.longitude, y: p.latitude)
        // Well inside the radius, so the search would reach it (or a nearer member).
        guard travel.distanceMeters(from: from, to: at) <= holdSearchRadius * (1 - 1e-6) else { return false }
        return now < readyAt - (travel.travelTime(from: from, to: at) + pickupOnArrival) - config.holdMargin
    }

    private func remember(_ first: DispatchCandidate?, city c: Int, restaurant r: Int) {
        if r >= lastNearest[c].count { lastNearest[c] += Array(repeating: -1, count: r + 1 - lastNearest[c].count) }
        lastNearest[c][r] = first.map { Int32(truncatingIfNeeded: $0.courierID) } ?? -1
    }

    @inline(__always) private func headStart(_ o: Int) -> SimTime { o < holdHeadStart.count ? holdHeadStart[o] : 0 }

    /// After the caller applied `runBatch`'s assignments: drops the orders no longer pending.
    func pruneOpen(city c: Int) {
        cities[c].open.removeAll { orders[$0].state != .pending }
    }

    /// City `c`'s open orders (the greedy policy retries each at a run).
    func openOrders(city c: Int) -> [Int] { cities[c].open }

    /// Greedy matching of order `o`; on a match, the order leaves the open list.
    func greedyMatch(city c: Int, _ o: Int, now: SimTime) -> DispatchAssignment? {
        guard released(c, o, now),
              let a = greedy.match(order: dispatchOrder(c, o), now: now, travel: travel, candidates: couriers.source(city: c)) else { return nil }
        if config.declineShare > 0 && declines(c) { return nil }
        return a
    }

    /// Removes order `o` from city `c`'s open list (after `greedyMatch` matched it).
    func close(city c: Int, _ o: Int) {
        if let i = cities[c].open.firstIndex(of: o) { cities[c].open.remove(at: i) }
    }

    private func dispatchOrder(_ c: Int, _ o: Int) -> DispatchOrder {
        let ord = orders[o]
        return DispatchOrder(id: o, restaurantID: Int(ord.restaurant), restaurantPosition: demand.restaurant(city: c, Int(ord.restaurant)),
                             customerPosition: ord.customer, placedAt: ord.placedAt, readyAt: ord.readyAt)
    }

    // MARK: cancellations

    /// Order `o` (placed now) is cancelled `cancel_after` from now if still unmatched.
    func scheduleCancel(city c: Int, slot o: Int, _ s: inout Scheduler) {
        cities[c].cancelQueue.append((Int32(o), orders[o].id, s.now + config.cancelAfter))
        if !cities[c].cancelScheduled {
            cities[c].cancelScheduled = true
            s.schedule(at: s.now + config.cancelAfter, kind: ComponentID.matching.kind(Kind.cancelCheck.rawValue), target: UInt32(c))
        }
    }

    /// Cancels the city's orders whose deadline has come and that are still unmatched, then
    /// waits for the next deadline.
    private func cancelDue(_ c: Int, _ s: inout Scheduler) {
        while let head = cities[c].cancelQueue.first, head.deadline <= s.now {
            cities[c].cancelQueue.removeFirst()
            let o = Int(head.slot)
            guard orders[o].id == head.id && orders[o].state == .pending else { continue }
            if config.holdEnabled {
                // A held order's wait for a courier starts at its earliest release: re-queued
                // (sorted by deadline, after equal deadlines) when that is later.
                let deadline = earliestRelease(o) + config.cancelAfter
                if deadline > s.now {
                    var lo = 0, hi = cities[c].cancelQueue.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if cities[c].cancelQueue[mid].deadline <= deadline { lo = mid + 1 } else { hi = mid }
                    }
                    cities[c].cancelQueue.insert((head.slot, head.id, deadline), at: lo)
                    continue
                }
            }
            orders.cancel(o)
            close(city: c, o)
            orders.releaseIfDone(o)
        }
        if let head = cities[c].cancelQueue.first {
            s.schedule(at: head.deadline, kind: ComponentID.matching.kind(Kind.cancelCheck.rawValue), target: UInt32(c))
        } else {
            cities[c].cancelScheduled = false
        }
    }
}
