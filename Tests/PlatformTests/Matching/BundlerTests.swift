import Testing
import Platform

@Suite struct BundlerTests {
    static let travel = PlanarTravelModel.mdrp(metersPerMinute: 320)

    /// Total click-to-door of a sequence, simulated leg by leg (independent of DispatchBundle).
    static func clickToDoor(_ seq: [DispatchOrder], service: ServiceDurations) -> Int64 {
        var t = seq.map(\.readyAt).max()! + service.pickupOnDeparture
        var at = seq[0].restaurantPosition
        var total: Int64 = 0
        for (i, o) in seq.enumerated() {
            if i > 0 { t += service.dropoffOnDeparture }
            t += travel.travelTime(from: at, to: o.customerPosition) + service.dropoffOnArrival
            total += t - o.placedAt
            at = o.customerPosition
        }
        return total
    }

    static func permutations(_ a: [DispatchOrder]) -> [[DispatchOrder]] {
        if a.count <= 1 { return [a] }
        var out: [[DispatchOrder]] = []
        for i in a.indices {
            var rest = a
            let x = rest.remove(at: i)
            for p in permutations(rest) { out.append([x] + p) }
        }
        return out
    }

    @Test func bundlesAreFeasibleAndPartitionTheOrders() {
        var rng = MatchingRNG(seed: 31)
        for round in 0..<200 {
            let k = Int.random(in: 1...4, using: &rng)
            let window = Int64.random(in: 0...(8 * TimeUnit.minute), using: &rng)
            let maxRoute: Nanoseconds? = round % 3 == 0 ? Int64.random(in: 5...40, using: &rng) * TimeUnit.minute : nil
            let policy = BundlingPolicy(maxOrders: k, readyWindow: window,
                                        sequencing: round % 2 == 0 ? .exhaustive : .nearestNeighbour, maxRouteDuration: maxRoute)
            let orders = MatchingFixtures.planarOrders(count: Int.random(in: 0...60, using: &rng), restaurants: 6,
                                                       size: 8000, now: 0, rng: &rng)
            let bundles = Bundler.makeBundles(orders: orders, policy: policy, travel: Self.travel, service: .mdrp)
            var seen: [Int] = []
            for b in bundles {
                #expect(b.orders.count >= 1 && b.orders.count <= k)
                #expect(Set(b.orders.map(\.restaurantID)).count == 1)
                let ready = b.orders.map(\.readyAt)
                #expect(ready.max()! - ready.min()! <= window)
                #expect(b.latestReadyAt == ready.max()!)
                if let maxRoute, b.orders.count > 1 { #expect(b.dropoffOffsets.last! <= maxRoute) }
                seen += b.orders.map(\.id)
            }
            #expect(seen.sorted() == orders.map(\.id).sorted())
            #expect(bundles.map(\.smallestOrderID) == bundles.map(\.smallestOrderID).sorted())
            // Input order does not matter.
            let again = Bundler.makeBundles(orders: orders.shuffled(using: &rng), policy: policy, travel: Self.travel, service: .mdrp)
            #expect(again == bundles)
        }
    }

    /// Exhaustive sequencing against every permutation: least total click-to-door, ties to
    /// the lexicographically smallest id sequence.
    @Test func exhaustiveSequenceIsOptimal() {
        var rng = MatchingRNG(seed: 37)
        for round in 0..<300 {
            let n = Int.random(in: 1...5, using: &rng)
            let r = DispatchPosition(x: 5000, y: 5000)
            let orders = (0..<n).map { i in
                DispatchOrder(id: Int.random(in: 1...1000, using: &rng) * 10 + i, restaurantID: 1, restaurantPosition: r,
                              customerPosition: round % 2 == 0
                                ? DispatchPosition(x: Double(Int.random(in: 0...6, using: &rng)) * 640, y: Double(Int.random(in: 0...6, using: &rng)) * 640)
                                : DispatchPosition(x: Double.random(in: 0..<10_000, using: &rng), y: Double.random(in: 0..<10_000, using: &rng)),
                              placedAt: -Int64.random(in: 0...TimeUnit.hour, using: &rng), readyAt: Int64.random(in: 0...TimeUnit.hour, using: &rng))
            }
            let got = Bundler.sequence(orders, rule: .exhaustive, travel: Self.travel, service: .mdrp)
            let best = Self.permutations(orders).min { a, b in
                let ca = Self.clickToDoor(a, service: .mdrp), cb = Self.clickToDoor(b, service: .mdrp)
                return ca != cb ? ca < cb : a.map(\.id).lexicographicallyPrecedes(b.map(\.id))
            }!
            #expect(got.map(\.id) == best.map(\.id))
            // The bundle's own offsets agree with the independent simulation.
            let b = DispatchBundle(sequence: got, travel: Self.travel, service: .mdrp)
            let pickup = b.latestReadyAt
            #expect(zip(got, b.dropoffOffsets).reduce(Int64(0)) { $0 + pickup + $1.1 - $1.0.placedAt } == Self.clickToDoor(got, service: .mdrp))
        }
    }

    /// Hand-made: customers 1, 2, 3 km east of the restaurant in scrambled id order; nearest
    /// neighbour visits them outwards. A tie (two customers 1 km away) goes to the lower id.
    @Test func nearestNeighbourClosedForm() {
        let r = DispatchPosition(x: 0, y: 0)
        func order(_ id: Int, _ x: Double, _ y: Double = 0) -> DispatchOrder {
            DispatchOrder(id: id, restaurantID: 9, restaurantPosition: r, customerPosition: DispatchPosition(x: x, y: y), placedAt: 0, readyAt: 0)
        }
        let seq = Bundler.sequence([order(5, 3000), order(8, 1000), order(2, 2000)], rule: .nearestNeighbour,
                                   travel: PlanarTravelModel(metersPerMinute: 300), service: .zero)
        #expect(seq.map(\.id) == [8, 2, 5])
        let tie = Bundler.sequence([order(6, 0, 1000), order(4, 1000)], rule: .nearestNeighbour,
                                   travel: PlanarTravelModel(metersPerMinute: 300), service: .zero)
        #expect(tie.map(\.id) == [4, 6])
        let b = DispatchBundle(sequence: seq, travel: PlanarTravelModel(metersPerMinute: 300), service: .zero)
        #expect(b.dropoffOffsets == [200_000_000_000, 400_000_000_000, 600_000_000_000])  // 1 km = 200 s at 300 m/min
    }

    @Test func offRuleMakesSingletons() {
        var rng = MatchingRNG(seed: 41)
        let orders = MatchingFixtures.planarOrders(count: 30, restaurants: 2, size: 5000, now: 0, rng: &rng)
        let bundles = Bundler.makeBundles(orders: orders, policy: .off, travel: Self.travel, service: .zero)
        #expect(bundles.map { $0.orders.map(\.id) } == orders.map(\.id).sorted().map { [$0] })
    }
}
