import Testing
import Platform

@Suite struct BatchMatcherTests {
    /// Pair cost recomputed from scratch by simulating the trip (CostWeights formula).
    static func pairCost<T: TravelModel>(_ c: DispatchCourier, _ b: DispatchBundle, now: Instant, travel: T,
                                         service s: ServiceDurations, weights w: CostWeights) -> Int64 {
        let arrival = max(now, c.availableAt) + travel.travelTime(from: c.position, to: b.orders[0].restaurantPosition) + s.pickupOnArrival
        let pickup = max(arrival, b.orders.map(\.readyAt).max()!)
        var food: Int64 = 0, delivery: Int64 = 0
        var t = pickup + s.pickupOnDeparture
        var at = b.orders[0].restaurantPosition
        for (i, o) in b.orders.enumerated() {
            food += pickup - o.readyAt
            if i > 0 { t += s.dropoffOnDeparture }
            t += travel.travelTime(from: at, to: o.customerPosition) + s.dropoffOnArrival
            delivery += t - pickup
            at = o.customerPosition
        }
        return (w.foodWaitingPerMille * food + w.courierWaitingPerMille * (pickup - arrival) + w.deliveryPerMille * delivery) / 1000
    }

    /// Every matching of bundles to couriers over allowed pairs (radius + nearest-limit).
    static func bruteForce<T: TravelModel>(_ bundles: [DispatchBundle], _ couriers: [DispatchCourier], now: Instant,
                                           travel: T, policy: BatchPolicy) -> (count: Int, cost: Int64) {
        var allowed: [[Int64?]] = []
        for b in bundles {
            let r = b.orders[0].restaurantPosition
            let near = couriers.map { (travel.distanceMeters(from: r, to: $0.position), $0.id) }
                .filter { $0.0 <= policy.radiusMeters }.sorted { $0 < $1 }.prefix(policy.candidateLimit).map(\.1)
            allowed.append(couriers.map { c in
                near.contains(c.id) ? pairCost(c, b, now: now, travel: travel, service: policy.service, weights: policy.weights) : nil
            })
        }
        var used = [Bool](repeating: false, count: couriers.count)
        var best = (count: 0, cost: Int64(0))
        func visit(_ i: Int, _ n: Int, _ cost: Int64) {
            if i == bundles.count {
                if n > best.count || (n == best.count && cost < best.cost) { best = (n, cost) }
                return
            }
            visit(i + 1, n, cost)
            for j in couriers.indices where !used[j] {
                if let c = allowed[i][j] { used[j] = true; visit(i + 1, n + 1, cost + c); used[j] = false }
            }
        }
        visit(0, 0, 0)
        return best
    }

