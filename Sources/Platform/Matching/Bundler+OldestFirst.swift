extension Bundler {
    /// Bundles under `BundleRule.oldestFirst` (see its rule): orders sorted by (restaurant id,
    /// placement time, order id); within a restaurant the oldest unbundled order seeds a
    /// bundle and the younger unbundled ones are tried in that order, each joining at the end
    /// of the drop-off sequence when it meets the rule (and `maxRouteDuration`, if set) and the
    /// bundle has fewer than `maxOrders`. The result is sorted by each bundle's smallest order
    /// id, so it does not depend on the input order.
    ///
    /// Hand-over offsets from the pick-up are `DispatchBundle`'s: the seed's is
    /// pickupOnDeparture + travel(restaurant, seed) + dropoffOnArrival, each next one the
    /// previous + dropoffOnDeparture + travel(previous customer, it) + dropoffOnArrival. Both
    /// conditions compare offsets from the same pick-up, so they hold for every courier.
    ///
    /// - Complexity: O(n log n) plus one travel-time evaluation per tried pair of a restaurant.
    @inlinable
    public static func makeOldestFirstBundles<T: TravelModel>(
        orders: [DispatchOrder], policy: BundlingPolicy, travel: T, service: ServiceDurations
    ) -> [DispatchBundle] {
        let sorted = orders.sorted {
            ($0.restaurantID, $0.placedAt, $0.id) < ($1.restaurantID, $1.placedAt, $1.id)
        }
        return _bundlesByRestaurant(sorted) { s, group, used in
            let seed = sorted[s]
            var members = [seed]
            let seedOffset = service.pickupOnDeparture + travel.travelTime(from: seed.restaurantPosition, to: seed.customerPosition)
                + service.dropoffOnArrival
            var lastOffset = seedOffset
            var at = seed.customerPosition
            for t in (s + 1)..<group.upperBound where !used[t] {
                if members.count >= policy.maxOrders { break }
                let o = sorted[t]
                // 1. Ready no later than the seed (the pick-up stays the seed's), within the window.
                guard o.readyAt <= seed.readyAt && seed.readyAt - o.readyAt <= policy.readyWindow else { continue }
                // 2. Handed over last: its added time from the seed's hand-over is at most how
                // much younger it is.
                let offset = lastOffset + service.dropoffOnDeparture + travel.travelTime(from: at, to: o.customerPosition)
                    + service.dropoffOnArrival
                guard offset - seedOffset <= o.placedAt - seed.placedAt else { continue }
                if let limit = policy.maxRouteDuration, offset > limit { continue }
                members.append(o)
                used[t] = true
                lastOffset = offset
                at = o.customerPosition
            }
            return DispatchBundle(sequence: members, travel: travel, service: service)
        }
    }
}
