import Platform

/// Timings of the matching policies: one batch of 500 orders x 500 couriers in a 10 km city
/// (radius-pruned and dense), the solver alone, bundling, and the greedy per-order search.
/// Prints `name: value unit` lines; the median of several runs is reported.
public enum MatchingBenchmark {
    /// SplitMix64, so every run measures the same instances.
    struct RNG: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        let c = d.components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }

    /// Wall time in milliseconds of `runs` executions of `body`: (minimum, median). The
    /// minimum is the least disturbed by other processes on a shared machine.
    static func timeMs(runs: Int, _ body: () -> Void) -> (min: Double, median: Double) {
        let clock = ContinuousClock()
        var times: [Double] = []
        for _ in 0..<runs {
            let t0 = clock.now
            body()
            times.append(seconds(clock.now - t0) * 1e3)
        }
        times.sort()
        return (times[0], times[times.count / 2])
    }

    static func ms(_ t: (min: Double, median: Double)) -> String {
        "\(fmt(t.min)) ms (median \(fmt(t.median)))"
    }

    static func fmt(_ x: Double) -> String {
        let scaled = (x * 100).rounded() / 100
        return String(scaled)
    }

    static func city(seed: UInt64, orders n: Int, couriers m: Int, restaurants: Int)
        -> ([DispatchOrder], [DispatchCourier]) {
        var rng = RNG(state: seed)
        let size = 10_000.0
        func point() -> DispatchPosition {
            DispatchPosition(x: Double.random(in: 0..<size, using: &rng), y: Double.random(in: 0..<size, using: &rng))
        }
        let rest = (0..<restaurants).map { _ in point() }
        let orders = (0..<n).map { i -> DispatchOrder in
            let r = Int.random(in: 0..<restaurants, using: &rng)
            return DispatchOrder(id: i + 1, restaurantID: r, restaurantPosition: rest[r], customerPosition: point(),
                                 placedAt: -Int64.random(in: 0...(10 * TimeUnit.minute), using: &rng),
                                 readyAt: Int64.random(in: 0...(20 * TimeUnit.minute), using: &rng))
        }
        let couriers = (0..<m).map { DispatchCourier(id: $0 + 1, position: point(), availableAt: 0) }
        return (orders, couriers)
    }

    public static func run() {
        let (orders, couriers) = city(seed: 2024, orders: 500, couriers: 500, restaurants: 500)
        let exact = PlanarTravelModel(metersPerMinute: 320)
        let mdrp = PlanarTravelModel.mdrp(metersPerMinute: 320)

        for (label, radius) in [("pruned r=2700m", 2700.0), ("pruned r=1500m", 1500.0), ("dense", Double.infinity)] {
            var matcher = BatchMatcher(policy: BatchPolicy(radiusMeters: radius, service: .mdrp))
            var out: BatchOutcome? = nil
            let t = timeMs(runs: 9) { out = matcher.match(orders: orders, couriers: couriers, now: 0, travel: exact) }
            print("matching.batch.500x500.\(label): \(ms(t)), pairs \(out!.allowedPairs), matched \(out!.assignments.count)")
        }
        do {
            var matcher = BatchMatcher(policy: BatchPolicy(radiusMeters: .infinity, service: .mdrp))
            var out: BatchOutcome? = nil
            let t = timeMs(runs: 9) { out = matcher.match(orders: orders, couriers: couriers, now: 0, travel: mdrp) }
            print("matching.batch.500x500.dense.mdrp-whole-minutes: \(ms(t)), matched \(out!.assignments.count)")
        }
        do {
            // Grid candidate source instead of measuring every courier.
            var grid = UniformGridCandidateSource(minX: 0, minY: 0, maxX: 10_000, maxY: 10_000, cellSizeMeters: 1000)
            for c in couriers { grid.upsert(courierID: c.id, at: c.position) }
            var matcher = BatchMatcher(policy: BatchPolicy(radiusMeters: 2700, service: .mdrp))
            let t = timeMs(runs: 9) { _ = matcher.match(orders: orders, couriers: couriers, now: 0, travel: exact, candidates: grid) }
            print("matching.batch.500x500.pruned r=2700m via grid: \(ms(t))")
        }
        do {
            // The solver alone on a dense random 500x500 integer matrix (costs in ns up to 1 h).
            var rng = RNG(state: 7)
            let costs = (0..<(500 * 500)).map { _ in Int64.random(in: 0...TimeUnit.hour, using: &rng) }
            var solver = LinearAssignmentSolver()
            let t = timeMs(runs: 9) { _ = solver.solve(rows: 500, columns: 500, costs: costs) }
            print("matching.solve.dense.500x500: \(ms(t))")
            let small = (0..<(500 * 500)).map { _ in Int64.random(in: 0...20, using: &rng) }
            let t2 = timeMs(runs: 9) { _ = solver.solve(rows: 500, columns: 500, costs: small) }
            print("matching.solve.dense.500x500.costs0-20: \(ms(t2))")
        }
        do {
            // Bundling: 500 orders from 60 restaurants, k = 3 exhaustive, then matching.
            let (bOrders, bCouriers) = city(seed: 99, orders: 500, couriers: 500, restaurants: 60)
            var matcher = BatchMatcher(policy: BatchPolicy(radiusMeters: 2700, service: .mdrp, bundling: BundlingPolicy()))
            var out: BatchOutcome? = nil
            let t = timeMs(runs: 9) { out = matcher.match(orders: bOrders, couriers: bCouriers, now: 0, travel: exact) }
            print("matching.batch.500x500.bundled k=3 r=2700m: \(ms(t)), bundles \(out!.bundleCount), matched \(out!.assignments.count)")
        }
        for n in [2000, 4000] {
            // Scale-out: n x n in a city whose area grows with n (the density of 500 in 10 km x 10 km).
            var rng = RNG(state: 3)
            let size = 10_000.0 * Double(n / 500).squareRoot()
            func point() -> DispatchPosition {
                DispatchPosition(x: Double.random(in: 0..<size, using: &rng), y: Double.random(in: 0..<size, using: &rng))
            }
            let os = (0..<n).map { i -> DispatchOrder in
                let r = point()
                return DispatchOrder(id: i + 1, restaurantID: i, restaurantPosition: r, customerPosition: point(), placedAt: 0,
                                     readyAt: Int64.random(in: 0...(20 * TimeUnit.minute), using: &rng))
            }
            let cs = (0..<n).map { DispatchCourier(id: $0 + 1, position: point(), availableAt: 0) }
            var matcher = BatchMatcher(policy: BatchPolicy(radiusMeters: 2700, service: .mdrp))
            var out: BatchOutcome? = nil
            let t = timeMs(runs: 3) { out = matcher.match(orders: os, couriers: cs, now: 0, travel: exact) }
            print("matching.batch.\(n)x\(n).pruned r=2700m: \(ms(t)), pairs \(out!.allowedPairs), matched \(out!.assignments.count)")
        }
        do {
            // Greedy: nearest of 500 idle couriers in a 500 m grid index, per order.
            var grid = UniformGridCandidateSource(minX: 0, minY: 0, maxX: 10_000, maxY: 10_000, cellSizeMeters: 500)
            for c in couriers { grid.upsert(courierID: c.id, at: c.position) }
            var greedy = GreedyMatcher(service: .mdrp)
            let clock = ContinuousClock()
            let n = 200_000
            var checksum = 0
            var t0 = clock.now
            for i in 0..<n { checksum &+= greedy.match(order: orders[i % orders.count], now: 0, travel: exact, candidates: grid)?.courierID ?? 0 }
            print("matching.greedy.grid.couriers=500: \(fmt(seconds(clock.now - t0) * 1e6 / Double(n))) us/op")
            // The same, and the chosen courier moves to a random spot (stays idle): the index
            // update a simulator does after each assignment.
            var rng = RNG(state: 5)
            t0 = clock.now
            for i in 0..<n {
                if let a = greedy.match(order: orders[i % orders.count], now: 0, travel: exact, candidates: grid) {
                    grid.upsert(courierID: a.courierID,
                                at: DispatchPosition(x: Double.random(in: 0..<10_000, using: &rng), y: Double.random(in: 0..<10_000, using: &rng)))
                }
            }
            print("matching.greedy.grid+move.couriers=500: \(fmt(seconds(clock.now - t0) * 1e6 / Double(n))) us/op")
            let brute = BruteForceCandidateSource(metric: exact, couriers: couriers.map { ($0.id, $0.position) })
            let m = 20_000
            t0 = clock.now
            for i in 0..<m { checksum &+= greedy.match(order: orders[i % orders.count], now: 0, travel: exact, candidates: brute)?.courierID ?? 0 }
            print("matching.greedy.bruteforce.couriers=500: \(fmt(seconds(clock.now - t0) * 1e6 / Double(m))) us/op")
            if checksum == 42 { print("") }  // keeps the work observable
        }
    }
}
