import Reports
import SimCore
import Testing

/// SLO evaluation, baseline comparison in both modes, tolerances.
@Suite struct GateTests {
    static var table: FigureTable { FigureTable(report: SyntheticReports.platform()) }

    @Test func sloPassesAndFailsWithFigureAndLimit() throws {
        let t = Self.table
        let p99 = try #require(t.figure("place_order@eu.latency", "p99")).value
        let ok = try Objective(name: "place_order.latency.p99@eu", metric: "place_order.latency", stat: "p99",
                               max: .duration(nanoseconds: (p99 + 50) * 1e6), region: "eu").resolve(in: t)
        #expect(ok.metric == "place_order@eu.latency")
        #expect(ok.unit == "ms")
        let pass = ok.check(t, scenario: "s")
        #expect(pass.passed)
        #expect(pass.message == "slo: place_order@eu.latency p99 = \(Report.num(p99)) ms, limit ≤ \(Report.num(p99 + 50)) ms")

        let tight = try Objective(name: "tight", metric: "place_order@eu.latency", stat: "p99", max: .number(p99 / 2)).resolve(in: t)
        let fail = tight.check(t, scenario: "s")
        #expect(!fail.passed)
        #expect(fail.message.hasPrefix("slo 'tight': place_order@eu.latency p99 = \(Report.num(p99)) ms, limit ≤ \(Report.num(p99 / 2)) ms (exceeded by 100 %"))
        #expect(fail.line.hasPrefix("FAIL  s: slo 'tight': "))
    }

    @Test func minimumObjectivesAndCountersAndGauges() throws {
        let t = Self.table
        let within = try Objective(name: "w", metric: "orders.within_target_ratio", stat: "ratio", min: .number(0.95)).resolve(in: t)
        #expect(!within.isMax)
        let c = within.check(t, scenario: "s")
        #expect(!c.passed)
        #expect(c.message.contains("limit ≥ 0.95 (short by"))
        let busy = try Objective(name: "b", metric: "couriers.busy", stat: "mean", max: .number(500)).resolve(in: t)
        #expect(busy.check(t, scenario: "s").passed)
        let util = try Objective(name: "u", metric: "order_service.utilization", stat: "max", max: .number(0.9)).resolve(in: t)
        #expect(!util.check(t, scenario: "s").passed)
    }

    @Test func unknownMetricSuggestsTheClosestName() {
        #expect(throws: GateInputError.self) { try Objective(name: "x", metric: "click_to_dor", stat: "p90", max: .number(1)).resolve(in: Self.table) }
        do {
            _ = try Objective(name: "x", metric: "click_to_dor", stat: "p90", max: .number(1), location: "s.yaml:12:5").resolve(in: Self.table)
            Issue.record("no error")
        } catch {
            #expect(error.description.hasPrefix("s.yaml:12:5: SLO 'x': the report has no metric 'click_to_dor'; did you mean 'click_to_door'?"))
        }
        do {
            _ = try Objective(name: "r", metric: "place_order.latency", stat: "p99", max: .number(1), region: "asia").resolve(in: Self.table)
            Issue.record("no error")
        } catch {
            #expect(error.description.contains("no metric 'place_order@asia.latency'"))
            #expect(error.description.contains("did you mean 'place_order@"))
        }
    }

