/// Batched assignment: every `policy.interval`, collect open orders and available couriers,
/// optionally bundle the orders, and match bundles to couriers by an exact min-cost
/// maximum-cardinality bipartite assignment (DoorDash's dispatcher before its 2020 rewrite, DoorDash
/// engineering blog "Next-Generation Optimization for Dasher Dispatch at DoorDash", 2020; FoodMatch,
/// IIT Delhi and Swiggy, ICDE 2021, github idea-iitd/FoodMatch; Uber rides, per Uber's
/// marketplace matching page).
///
/// Steps of `match`:
/// 1. `Bundler.makeBundles` (one bundle per order when bundling is off); rows = bundles
///    sorted by smallest order id.
/// 2. Candidates per bundle: couriers within `radiusMeters` of the restaurant, the nearest
///    `candidateLimit` (ties by id), either from a `CandidateSource` or by measuring every
///    courier. Other pairs are forbidden.
/// 3. Columns = couriers sorted by id (unreachable ones drop out in the solver). Cost of a pair =
///    `CostWeights.pairCost` with arrival = max(now, availableAt) + travel + pickup-arrival
///    service.
/// 4. `LinearAssignmentSolver`: most matches first, then least total cost; its documented
///    tie rule applied to the id-sorted matrix makes the outcome independent of input order.
/// 5. Each matched pair is planned into a `DispatchAssignment`.
///
/// - Complexity: O(B log B + P) to build (B bundles, P candidate pairs) plus the solver's
///   O(r^2 c), r = min(B, C), c = max(B, C).
public struct BatchMatcher: Sendable {
    public var policy: BatchPolicy
    @usableFromInline var _solver = LinearAssignmentSolver()
    @usableFromInline var _buffer: [DispatchCandidate] = []
    @usableFromInline var _edges: [LinearAssignmentEdge] = []
    @usableFromInline var _columns: [Int] = []

    @inlinable
    public init(policy: BatchPolicy = BatchPolicy()) {
        self.policy = policy
    }

    /// The first batch instant strictly after `now` on the grid of multiples of the interval
    /// (so runs stay aligned whatever instant the caller starts from).
    @inlinable
    public func nextRun(after now: Instant) -> Instant {
        let i = policy.interval
        let q = now >= 0 ? now / i : -((-now + i - 1) / i)  // floor division
        return (q + 1) * i
    }

    /// Matches with candidates found by measuring every courier (no index needed).
    ///
    /// - Precondition: order ids and courier ids are unique.
    @inlinable
    public mutating func match<T: TravelModel>(
        orders: [DispatchOrder], couriers: [DispatchCourier], now: Instant, travel: T
    ) -> BatchOutcome {
        let radius = policy.radiusMeters, limit = policy.candidateLimit
        return _match(orders: orders, couriers: couriers, now: now, travel: travel) { center, sorted, buffer, into in
            into.removeAll(keepingCapacity: true)
            if limit >= sorted.count {
                for (k, c) in sorted.enumerated() where travel.distanceMeters(from: center, to: c.position) <= radius {
                    into.append(k)
                }
                return
            }
            buffer.removeAll(keepingCapacity: true)
            for (k, c) in sorted.enumerated() {
                let d = travel.distanceMeters(from: center, to: c.position)
                // courierID holds the index here: ids and indices sort alike.
                if d <= radius { buffer.append(DispatchCandidate(courierID: k, position: c.position, distanceMeters: d)) }
            }
            if buffer.count > limit {
                buffer.sort(by: DispatchCandidate.nearerFirst)
                buffer.removeLast(buffer.count - limit)
            }
            for cand in buffer { into.append(cand.courierID) }
            into.sort()
        }
    }

    /// Matches with candidates from `source` (for example the geo index of idle couriers).
    /// Returned ids that are not in `couriers` are ignored; the courier's position from
    /// `couriers` is used for travel times.
    ///
    /// - Precondition: order ids and courier ids are unique.
    @inlinable
    public mutating func match<T: TravelModel, S: CandidateSource>(
        orders: [DispatchOrder], couriers: [DispatchCourier], now: Instant, travel: T, candidates source: S
    ) -> BatchOutcome {
        let radius = policy.radiusMeters, limit = policy.candidateLimit
        return _match(orders: orders, couriers: couriers, now: now, travel: travel) { center, sorted, buffer, into in
            source.candidates(near: center, radiusMeters: radius, limit: limit, into: &buffer)
            into.removeAll(keepingCapacity: true)
            for cand in buffer {
                if let k = Self._index(of: cand.courierID, in: sorted) { into.append(k) }
            }
            into.sort()
        }
    }

    @inlinable
    mutating func _match<T: TravelModel>(
        orders: [DispatchOrder], couriers: [DispatchCourier], now: Instant, travel: T,
        candidates: (DispatchPosition, [DispatchCourier], inout [DispatchCandidate], inout [Int]) -> Void
    ) -> BatchOutcome {
        var ids = orders.map(\.id)
        ids.sort()
        for k in ids.indices.dropFirst() { precondition(ids[k - 1] != ids[k], "order ids must be unique") }
        let bundles = Bundler.makeBundles(
            orders: orders, policy: policy.bundling, travel: travel, service: policy.service)
        let sorted = couriers.sorted { $0.id < $1.id }
        for k in sorted.indices.dropFirst() {
            precondition(sorted[k - 1].id != sorted[k].id, "courier ids must be unique")
        }
        // Candidate pairs per bundle; column = index in the id-sorted courier list (the
        // solver ignores couriers nobody can reach).
        _edges.removeAll(keepingCapacity: true)
        for (row, b) in bundles.enumerated() {
            candidates(b.restaurantPosition, sorted, &_buffer, &_columns)  // ascending courier index
            for k in _columns {
                let c = sorted[k]
                let arrival = max(now, c.availableAt) + travel.travelTime(from: c.position, to: b.restaurantPosition)
                    + b.service.pickupOnArrival
                _edges.append(LinearAssignmentEdge(row: row, column: k, cost: policy.weights.pairCost(arrivalAt: arrival, bundle: b)))
            }
        }
        let solution = _solver.solve(rows: bundles.count, columns: sorted.count, edges: _edges)
        var assignments: [DispatchAssignment] = []
        var costs: [Int64] = []
        var unassigned: [Int] = []
        for (row, b) in bundles.enumerated() {
            let col = solution.columnForRow[row]
            if col < 0 {
                for o in b.orders { unassigned.append(o.id) }
                continue
            }
            let courier = sorted[col]
            assignments.append(DispatchAssignment(courier: courier, bundle: b, now: now, travel: travel))
            let arrival = max(now, courier.availableAt) + travel.travelTime(from: courier.position, to: b.restaurantPosition)
                + b.service.pickupOnArrival
            costs.append(policy.weights.pairCost(arrivalAt: arrival, bundle: b))
        }
        unassigned.sort()
        return BatchOutcome(
            assignments: assignments, assignmentCosts: costs, unassignedOrderIDs: unassigned,
            totalCost: solution.totalCost, bundleCount: bundles.count, courierCount: sorted.count, allowedPairs: _edges.count)
    }

    @inlinable
    static func _index(of id: Int, in sorted: [DispatchCourier]) -> Int? {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].id < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo].id == id ? lo : nil
    }
}
