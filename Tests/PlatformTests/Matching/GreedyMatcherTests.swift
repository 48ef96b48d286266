import Testing
import Platform

@Suite struct GreedyMatcherTests {
    /// Brute-force nearest search: every courier within maxRadius, smallest (travel, id).
    static func bruteBest<T: TravelModel>(_ couriers: [(Int, DispatchPosition)], _ restaurant: DispatchPosition,
                                          _ travel: T, maxRadius: Double) -> Int? {
        var best: (Nanoseconds, Int)? = nil
        for (id, p) in couriers where travel.distanceMeters(from: restaurant, to: p) <= maxRadius {
            let key = (travel.travelTime(from: p, to: restaurant), id)
            if best == nil || key < best! { best = key }
        }
        return best?.1
    }

    static let cases: [(UInt64, Int)] = [(1, 1), (2, 2), (3, 16), (4, 3)]

    @Test(arguments: cases)
    func planarGreedyEqualsBruteForce(seed: UInt64, limit: Int) {
        var rng = MatchingRNG(seed: seed)
        // Whole-minute travel times create many ties across the radius steps.
        let models: [PlanarTravelModel] = [.mdrp(metersPerMinute: 320), PlanarTravelModel(metersPerMinute: 400)]
        for model in models {
            for round in 0..<60 {
                var grid = UniformGridCandidateSource(minX: 0, minY: 0, maxX: 10_000, maxY: 10_000, cellSizeMeters: 600)
                var couriers: [(Int, DispatchPosition)] = []
                let n = Int.random(in: 0...150, using: &rng)
                for i in 0..<n {
                    let p = round % 2 == 0
                        ? DispatchPosition(x: Double.random(in: 0..<10_000, using: &rng), y: Double.random(in: 0..<10_000, using: &rng))
                        : DispatchPosition(x: Double(Int.random(in: 0...25, using: &rng)) * 400, y: Double(Int.random(in: 0...25, using: &rng)) * 400)
                    let id = 1000 - 3 * i  // ids not in insertion order
                    grid.upsert(courierID: id, at: p)
                    couriers.append((id, p))
                }
                var greedy = GreedyMatcher(initialRadiusMeters: 1000, maxRadiusMeters: 6000, candidateLimit: limit)
                for _ in 0..<20 {
                    let r = DispatchPosition(x: Double(Int.random(in: 0...50, using: &rng)) * 200, y: Double.random(in: 0..<10_000, using: &rng))
                    let got = greedy.bestCourier(for: r, travel: model, candidates: grid)?.courierID
                    #expect(got == Self.bruteBest(couriers, r, model, maxRadius: 6000))
                }
            }
        }
    }

    @Test func geoGreedyEqualsBruteForce() {
        var rng = MatchingRNG(seed: 21)
        let model = HaversineTravelModel(metersPerSecond: 5, detourFactor: 1.3)
        for _ in 0..<40 {
            var couriers: [(Int, DispatchPosition)] = []
            for i in 0..<Int.random(in: 1...120, using: &rng) {
                couriers.append((i + 1, DispatchPosition(longitude: -74.05 + Double.random(in: 0..<0.12, using: &rng),
                                                         latitude: 40.68 + Double.random(in: 0..<0.09, using: &rng))))
            }
            let source = BruteForceCandidateSource(metric: HaversineMetric(), couriers: couriers)
            var greedy = GreedyMatcher(candidateLimit: 4)
            for _ in 0..<20 {
                let r = DispatchPosition(longitude: -74.05 + Double.random(in: 0..<0.12, using: &rng), latitude: 40.68 + Double.random(in: 0..<0.09, using: &rng))
                #expect(greedy.bestCourier(for: r, travel: model, candidates: source)?.courierID
                        == Self.bruteBest(couriers, r, model, maxRadius: 8000))
            }
        }
    }

    @Test func nilWhenNobodyWithinMaxRadius() {
        var grid = UniformGridCandidateSource(minX: 0, minY: 0, maxX: 20_000, maxY: 20_000, cellSizeMeters: 1000)
        grid.upsert(courierID: 1, at: DispatchPosition(x: 10_000, y: 0))
        var greedy = GreedyMatcher(initialRadiusMeters: 1000, maxRadiusMeters: 8000)
        let order = DispatchOrder(id: 1, restaurantID: 1, restaurantPosition: DispatchPosition(x: 0, y: 0),
                                  customerPosition: DispatchPosition(x: 0, y: 100), placedAt: 0, readyAt: 0)
        #expect(greedy.match(order: order, now: 0, travel: PlanarTravelModel(metersPerMinute: 320), candidates: grid) == nil)
        greedy.maxRadiusMeters = 10_000
        #expect(greedy.match(order: order, now: 0, travel: PlanarTravelModel(metersPerMinute: 320), candidates: grid)?.courierID == 1)
    }

    /// Timeline by hand, MDRP model and 4 + 4 min service split in halves.
    @Test func plannedTimesClosedForm() {
        var grid = UniformGridCandidateSource(minX: 0, minY: 0, maxX: 10_000, maxY: 10_000, cellSizeMeters: 500)
        grid.upsert(courierID: 7, at: DispatchPosition(x: 0, y: 0))
        let now: Instant = 100 * TimeUnit.minute
        let order = DispatchOrder(id: 42, restaurantID: 3, restaurantPosition: DispatchPosition(x: 960, y: 1280),
                                  customerPosition: DispatchPosition(x: 960, y: 4480),
                                  placedAt: now - TimeUnit.minute, readyAt: now + 10 * TimeUnit.minute)
        var greedy = GreedyMatcher(maxRadiusMeters: 2000, service: .mdrp)
        let a = greedy.match(order: order, now: now, travel: PlanarTravelModel.mdrp(metersPerMinute: 320), candidates: grid)
        let m = TimeUnit.minute
        // 1600 m = 5 min to the restaurant, +2 min parking; food ready at +10; 3200 m = 10 min
        // to the customer after 2 min leaving; hand-over 2 min after arrival; 2 more to leave.
        #expect(a == DispatchAssignment(courierID: 7, restaurantID: 3, orderIDs: [42], departureAt: now,
                                        arrivalAt: now + 7 * m, pickupAt: now + 10 * m,
                                        dropoffAt: [now + 24 * m], completionAt: now + 26 * m))
    }
}
