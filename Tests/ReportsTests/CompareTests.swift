import Reports
import SimCore
import Testing

/// A vs B: deltas, and significance paired, Welch or none.
@Suite struct CompareTests {
    static func snapshot(_ figures: [Figure], replications: Int, seed: UInt64 = 1, perReplication: [[Figure]]? = nil) -> ReportSnapshot {
        var lat: [(String, JSONValue)] = []
        for f in figures where f.kind == .latency {
            var o: [(String, JSONValue)] = [("count", .integer(10)), ("p99", .number(f.value))]
            if let i = f.interval {
                o.append(("ci95", .object([("p99", .object([("low", .number(i.low)), ("high", .number(i.high)),
                                                              ("half_width", .number(i.halfWidth)), ("n", .integer(Int64(i.n)))]))])))
            }
            lat.append((f.metric, .object(o)))
        }
        let json = JSONValue.object([
            ("schema_version", .integer(1)), ("latency_ms", .object(lat)), ("counters", .object([])), ("gauges", .object([])),
            ("scenario", .object([("name", .string("s")), ("file", .string("s.yaml"))])),
            ("run", .object([("seed", .integer(Int64(seed))), ("replications", .integer(Int64(replications))), ("simulated_seconds", .integer(60))])),
        ])
        let record: JSONValue? = perReplication.map { reps in
            .object([("seed", .integer(Int64(seed))), ("replications", .array(reps.enumerated().map { (i, fs) in
                .object([("index", .integer(Int64(i))), ("latency_ms", .object(fs.map { ($0.metric, .object([("count", .integer(5)), ("p99", .number($0.value))])) }))])
            }))])
        }
        return ReportSnapshot(json: json, source: "mem", replicationRecord: record)
    }

    static func p99(_ v: Double, _ ci: Figure.Interval? = nil) -> Figure {
        Figure(metric: "api", stat: "p99", kind: .latency, unit: "ms", value: v, interval: ci)
    }

    @Test func singleReplicationsGiveDeltasWithoutSignificance() throws {
        let c = ReportComparison(a: Self.snapshot([Self.p99(100)], replications: 1), b: Self.snapshot([Self.p99(125)], replications: 1))
        #expect(c.method == "none")
        let row = try #require(c.rows.first { $0.stat == "p99" })
        #expect(row.delta == 25)
        #expect(row.relative == 0.25)
        #expect(row.significance == .unavailable)
        #expect(c.markdown.contains("| api p99 | ms | 100 | 125 | +25 | +25 % | — |"))
    }

    @Test func welchFromTheReportIntervals() throws {
        let a = Self.snapshot([Self.p99(100, .init(low: 95, high: 105, halfWidth: 5, n: 5))], replications: 5)
        let far = Self.snapshot([Self.p99(130, .init(low: 125, high: 135, halfWidth: 5, n: 5))], replications: 5)
        let near = Self.snapshot([Self.p99(103, .init(low: 98, high: 108, halfWidth: 5, n: 5))], replications: 5)
        let cf = ReportComparison(a: a, b: far), cn = ReportComparison(a: a, b: near)
        #expect(cf.method == "Welch")
        #expect(try #require(cf.rows.first { $0.stat == "p99" }).significance.isSignificant)
        #expect(try !#require(cn.rows.first { $0.stat == "p99" }).significance.isSignificant)
        // Equal variances, equal n: Welch's df = 2(n−1) = 8, se = h/t(0.975, 4) per side.
        let w = try #require(WelchDifference(a: .init(low: 95, high: 105, halfWidth: 5, n: 5), b: .init(low: 125, high: 135, halfWidth: 5, n: 5)))
        let se = 5 / 2.776445 * 2.0.squareRoot()
        #expect(abs(w.halfWidth - 2.306004 * se) < 1e-4)
        #expect(w.mean == 30)
    }

    @Test func pairedWhenBothCarryReplicationsOnTheSameSeed() throws {
        let base: [Double] = [80, 120, 95, 140]
        let reps = { (shift: Double) in base.enumerated().map { [Self.p99($1 + shift + Double($0 % 2) * 0.1)] } }
        let a = Self.snapshot([Self.p99(108, .init(low: 70, high: 146, halfWidth: 38, n: 4))], replications: 4, perReplication: reps(0))
        let b = Self.snapshot([Self.p99(111, .init(low: 73, high: 149, halfWidth: 38, n: 4))], replications: 4, perReplication: reps(3))
        let c = ReportComparison(a: a, b: b)
        #expect(c.method == "paired")
        let row = try #require(c.rows.first { $0.stat == "p99" })
        guard case .interval(let lo, let hi, let method) = row.significance else { Issue.record("no interval"); return }
        #expect(method == "paired")
        #expect(lo > 2.5 && hi < 3.5)  // +3 exactly, the spread cancels
        // Another seed: no pairing, Welch, and the +3 is not significant.
        let other = Self.snapshot([Self.p99(111, .init(low: 73, high: 149, halfWidth: 38, n: 4))], replications: 4, seed: 2, perReplication: reps(3))
        let w = ReportComparison(a: a, b: other)
        #expect(w.method == "Welch")
        #expect(try !#require(w.rows.first { $0.stat == "p99" }).significance.isSignificant)
    }

    @Test func figuresOnOneSideOnlyAreListed() {
        let a = Self.snapshot([Self.p99(1)], replications: 1)
        let b = Self.snapshot([Figure(metric: "new", stat: "p99", kind: .latency, unit: "ms", value: 2)], replications: 1)
        let rows = ReportComparison(a: a, b: b).rows
        #expect(rows.contains { $0.metric == "api" && $0.b == nil })
        #expect(rows.contains { $0.metric == "new" && $0.a == nil && $0.b == 2 })
        #expect(ReportComparison(a: a, b: b).markdown.contains("| new p99 | ms | — | 2 | — | — | — |"))
    }
}
