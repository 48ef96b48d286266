extension BatchMatcher {
    /// Matches with candidates from `source`, each returned id resolved by `courier` (nil: not
    /// available, ignored). The outcome is that of `match(orders:couriers:now:travel:candidates:)`
    /// with `couriers` = every id `courier` resolves (same assignments, costs and unassigned
    /// orders), except `courierCount`, which counts only the couriers some bundle reaches.
    ///
    /// Only those couriers become columns: the solver drops a column no bundle reaches and keeps
    /// the others in id order (`LinearAssignmentSolver`), so leaving them out changes nothing but
    /// the work, which then follows the candidates rather than the couriers on the map (a
    /// matching part of a few orders in a city of 10⁴ idle couriers no longer lists and sorts
    /// them all). One search per restaurant: the bundles of one restaurant share its candidates.
    ///
    /// - Complexity: O(R·search + P log P) to collect (R restaurants, P candidate hits), then
    ///   `match`'s build and solve over the reached couriers.
    @inlinable
    public mutating func match<T: TravelModel, S: CandidateSource>(
        orders: [DispatchOrder], now: Instant, travel: T, candidates source: S, courier: (Int) -> DispatchCourier?
    ) -> BatchOutcome {
        let radius = policy.radiusMeters, limit = policy.candidateLimit
        var hits: [Int] = []
        var ranges: [_PositionKey: Range<Int>] = [:]
        var reached: [DispatchCourier] = []
        for o in orders {
            let key = _PositionKey(o.restaurantPosition)
            if ranges[key] != nil { continue }
            source.candidates(near: o.restaurantPosition, radiusMeters: radius, limit: limit, into: &_buffer)
            let first = hits.count
            for cand in _buffer {
                hits.append(cand.courierID)
                if let c = courier(cand.courierID) { reached.append(c) }
            }
            ranges[key] = first..<hits.count
        }
        // One column per courier: restaurants near each other share candidates.
        reached.sort { $0.id < $1.id }
        var unique = 0
        for j in reached.indices where unique == 0 || reached[unique - 1].id != reached[j].id {
            reached[unique] = reached[j]
            unique += 1
        }
        reached.removeLast(reached.count - unique)
        return _match(orders: orders, couriers: reached, now: now, travel: travel) { center, sorted, _, into in
            into.removeAll(keepingCapacity: true)
            // Every bundle's restaurant is one of its orders' (`DispatchBundle`), searched above.
            guard let r = ranges[_PositionKey(center)] else { preconditionFailure("a bundle's restaurant was not searched") }
            for id in hits[r] {
                if let k = Self._index(of: id, in: sorted) { into.append(k) }
            }
            into.sort()
        }
    }
}

/// A restaurant position as a dictionary key (its coordinates' bits): looked up, never
/// iterated.
@usableFromInline
struct _PositionKey: Hashable {
    @usableFromInline let x: UInt64, y: UInt64
    @inlinable init(_ p: DispatchPosition) {
        x = p.x.bitPattern
        y = p.y.bitPattern
    }
}
