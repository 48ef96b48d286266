import CapsimTestSupport
import Platform
import Scenario
import SimCore
import Testing
@testable import World

/// The matching pool does the matching (issue 12 item 2, `matching.split: by_cell`): a run's
/// orders split by their restaurants' geohash cells into one part per replica, parts matched
/// one after another (a courier claimed by the first), against a brute-force maximum matching
/// of the same batch; and the largest part, the busiest replica's CPU, is 1/n of the run.
@Suite struct MatchSplitTests {
    static let centre = (lon: -73.99, lat: 40.73)
    static let travel = HaversineTravelModel(metersPerSecond: 5)

    /// A position `east`, `north` metres from the centre.
    static func at(_ east: Double, _ north: Double) -> DispatchPosition {
        DispatchPosition(x: centre.lon + east / (111_320 * 0.7581), y: centre.lat + north / 110_574)
    }

    struct Batch {
        var orders: [DispatchOrder]
        var couriers: [DispatchCourier]
    }

    /// `orders` orders (restaurants) and `couriers` couriers uniform in a square of side `side` m.
    static func batch(orders: Int, couriers: Int, side: Double, seed: UInt64) -> Batch {
        var rng = SplitMix64(seed: seed)
        func u() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        let os = (0..<orders).map { i in
            DispatchOrder(id: i, restaurantID: i, restaurantPosition: at(u() * side, u() * side), customerPosition: at(u() * side, u() * side),
                          placedAt: 0, readyAt: 0)
        }
        let cs = (0..<couriers).map { DispatchCourier(id: $0, position: at(u() * side, u() * side)) }
        return Batch(orders: os, couriers: cs)
    }

    /// The split's parts matched in order, each on the couriers the earlier parts left:
    /// (order id, courier id) pairs, and the parts.
    static func splitMatch(_ b: Batch, n: Int, radius: Double) -> (pairs: [(order: Int, courier: Int)], parts: [[Int]]) {
        let parts = CellSplit.split(b.orders.map { (id: $0.id, cell: CellSplit.cell($0.restaurantPosition)) }, into: n)
        var free = b.couriers
        var pairs: [(order: Int, courier: Int)] = []
        var matcher = BatchMatcher(policy: BatchPolicy(radiusMeters: radius))
        for part in parts {
            let orders = part.map { b.orders[$0] }
            for a in matcher.match(orders: orders, couriers: free, now: 0, travel: travel).assignments {
                for o in a.orderIDs { pairs.append((order: o, courier: a.courierID)) }
                free.removeAll { $0.id == a.courierID }
            }
        }
        return (pairs, parts)
    }

    /// Brute force: the largest number of orders matched to distinct couriers within `radius`
    /// of their restaurant, by trying every choice (small batches only).
    static func bruteForceMax(_ b: Batch, radius: Double) -> Int {
        let feasible = b.orders.map { o in b.couriers.indices.filter { travel.distanceMeters(from: o.restaurantPosition, to: b.couriers[$0].position) <= radius } }
        var used = Array(repeating: false, count: b.couriers.count)
        func best(_ i: Int) -> Int {
            guard i < feasible.count else { return 0 }
            var top = best(i + 1)  // order i unmatched
            for c in feasible[i] where !used[c] {
                used[c] = true
                top = max(top, 1 + best(i + 1))
                used[c] = false
            }
            return top
        }
        return best(0)
    }

    /// Every order in exactly one part; no order and no courier matched twice; each pair within the radius.
    static func expectWellFormed(_ b: Batch, _ r: (pairs: [(order: Int, courier: Int)], parts: [[Int]]), radius: Double) {
        #expect(r.parts.flatMap { $0 }.sorted() == b.orders.map(\.id))
        #expect(Set(r.pairs.map(\.order)).count == r.pairs.count)
        #expect(Set(r.pairs.map(\.courier)).count == r.pairs.count)
        for p in r.pairs {
            #expect(travel.distanceMeters(from: b.orders[p.order].restaurantPosition, to: b.couriers[p.courier].position) <= radius)
        }
    }

