import Reports
import SimCore
import Testing

/// The plan search against feasibility rules whose answers are known exactly, the one SLO
/// rule (`SLOHolds`), `--vary` parsing, and the cost arithmetic.
@Suite struct PlanSearchTests {
    /// An objective `x ≤ limit` on a counter.
    static func objective(_ limit: Double) throws -> ResolvedObjective {
        let t = FigureTable(figures: [Figure(metric: "x", stat: "value", kind: .counter, unit: "", value: 0)])
        return try Objective(name: "x", metric: "x", stat: "count", max: .number(limit)).resolve(in: t)
    }

    static func table(_ x: Double) -> FigureTable {
        FigureTable(figures: [Figure(metric: "x", stat: "value", kind: .counter, unit: "", value: x)])
    }

    /// An evaluation whose one figure is `x` (≤ 0 holds), costing `cost` per hour.
    static func evaluation(_ x: Double, cost: Double) throws -> PlanEvaluation {
        PlanEvaluation(verdicts: [SLOHolds.check(try objective(0), table(x))], costPerHour: cost, costPerOrder: .nan, invariantsHold: true, runs: 2)
    }

    /// One resource, holds from value 13 on: bisection finds 13, verifies 12 fails, and
    /// takes O(log n) evaluations.
    @Test func bisectionFindsTheSmallestValue() throws {
        let r = PlanResource(path: "queueing.stations.s.servers", values: Array(1...64))
        var calls = 0
        var search = PlanSearch(resources: [r]) { v in
            calls += 1
            return try! Self.evaluation(Double(13 - v[0]), cost: Double(v[0]))
        }
        let result = search.run()
        #expect(result.feasible)
        #expect(result.values == [13])
        #expect(result.limitingResource == 0)
        #expect(result.belowLimit?.feasible == false)
        #expect(result.fallback == nil)
        #expect(calls <= 9, "\(calls) evaluations for 64 values")  // top + ⌈log2 64⌉ + cached verification
        #expect(result.runs == 2 * calls)
    }

    /// Two resources that substitute (holds when a + 2b ≥ 20): coordinate descent from the
    /// top reaches a configuration where neither can step down.
    @Test func coordinateDescentReachesAMinimalPoint() throws {
        let a = PlanResource(path: "a", values: Array(0...20)), b = PlanResource(path: "b", values: Array(0...10))
        var search = PlanSearch(resources: [a, b]) { v in try! Self.evaluation(Double(20 - v[0] - 2 * v[1]), cost: Double(v[0] + 3 * v[1])) }
        let result = search.run()
        #expect(result.feasible)
        let (x, y) = (result.values[0], result.values[1])
        #expect(x + 2 * y >= 20)
        #expect(x == 0 || x - 1 + 2 * y < 20)
        #expect(y == 0 || x + 2 * (y - 1) < 20)
        #expect(result.evaluations < 21 * 11)
    }

    /// Infeasible at the largest values: the level says so and which SLO binds.
    @Test func infeasibleLevelNamesTheBindingSLO() throws {
        let r = PlanResource(path: "s", values: [1, 2, 4, 8])
        var search = PlanSearch(resources: [r]) { v in try! Self.evaluation(100 - Double(v[0]), cost: 1) }
        let result = search.run()
        #expect(!result.feasible)
        #expect(result.values == [8])
        #expect(result.evaluation.binding?.objective.objective.name == "x")
        #expect(result.evaluations == 1)
    }

    /// Not monotone (holds at 5, fails at 6, holds from 7): bisection lands on 7, the probe
    /// two steps below finds 5 holding, and the local grid takes the cheapest that holds.
    @Test func nonMonotoneFallsBackToLocalGrid() throws {
        let r = PlanResource(path: "s", values: Array(1...8))
        var search = PlanSearch(resources: [r]) { v in
            let holds = v[0] == 5 || v[0] >= 7
            return try! Self.evaluation(holds ? -1 : 1, cost: Double(v[0]))
        }
        let result = search.run()
        #expect(result.feasible)
        #expect(result.fallback?.contains("s = 5 also holds (2 steps below the answer)") == true)
        #expect(result.values == [5])
    }