    @Test func wrongStatisticOrUnitIsInputError() {
        #expect(throws: GateInputError.unsupportedStat(objective: "c", metric: "orders.delivered", kind: .counter, stat: "p99",
                                                       allowed: ["count", "ratio"], location: "")) {
            try Objective(name: "c", metric: "orders.delivered", stat: "p99", max: .number(1)).resolve(in: Self.table)
        }
        #expect(throws: GateInputError.limitUnit(objective: "d", metric: "orders.delivered", unit: "", location: "")) {
            try Objective(name: "d", metric: "orders.delivered", stat: "count", max: .duration(nanoseconds: 1e9)).resolve(in: Self.table)
        }
        #expect(throws: GateInputError.noLimit(objective: "n", location: "")) {
            try Objective(name: "n", metric: "orders.delivered", stat: "count").resolve(in: Self.table)
        }
    }

    @Test func tolerancesParse() {
        #expect(Tolerance("5%")?.fraction == 0.05)
        #expect(Tolerance(" 12.5 % ")?.fraction == 0.125)
        #expect(Tolerance("0.05")?.fraction == 0.05)
        #expect(Tolerance("0")?.fraction == 0)
        #expect(Tolerance("5") == nil)
        #expect(Tolerance("-1%") == nil)
        #expect(Tolerance("abc") == nil)
        #expect(Tolerance(fraction: 0.05).description == "5 %")
    }

    static func table(_ figures: [(String, String, Double)]) -> FigureTable {
        FigureTable(figures: figures.map { Figure(metric: $0.0, stat: $0.1, kind: .latency, unit: "ms", value: $0.2) }
                    + figures.map { Figure(metric: $0.0, stat: "count", kind: .latency, unit: "", value: 100) })
    }

    @Test func exactModeFailsOnlyBeyondTheTolerance() {
        let base = Self.table([("api.latency", "p99", 100), ("api.latency", "p50", 0.001), ("api.latency", "mean", 50)])
        let targets = BaselineGate.targets(baseline: base)
        #expect(targets.map { "\($0.metric) \($0.stat)" } == ["api.latency mean", "api.latency p50", "api.latency p99"])
        let gate = BaselineGate(tolerance: 0.05)
        let same = gate.exact(scenario: "s", candidate: base, baseline: base, targets: targets)
        #expect(same.allSatisfy { $0.passed })
        let cand = Self.table([("api.latency", "p99", 105), ("api.latency", "p50", 0.5), ("api.latency", "mean", 40)])
        let checks = gate.exact(scenario: "s", candidate: cand, baseline: base, targets: targets)
        #expect(checks.map(\.passed) == [true, false, true])  // mean improved, p50 from ~0 fails, p99 at exactly +5 % passes
        #expect(checks[0].message.contains("improved beyond the tolerance"))
        #expect(checks[1].message.contains("regressed beyond the tolerance"))
        #expect(checks[2].message == "baseline: api.latency p99 = 105 ms vs 100 ms (+5 %), allowed +5 %")
        // A latency floor absorbs the near-zero p50.
        let floored = BaselineGate(tolerance: 0.05, latencyFloor: 1).exact(scenario: "s", candidate: cand, baseline: base, targets: targets)
        #expect(floored.allSatisfy { $0.passed })
        #expect(floored[2].message.contains("allowed +5 % + 1 ms"))
        // A figure that disappeared fails.
        let gone = gate.exact(scenario: "s", candidate: Self.table([("api.latency", "mean", 50)]), baseline: base, targets: targets)
        #expect(gone.filter { !$0.passed }.allSatisfy { $0.message.contains("missing from this run") })
        #expect(gone.filter { !$0.passed }.count == 2)
    }

    @Test func sloDirectionDecidesWhatIsWorse() throws {
        let base = FigureTable(figures: [Figure(metric: "hit", stat: "value", kind: .counter, unit: "", value: 0.9)])
        let o = try Objective(name: "hit", metric: "hit", stat: "ratio", min: .number(0.5)).resolve(in: base)
        let targets = BaselineGate.targets(baseline: base, objectives: [o])
        #expect(targets == [BaselineGate.Target(metric: "hit", stat: "value", higherIsWorse: false)])
        let lower = FigureTable(figures: [Figure(metric: "hit", stat: "value", kind: .counter, unit: "", value: 0.8)])
        #expect(!BaselineGate(tolerance: 0.05).exact(scenario: "s", candidate: lower, baseline: base, targets: targets)[0].passed)
    }

    @Test func pairedModeUsesTheIntervalOfTheDifference() {
        // Baseline replications with a lot of spread; the candidate adds a shift plus small
        // noise. Paired, the spread cancels.
        let spread: [Double] = [80, 120, 95, 140, 60, 110, 100, 90]
        let noise: [Double] = [0.5, -0.3, 0.2, -0.4, 0.1, 0.3, -0.2, -0.2]  // sums to 0
        func tables(_ xs: [Double]) -> [FigureTable] { xs.map { Self.table([("api.latency", "p99", $0)]) } }
        let base = tables(spread)
        let targets = [BaselineGate.Target(metric: "api.latency", stat: "p99", higherIsWorse: true)]
        let gate = BaselineGate(tolerance: 0.05)  // allowed: 5 % of 99.375 ≈ 4.97 ms
        let small = gate.paired(scenario: "s", candidate: tables(zip(spread, noise).map { $0 + $1 + 4 }), baseline: base, targets: targets)
        #expect(small[0].passed, "\(small[0].message)")  // +4 ms: inside the tolerance
        let big = gate.paired(scenario: "s", candidate: tables(zip(spread, noise).map { $0 + $1 + 8 }), baseline: base, targets: targets)
        #expect(!big[0].passed, "\(big[0].message)")     // +8 ms, interval well above 4.97
        #expect(big[0].message.contains("the whole interval lies beyond the tolerance"))
        #expect(big[0].message.hasPrefix("baseline (paired, 8 replications): api.latency p99 Δ = +8 ms, 95 % CI [+"))
        // Unpaired, the same +8 ms would be lost in the spread (sd ≈ 25 ms): pairing matters.
        let shuffled = gate.paired(scenario: "s", candidate: tables(zip(spread.reversed(), noise).map { $0 + $1 + 8 }), baseline: base, targets: targets)
        #expect(shuffled[0].passed)
    }

    @Test func pairedDifferenceIsExactForIdenticalRuns() throws {
        let d = try #require(PairedDifference(baseline: [1, 2, 3], candidate: [1, 2, 3]))
        #expect(d.mean == 0 && d.halfWidth == 0)
        #expect(PairedDifference(baseline: [1], candidate: [1]) == nil)
        #expect(PairedDifference(baseline: [1, 2], candidate: [1]) == nil)
        // Known case: differences 1, 2, 3 → mean 2, sd 1, t(0.975, 2) = 4.302653 → h = 2.484138.
        let k = try #require(PairedDifference(baseline: [0, 0, 0], candidate: [1, 2, 3]))
        #expect(abs(k.halfWidth - 4.302653 / 3.0.squareRoot()) < 1e-5)
    }
}