    /// Every courier within reach of every restaurant (radius beyond the square's diagonal) and
    /// at least as many couriers as orders: the brute force matches all of them, and so does
    /// the split into any number of parts, each order exactly once.
    @Test func splitMatchesEveryOrderExactlyOnce() {
        for seed in UInt64(1)...20 {
            let b = Self.batch(orders: 7, couriers: 8, side: 6_000, seed: seed)
            let radius = 10_000.0
            #expect(Self.bruteForceMax(b, radius: radius) == 7)
            for n in [1, 2, 3, 4, 8] {
                let r = Self.splitMatch(b, n: n, radius: radius)
                Self.expectWellFormed(b, r, radius: radius)
                #expect(r.pairs.count == 7, "seed \(seed), n = \(n)")
            }
        }
    }

    /// Scarce couriers (radius 1.5 km in a 6 km square): no order or courier twice, never more
    /// than the brute-force maximum; unsplit, the matcher reaches that maximum (its exact
    /// max-cardinality assignment). A part can take a seam courier another part needed: the
    /// split may match fewer, which the first test rules out when couriers are ample.
    @Test func scarceCouriersAreClaimedOnce() {
        for seed in UInt64(1)...30 {
            let b = Self.batch(orders: 7, couriers: 6, side: 6_000, seed: seed)
            let radius = 1_500.0
            let best = Self.bruteForceMax(b, radius: radius)
            #expect(Self.splitMatch(b, n: 1, radius: radius).pairs.count == best, "seed \(seed)")
            for n in [2, 4] {
                let r = Self.splitMatch(b, n: n, radius: radius)
                Self.expectWellFormed(b, r, radius: radius)
                #expect(r.pairs.count <= best)
            }
        }
    }

    /// The busiest replica's share of a run: 2,000 orders over a 12 km square (about 420
    /// step-15 cells of 0.84 × 0.58 km, ~5 orders each). A cut cannot split a cell, so a part
    /// can exceed N/n by a cell's orders: at n = 16 (125 orders per part) a few percent.
    /// Tolerance: the largest part at most 10 % over N/n.
    @Test func largestPartIsOneNthOfTheRun() {
        let b = Self.batch(orders: 2_000, couriers: 0, side: 12_000, seed: 7)
        for n in [1, 2, 4, 8, 16] {
            let parts = CellSplit.split(b.orders.map { (id: $0.id, cell: CellSplit.cell($0.restaurantPosition)) }, into: n)
            #expect(parts.count == n)
            let largest = Double(parts.map(\.count).max() ?? 0)
            #expect(largest * Double(n) / 2_000 <= 1.10, "n = \(n): largest part \(largest)")
            #expect(parts.reduce(0) { $0 + $1.count } == 2_000)
        }
    }

    /// In the world: with the split on, matching_service (4 replicas) runs each city's batch
    /// as parts, and the run keeps its invariants (no courier assigned twice: `courier_bundle`;
    /// every order placed is delivered, cancelled or in flight; order_events at most once).
    @Test func worldRunSplitsAndKeepsItsInvariants() throws {
        let c = try PlatformSimulationTests.load(CrossRegionChannelTests.twoRegions, overrides: [
            "matching.split=by_cell", "services.matching_service.min=4", "services.matching_service.max=4", "demand.orders_per_hour=6000/h"])
        let m = try PlatformSimulationTests.run(c, seed: 5)
        for i in m.invariants { #expect(i.holds, "\(i.name): \(i.detail)") }
        let runs = try #require(m.counterValue("matching.split.runs"))
        #expect(runs == m.counterValue("matching.runs"))
        // At most one part per replica.
        #expect(try #require(m.counterValue("matching.split.parts_per_run")) <= 4)
    }
}
