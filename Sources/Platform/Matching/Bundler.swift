/// Groups open orders into same-restaurant bundles and sequences their drop-offs.
///
/// Rule (deterministic, independent of input order): orders are sorted by
/// (restaurant id, ready time, order id). Within a restaurant, the earliest-ready order not
/// yet bundled seeds a bundle; the following unbundled orders (same sort order) join while
/// their ready time is within `readyWindow` of the seed's, the bundle has fewer than
/// `maxOrders`, and (if set) the sequenced route still meets `maxRouteDuration`. The
/// result is sorted by each bundle's smallest order id. This is the "same restaurant,
/// close ready times" bundling of Grubhub's MDRP (Reyes et al. 2018, "The Meal Delivery
/// Routing Problem"), simplified to a greedy sweep.
public enum Bundler {
    /// Orders `orders` (one restaurant) into a drop-off sequence by `rule`.
    ///
    /// - Complexity: O(n^2) for nearest neighbour, O(n! * n) for exhaustive.
    @inlinable
    public static func sequence<T: TravelModel>(
        _ orders: [DispatchOrder], rule: DropOffSequencing, travel: T, service: ServiceDurations
    ) -> [DispatchOrder] {
        guard orders.count > 1 else { return orders }
        let byID = orders.sorted { $0.id < $1.id }
        let start = orders[0].restaurantPosition
        switch rule {
        case .nearestNeighbour:
            var rest = byID
            var out: [DispatchOrder] = []
            out.reserveCapacity(rest.count)
            var at = start
            while !rest.isEmpty {
                var best = 0
                var bestTime = travel.travelTime(from: at, to: rest[0].customerPosition)
                for i in 1..<rest.count {
                    let t = travel.travelTime(from: at, to: rest[i].customerPosition)
                    if t < bestTime { best = i; bestTime = t }  // strict: lower id keeps ties
                }
                at = rest[best].customerPosition
                out.append(rest.remove(at: best))
            }
            return out
        case .exhaustive:
            precondition(byID.count <= 8, "exhaustive sequencing is limited to 8 orders")
            let n = byID.count
            // legs[i][j]: customer i -> customer j; legs from the restaurant in `first`.
            var first = [Nanoseconds](repeating: 0, count: n)
            var legs = [Nanoseconds](repeating: 0, count: n * n)
            for i in 0..<n {
                first[i] = travel.travelTime(from: start, to: byID[i].customerPosition)
                for j in 0..<n where j != i {
                    legs[i * n + j] = travel.travelTime(from: byID[i].customerPosition, to: byID[j].customerPosition)
                }
            }
            // Service times add the same constant to every sequence, so the objective is
            // the sum of cumulative driving times at each hand-over.
            var perm = Array(0..<n)
            var best = perm
            var bestCost = Int64.max
            repeat {
                var cum = first[perm[0]]
                var total = cum
                for k in 1..<n {
                    cum += legs[perm[k - 1] * n + perm[k]]
                    total += cum
                }
                if total < bestCost { bestCost = total; best = perm }  // lexicographic order: first wins ties
            } while _nextPermutation(&perm)
            return best.map { byID[$0] }
        }
    }

    /// Forms bundles from `orders` under `policy` (see the type's rule; `BundleRule.oldestFirst`:
    /// `makeOldestFirstBundles`).
    ///
    /// - Complexity: O(n log n) plus sequencing work per tentative bundle.
    @inlinable
    public static func makeBundles<T: TravelModel>(
        orders: [DispatchOrder], policy: BundlingPolicy, travel: T, service: ServiceDurations
    ) -> [DispatchBundle] {
        if policy.rule == .oldestFirst {
            return makeOldestFirstBundles(orders: orders, policy: policy, travel: travel, service: service)
        }
        let sorted = orders.sorted {
            ($0.restaurantID, $0.readyAt, $0.id) < ($1.restaurantID, $1.readyAt, $1.id)
        }
        return _bundlesByRestaurant(sorted) { s, group, used in
            var members = [sorted[s]]
            var t = s + 1
            while policy.maxOrders > 1 && t < group.upperBound && members.count < policy.maxOrders {
                if sorted[t].readyAt - sorted[s].readyAt > policy.readyWindow { break }
                if !used[t] {
                    var fits = true
                    if let limit = policy.maxRouteDuration {
                        let trial = sequence(members + [sorted[t]], rule: policy.sequencing, travel: travel, service: service)
                        let b = DispatchBundle(sequence: trial, travel: travel, service: service)
                        fits = b.dropoffOffsets[b.dropoffOffsets.count - 1] <= limit
                    }
                    if fits {
                        members.append(sorted[t])
                        used[t] = true
                    }
                }
                t += 1
            }
            let seq = sequence(members, rule: policy.sequencing, travel: travel, service: service)
            return DispatchBundle(sequence: seq, travel: travel, service: service)
        }
    }

    /// The walk both bundle rules share: `sorted` (sorted by restaurant id first) is cut into
    /// one group per restaurant; within a group, each order not yet bundled, in sorted order,
    /// seeds a bundle that `seedBundle` forms from it (given the seed's index, its group's
    /// range and the marks of bundled orders, which it sets for the joiners it takes). The
    /// result is sorted by each bundle's smallest order id, so it does not depend on the
    /// input order.
    ///
    /// - Complexity: O(n log n) plus `seedBundle`'s work.
    @inlinable
    static func _bundlesByRestaurant(
        _ sorted: [DispatchOrder], seedBundle: (_ seed: Int, _ group: Range<Int>, _ used: inout [Bool]) -> DispatchBundle
    ) -> [DispatchBundle] {
        var used = [Bool](repeating: false, count: sorted.count)
        var bundles: [DispatchBundle] = []
        bundles.reserveCapacity(sorted.count)
        var groupStart = 0
        while groupStart < sorted.count {
            var groupEnd = groupStart + 1
            while groupEnd < sorted.count && sorted[groupEnd].restaurantID == sorted[groupStart].restaurantID {
                groupEnd += 1
            }
            for s in groupStart..<groupEnd where !used[s] {
                used[s] = true
                bundles.append(seedBundle(s, groupStart..<groupEnd, &used))
            }
            groupStart = groupEnd
        }
        bundles.sort { $0.smallestOrderID < $1.smallestOrderID }
        return bundles
    }

    /// Classic next lexicographic permutation; false after the last one.
    @inlinable
    static func _nextPermutation(_ a: inout [Int]) -> Bool {
        var i = a.count - 2
        while i >= 0 && a[i] >= a[i + 1] { i -= 1 }
        if i < 0 { return false }
        var j = a.count - 1
        while a[j] <= a[i] { j -= 1 }
        a.swapAt(i, j)
        a[(i + 1)...].reverse()
        return true
    }
}