/// JUnit XML for CI.
@Suite struct JUnitTests {
    @Test func oneSuitePerScenarioOneCasePerCheck() {
        let outcome = GateOutcome(checks: [
            GateCheck(scenario: "a", kind: .slo, name: "x.p99", passed: true, message: "fine"),
            GateCheck(scenario: "a", kind: .baseline, name: "baseline x p99", passed: false, message: "x p99 = 5 ms vs 4 ms & \"worse\" <bad>"),
            GateCheck(scenario: "b", kind: .invariants, name: "invariants", passed: true, message: "ok"),
        ])
        #expect(outcome.summaryLine == "2 passed, 1 failed")
        let xml = JUnitWriter.xml(outcome)
        #expect(xml == """
            <?xml version="1.0" encoding="UTF-8"?>
            <testsuites name="capsim check" tests="3" failures="1" errors="0">
              <testsuite name="a" tests="2" failures="1" errors="0" skipped="0">
                <testcase classname="capsim.a.slo" name="x.p99"/>
                <testcase classname="capsim.a.baseline" name="baseline x p99">
                  <failure type="baseline" message="x p99 = 5 ms vs 4 ms &amp; &quot;worse&quot; &lt;bad&gt;">FAIL  a: x p99 = 5 ms vs 4 ms &amp; &quot;worse&quot; &lt;bad&gt;</failure>
                </testcase>
              </testsuite>
              <testsuite name="b" tests="1" failures="0" errors="0" skipped="0">
                <testcase classname="capsim.b.invariants" name="invariants"/>
              </testsuite>
            </testsuites>

            """)
        let md = outcome.markdown
        #expect(md.hasPrefix("## capsim check: FAILED\n\n**2 passed, 1 failed**"))
        #expect(md.contains("| **FAIL** | a | baseline x p99 |"))
    }
}