    static func checkConsistent<T: TravelModel>(_ out: BatchOutcome, orders: [DispatchOrder], couriers: [DispatchCourier],
                                                now: Instant, travel: T, policy: BatchPolicy) {
        var orderIDs = out.unassignedOrderIDs
        var courierIDs = Set<Int>()
        for (a, cost) in zip(out.assignments, out.assignmentCosts) {
            #expect(courierIDs.insert(a.courierID).inserted, "courier assigned twice")
            orderIDs += a.orderIDs
            let c = couriers.first { $0.id == a.courierID }!
            let seq = a.orderIDs.map { id in orders.first { $0.id == id }! }
            let b = DispatchBundle(sequence: seq, travel: travel, service: policy.service)
            #expect(a == DispatchAssignment(courier: c, bundle: b, now: now, travel: travel))
            #expect(a.pickupAt >= seq.map(\.readyAt).max()!)  // MDRP feasibility rule
            #expect(travel.distanceMeters(from: seq[0].restaurantPosition, to: c.position) <= policy.radiusMeters)
            #expect(cost == pairCost(c, b, now: now, travel: travel, service: policy.service, weights: policy.weights))
        }
        #expect(orderIDs.sorted() == orders.map(\.id).sorted())
        #expect(out.totalCost == out.assignmentCosts.reduce(0, +))
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func optimalAgainstBruteForce(seed: UInt64) {
        var rng = MatchingRNG(seed: seed)
        for round in 0..<250 {
            let now: Instant = 1_000 * TimeUnit.minute
            let travel: PlanarTravelModel = round % 2 == 0 ? .mdrp(metersPerMinute: 320) : PlanarTravelModel(metersPerMinute: 400)
            let policy = BatchPolicy(
                radiusMeters: [1500, 3000, 1e9][round % 3], candidateLimit: [Int.max, 2, 1][round % 3 == 0 ? 0 : Int(seed % 3)],
                weights: round % 4 == 0 ? CostWeights(foodWaitingPerMille: 2000, courierWaitingPerMille: 0, deliveryPerMille: 300) : .default,
                service: round % 5 == 0 ? .zero : .mdrp,
                bundling: round % 3 == 1 ? BundlingPolicy(maxOrders: 2, readyWindow: 10 * TimeUnit.minute) : .off)
            let orders = MatchingFixtures.planarOrders(count: Int.random(in: 0...6, using: &rng), restaurants: 3, size: 6000, now: now, rng: &rng)
            let couriers = MatchingFixtures.planarCouriers(count: Int.random(in: 0...5, using: &rng), size: 6000, now: now, rng: &rng,
                                                           firstID: Int.random(in: 1...50, using: &rng), busySpread: 5 * TimeUnit.minute)
            var matcher = BatchMatcher(policy: policy)
            let out = matcher.match(orders: orders, couriers: couriers, now: now, travel: travel)
            let bundles = Bundler.makeBundles(orders: orders, policy: policy.bundling, travel: travel, service: policy.service)
            let best = Self.bruteForce(bundles, couriers, now: now, travel: travel, policy: policy)
            #expect(out.assignments.count == best.count, "round \(round)")
            #expect(out.totalCost == best.cost, "round \(round)")
            #expect(out.bundleCount == bundles.count)
            Self.checkConsistent(out, orders: orders, couriers: couriers, now: now, travel: travel, policy: policy)
        }
    }

    /// Same input -> same output; shuffled orders and couriers -> same output, including
    /// which of several equally good matchings is returned (ties are many: whole minutes,
    /// duplicate positions).
    @Test func deterministicUnderShuffling() {
        var rng = MatchingRNG(seed: 55)
        for round in 0..<40 {
            let now: Instant = 0
            var orders = MatchingFixtures.planarOrders(count: 80, restaurants: 10, size: 6000, now: now, rng: &rng, readySpread: 3 * TimeUnit.minute)
            var couriers = MatchingFixtures.planarCouriers(count: 60, size: 6000, now: now, rng: &rng)
            for k in stride(from: 0, to: couriers.count, by: 3) { couriers[k].position = couriers[0].position }  // exact ties
            for k in stride(from: 0, to: orders.count, by: 4) { orders[k].readyAt = 0 }
            let policy = BatchPolicy(radiusMeters: 2500, candidateLimit: round % 2 == 0 ? .max : 8, service: .mdrp,
                                     bundling: round % 3 == 0 ? .off : BundlingPolicy(maxOrders: 3, sequencing: .nearestNeighbour))
            let travel = PlanarTravelModel.mdrp(metersPerMinute: 320)
            var m = BatchMatcher(policy: policy)
            let a = m.match(orders: orders, couriers: couriers, now: now, travel: travel)
            let b = m.match(orders: orders, couriers: couriers, now: now, travel: travel)
            var fresh = BatchMatcher(policy: policy)
            let c = fresh.match(orders: orders.shuffled(using: &rng), couriers: couriers.shuffled(using: &rng), now: now, travel: travel)
            #expect(a == b)
            #expect(a == c)
            #expect(a.assignments.count > 0)
            Self.checkConsistent(a, orders: orders, couriers: couriers, now: now, travel: travel, policy: policy)
        }
    }

    /// A grid index over the 10 km square holding `couriers` and 20 more not offered in the
    /// batch (ids from 10,000, on the line y = 5 km).
    static func gridHolding(_ couriers: [DispatchCourier]) -> UniformGridCandidateSource {
        var grid = UniformGridCandidateSource(minX: 0, minY: 0, maxX: 10_000, maxY: 10_000, cellSizeMeters: 800)
        for c in couriers { grid.upsert(courierID: c.id, at: c.position) }
        for k in 0..<20 { grid.upsert(courierID: 10_000 + k, at: DispatchPosition(x: Double(k) * 500, y: 5000)) }
        return grid
    }

    /// Candidates from a grid index (holding extra couriers not offered in this batch) give
    /// exactly the outcome of measuring every offered courier.
    @Test func candidateSourcePathEqualsDirectPath() {
        var rng = MatchingRNG(seed: 61)
        for round in 0..<30 {
            let now: Instant = 0
            let orders = MatchingFixtures.planarOrders(count: 50, restaurants: 15, size: 10_000, now: now, rng: &rng)
            let couriers = MatchingFixtures.planarCouriers(count: 40, size: 10_000, now: now, rng: &rng)
            let grid = Self.gridHolding(couriers)
            let policy = BatchPolicy(radiusMeters: [2700, 4000][round % 2], service: .mdrp,
                                     bundling: round % 2 == 0 ? .off : BundlingPolicy())
            let travel = PlanarTravelModel(metersPerMinute: 320)
            var m = BatchMatcher(policy: policy)
            let direct = m.match(orders: orders, couriers: couriers, now: now, travel: travel)
            let viaGrid = m.match(orders: orders, couriers: couriers, now: now, travel: travel, candidates: grid)
            #expect(direct == viaGrid)
        }
    }

    /// Resolving candidate ids one by one (`match(orders:now:travel:candidates:courier:)`, the
    /// columns only the couriers some bundle reaches) gives the list path's outcome: the same
    /// assignments, costs, unassigned orders and pairs, with the index holding couriers the
    /// resolver refuses (busy ones), bounded and unbounded candidate lists, bundles on and off.
    /// Only `courierCount` differs: the reached couriers, never more than the list's.
    @Test func resolvedPathEqualsListPath() {
        var rng = MatchingRNG(seed: 71)
        for round in 0..<40 {
            let now: Instant = 0
            let orders = MatchingFixtures.planarOrders(count: 30, restaurants: 12, size: 10_000, now: now, rng: &rng)
            let couriers = MatchingFixtures.planarCouriers(count: 60, size: 10_000, now: now, rng: &rng)
            let grid = Self.gridHolding(couriers)
            let byID = Dictionary(uniqueKeysWithValues: couriers.map { ($0.id, $0) })
            let policy = BatchPolicy(radiusMeters: [1500, 2700, 4000][round % 3], candidateLimit: [.max, 3, 16, 1][round % 4],
                                     service: .mdrp, bundling: round % 2 == 0 ? .off : BundlingPolicy())
            let travel = PlanarTravelModel(metersPerMinute: 320)
            var m = BatchMatcher(policy: policy)
            let list = m.match(orders: orders, couriers: couriers, now: now, travel: travel, candidates: grid)
            let resolved = m.match(orders: orders, now: now, travel: travel, candidates: grid, courier: { byID[$0] })
            #expect(resolved.assignments == list.assignments)
            #expect(resolved.assignmentCosts == list.assignmentCosts)
            #expect(resolved.unassignedOrderIDs == list.unassignedOrderIDs)
            #expect(resolved.totalCost == list.totalCost && resolved.bundleCount == list.bundleCount)
            #expect(resolved.allowedPairs == list.allowedPairs)
            #expect(resolved.courierCount <= list.courierCount)
        }
    }

    /// Geographic positions with the haversine model work end to end.
    @Test func geoBatchAgainstBruteForce() {
        var rng = MatchingRNG(seed: 67)
        let travel = HaversineTravelModel(metersPerSecond: 5, detourFactor: 1.3)
        func p() -> DispatchPosition { DispatchPosition(longitude: -74.0 + Double.random(in: 0..<0.05, using: &rng), latitude: 40.72 + Double.random(in: 0..<0.04, using: &rng)) }
        for _ in 0..<100 {
            let orders = (0..<Int.random(in: 1...5, using: &rng)).map { i in
                DispatchOrder(id: i + 1, restaurantID: i, restaurantPosition: p(), customerPosition: p(), placedAt: 0,
                              readyAt: Int64.random(in: 0...(15 * TimeUnit.minute), using: &rng))
            }
            let couriers = (0..<Int.random(in: 1...5, using: &rng)).map { DispatchCourier(id: $0 + 1, position: p(), availableAt: 0) }
            let policy = BatchPolicy(radiusMeters: 2500, service: .mdrp)
            var m = BatchMatcher(policy: policy)
            let out = m.match(orders: orders, couriers: couriers, now: 0, travel: travel)
            let bundles = Bundler.makeBundles(orders: orders, policy: .off, travel: travel, service: .mdrp)
            let best = Self.bruteForce(bundles, couriers, now: 0, travel: travel, policy: policy)
            #expect(out.assignments.count == best.count && out.totalCost == best.cost)
        }
    }

    @Test func nextRunIsAlignedToTheInterval() {
        let m = BatchMatcher(policy: BatchPolicy(interval: 30 * TimeUnit.second))
        let s = TimeUnit.second
        #expect(m.nextRun(after: 0) == 30 * s)
        #expect(m.nextRun(after: 29 * s) == 30 * s)
        #expect(m.nextRun(after: 30 * s) == 60 * s)
        #expect(m.nextRun(after: -1) == 0)
        #expect(m.nextRun(after: -30 * s) == 0)
        #expect(m.nextRun(after: -31 * s) == -30 * s)
    }
}
