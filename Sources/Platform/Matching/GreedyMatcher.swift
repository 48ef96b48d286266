/// Greedy nearest idle courier, order by order: Deliveroo's first dispatcher ("Louie",
/// closest free rider, replaced by "Frank" in 2017 as reported by the Irish Times) and the
/// usual FCFS baseline.
///
/// For one order (or bundle) at restaurant R it returns the courier with the earliest
/// arrival at R among the couriers the `CandidateSource` holds within `maxRadiusMeters`,
/// ties to the lower courier id; nil if there is none. All candidates are idle, so arrival
/// order is travel-time order.
///
/// Search: radius `initialRadiusMeters`, doubling (capped at `maxRadiusMeters`) until some
/// courier is found, `candidateLimit` nearest per query. That alone can miss a better
/// courier: with rounded travel times (MDRP's whole minutes) a courier just outside the
/// radius can tie on arrival and have a lower id, and a truncated answer can cut off tied
/// couriers. So once a best travel time T is known, the search is widened to
/// `travel.reachMeters(within: T)` (every courier that could arrive by T lies inside it) and
/// the limit is doubled while the last returned candidate could still tie. The result is
/// therefore exactly the brute-force optimum over all couriers within `maxRadiusMeters`
/// (tested), for any conforming source.
///
/// - Complexity: a few source queries per order, typically one or two.
public struct GreedyMatcher: Sendable {
    /// First search radius (default 1 km).
    public var initialRadiusMeters: Double
    /// Largest radius; couriers farther away are never offered (default 8 km).
    public var maxRadiusMeters: Double
    /// Nearest couriers fetched per query (default 16); grows on ties as needed.
    public var candidateLimit: Int
    public var service: ServiceDurations
    @usableFromInline var _buffer: [DispatchCandidate] = []

    @inlinable
    public init(
        initialRadiusMeters: Double = 1000, maxRadiusMeters: Double = 8000, candidateLimit: Int = 16,
        service: ServiceDurations = .zero
    ) {
        precondition(initialRadiusMeters > 0 && maxRadiusMeters >= initialRadiusMeters, "invalid radii")
        precondition(candidateLimit >= 1, "need at least one candidate")
        self.initialRadiusMeters = initialRadiusMeters
        self.maxRadiusMeters = maxRadiusMeters
        self.candidateLimit = candidateLimit
        self.service = service
    }

    /// The best courier for `order` alone, planned with `service`; nil if none in range.
    @inlinable
    public mutating func match<T: TravelModel, S: CandidateSource>(
        order: DispatchOrder, now: Instant, travel: T, candidates source: S
    ) -> DispatchAssignment? {
        guard let c = bestCourier(for: order.restaurantPosition, travel: travel, candidates: source) else { return nil }
        let bundle = DispatchBundle(sequence: [order], travel: travel, service: service)
        return DispatchAssignment(
            courier: DispatchCourier(id: c.courierID, position: c.position, availableAt: now),
            bundle: bundle, now: now, travel: travel)
    }

    /// The best courier for a prepared bundle (its own service durations apply).
    @inlinable
    public mutating func match<T: TravelModel, S: CandidateSource>(
        bundle: DispatchBundle, now: Instant, travel: T, candidates source: S
    ) -> DispatchAssignment? {
        guard let c = bestCourier(for: bundle.restaurantPosition, travel: travel, candidates: source) else { return nil }
        return DispatchAssignment(
            courier: DispatchCourier(id: c.courierID, position: c.position, availableAt: now),
            bundle: bundle, now: now, travel: travel)
    }

    /// The candidate with the smallest (travel time to `restaurant`, courier id) within
    /// `maxRadiusMeters`, or nil.
    @inlinable
    public mutating func bestCourier<T: TravelModel, S: CandidateSource>(
        for restaurant: DispatchPosition, travel: T, candidates source: S
    ) -> DispatchCandidate? {
        var radius = min(initialRadiusMeters, maxRadiusMeters)
        while true {
            source.candidates(near: restaurant, radiusMeters: radius, limit: candidateLimit, into: &_buffer)
            if !_buffer.isEmpty { break }
            if radius >= maxRadiusMeters { return nil }
            radius = min(radius * 2, maxRadiusMeters)
        }
        var (best, bestTime) = Self._best(_buffer, restaurant, travel)
        // Widen to every courier that could arrive no later than the best found.
        let needed = min(maxRadiusMeters, max(radius, travel.reachMeters(within: bestTime)))
        var limit = candidateLimit
        var truncatedTie = _buffer.count == limit
            && travel.travelTime(from: _buffer[_buffer.count - 1].position, to: restaurant) <= bestTime
        if needed > radius || truncatedTie {
            radius = needed
            while true {
                source.candidates(near: restaurant, radiusMeters: radius, limit: limit, into: &_buffer)
                (best, bestTime) = Self._best(_buffer, restaurant, travel)
                truncatedTie = _buffer.count == limit
                    && travel.travelTime(from: _buffer[_buffer.count - 1].position, to: restaurant) <= bestTime
                if !truncatedTie { break }
                limit = limit > Int.max / 2 ? Int.max : limit * 2
            }
        }
        return best
    }

    @inlinable
    static func _best<T: TravelModel>(
        _ list: [DispatchCandidate], _ restaurant: DispatchPosition, _ travel: T
    ) -> (DispatchCandidate, Nanoseconds) {
        var best = list[0]
        var bestTime = travel.travelTime(from: best.position, to: restaurant)
        for c in list.dropFirst() {
            let t = travel.travelTime(from: c.position, to: restaurant)
            if t < bestTime || (t == bestTime && c.courierID < best.courierID) {
                best = c
                bestTime = t
            }
        }
        return (best, bestTime)
    }
}