    /// The statistical rule compares the upper one-sided bound, the exact rule the point value.
    @Test func sloHoldsUsesTheUpperBound() throws {
        let o = try Self.objective(10)
        let reps = [9.0, 9.5, 8.5, 9.0, 9.0].map(Self.table)
        let v = SLOHolds.statistical(o, reps, confidence: 0.95)
        // Student t, 4 d.o.f., one-sided 95 %: t = 2.1318; s = 0.35355; bound = 9 + 2.1318·s/√5.
        #expect(abs(v.bound - (9 + 2.131847 * 0.353553 / 5.0.squareRoot())) < 1e-4)
        #expect(v.holds)
        let tight = try Self.objective(9.3)
        #expect(!SLOHolds.statistical(tight, reps, confidence: 0.95).holds)   // mean 9 holds, the bound 9.337 does not
        #expect(SLOHolds.check(tight, reps[0]).holds)                         // the exact rule: 9 ≤ 9.3
        #expect(SLOHolds.all([tight], [reps[0]], confidence: 0.95)[0].holds)  // one replication: exact
    }

    @Test func varyParsing() throws {
        #expect(try PlanResource.parse("a.b=2..5").values == [2, 3, 4, 5])
        #expect(try PlanResource.parse("a.b=1000..4000:1000").values == [1000, 2000, 3000, 4000])
        #expect(try PlanResource.parse("a.b=1,2,8").values == [1, 2, 8])
        #expect(PlanResource(path: "services.order_service.replicas", values: [1]).assignments(3)
                == ["services.order_service.min=3", "services.order_service.max=3"])
        for bad in ["a.b=5..2", "a.b=1,3,2", "a.b=1,1", "a.b", "a.b=x..3", "a.b=1..4:0"] {
            #expect(throws: PlanInputError.self) { try PlanResource.parse(bad) }
        }
    }

    /// Cost per hour is the sum of the resource lines (quantity × price, replicas from the
    /// time-weighted gauges, the rest from the resolved scenario); cost per order × orders
    /// delivered = cost per hour × simulated hours.
    @Test func costsAddUp() throws {
        let resolved = JSONValue.object([
            ("regions", .object([("a", .object([])), ("b", .object([]))])),
            ("services", .object([("order_service", .object([("cores", .integer(4))])),
                                  ("location_service", .object([]))])),
            ("database", .object([("shards", .integer(16)), ("read_replicas", .integer(1))])),
            ("kafka", .object([("order_events", .object([("partitions", .integer(24))])), ("location_updates", .object([("partitions", .integer(48))]))])),
            ("couriers", .object([("count", .integer(900))])),
            ("costs", .object([("currency", .string("USD")), ("vcpu_hour", .number(0.05)),
                               ("services", .object([("location_service", .object([("replica_hour", .number(0.2))]))])),
                               ("shard_hour", .number(0.25)), ("read_replica_hour", .number(0.5)), ("partition_hour", .number(0.0015)),
                               ("courier_hour", .number(20)), ("cross_region_gb", .number(0.02)), ("bytes_per_cross_region_call", .integer(2000))])),
        ])
        let gauges = [("order_service@a.replicas", 3.5), ("order_service@b.replicas", 2.0), ("location_service@a.replicas", 10.0), ("x.cpu", 0.5)]
        let counters = [("orders.delivered", 1234.0), ("cross_region.client_calls", 1_000_000.0), ("db.cross_region_writes", 500_000.0)]
        let c = try #require(CostBreakdown(resolved: resolved, gauges: gauges, counters: counters, simulatedSeconds: 5400))
        // By hand: order_service 4 cores × 0.05 = 0.2/replica-h × (3.5 + 2) = 1.1; location 0.2 × 10 = 2;
        // shards 16 × 0.25 = 4; read replicas 1 × 2 regions × 0.5 = 1; partitions 72 × 2 × 0.0015 = 0.216;
        // couriers 900 × 20 = 18000; traffic 1.5e6 × 2000 B = 3 GB over 1.5 h = 2 GB/h × 0.02 = 0.04.
        let expected = 1.1 + 2 + 4 + 1 + 0.216 + 18000 + 0.04
        #expect(abs(c.perHour - expected) < 1e-9)
        #expect(abs(c.lines.map(\.perHour).reduce(0, +) - c.perHour) < 1e-9)
        #expect(c.hours == 1.5)
        #expect(abs(c.perOrder * 1234 - c.perHour * 1.5) < 1e-9)
        #expect(c.unpriced.isEmpty)
        #expect(c.lines.first { $0.resource == "order_service@a replicas" }?.quantity == 3.5)
        // No costs section: no breakdown.
        #expect(CostBreakdown(resolved: .object([]), gauges: gauges, counters: counters, simulatedSeconds: 3600) == nil)
    }
}
