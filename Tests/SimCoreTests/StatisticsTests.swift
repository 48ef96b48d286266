import Testing
import SimCore

@Suite struct StatisticsTests {
    @Test func histogramPercentilesWithinThreeSignificantDigits() {
        let r = RandomStream(seed: 3)
        var h = LatencyHistogram()
        var xs: [SimTime] = []
        for _ in 0..<100_000 {
            let x = SimUnit.fromSeconds(Distribution.lognormal(median: 0.05, sigma: 1).sample(r))
            xs.append(x); h.record(x)
        }
        xs.sort()
        for p in [50.0, 90, 99, 99.9] {
            // Nearest-rank percentile of the exact sample; HdrHistogram reports the top of the
            // bucket holding it, at most 0.1 % above (3 significant digits) and never below.
            // rank = ⌈p·n/100⌉, computed so 99.9·100000/100 is 99900 and not 99900.00000000001.
            let exact = Double(xs[Int((p * Double(xs.count) / 100 - 1e-7).rounded(.up)) - 1])
            let got = h.percentile(p)
            #expect(got >= exact * (1 - 1e-9) && got <= exact * 1.001 + 1_000, "p\(p): \(got) vs \(exact)")
        }
        #expect(abs(h.mean - Double(xs.reduce(0, +)) / Double(xs.count)) < 1e-6 * h.mean)
        #expect(h.max == xs.last! && h.min == xs.first!)
    }

    @Test func mergingHistogramsEqualsRecordingEverything() {
        var a = LatencyHistogram(), b = LatencyHistogram(), all = LatencyHistogram()
        for i in 0..<10_000 {
            let x = SimTime(i * 7_919 % 5_000_000 + 1_000)
            if i % 3 == 0 { a.record(x) } else { b.record(x) }
            all.record(x)
        }
        a.merge(b)
        #expect(a.count == all.count && a.max == all.max && a.min == all.min)
        for p in [10.0, 50, 99] { #expect(a.percentile(p) == all.percentile(p)) }
    }

    @Test func timeWeightedGaugeMatchesTheIntegral() {
        var g = TimeWeightedGauge(initial: 0, at: 0)
        g.set(2, at: 10)   // 0 on [0,10)
        g.set(5, at: 30)   // 2 on [10,30)
        g.set(1, at: 40)   // 5 on [30,40), then 1 until 100
        // (0·10 + 2·20 + 5·10 + 1·60) / 100 = 1.5
        #expect(g.mean(until: 100) == 1.5)
        #expect(g.max == 5)
    }

    @Test func seriesCoarsenWithoutLosingTotals() {
        var ts = TimeSeries(interval: 10, maxPoints: 8)
        var g = GaugeSeries(interval: 10, maxPoints: 8)
        var total = 0.0
        for t in stride(from: 0, to: 1000, by: 7) {
            ts.record(1, at: SimTime(t))
            total += 1
            g.set(Double(t % 3), at: SimTime(t))
        }
        g.finish(at: 1000)
        #expect(ts.points.count <= 8 && ts.interval == 160)
        #expect(Double(ts.points.map(\.count).reduce(0, +)) == total)
        // Exact integral of the level: value (t mod 3) held for 7 ns from each t (the last to 1000).
        var exact = 0.0
        for t in stride(from: 0, to: 1000, by: 7) { exact += Double(t % 3) * Double(min(t + 7, 1000) - t) }
        #expect(abs(g.integrals.reduce(0, +) - exact) < 1e-9)
        #expect(g.count <= 8)
    }

    @Test func studentQuantileMatchesTables() {
        // Published t-table values: t(0.975, 9) = 2.262, t(0.975, 1) = 12.706, t(0.995, 30) = 2.750.
        #expect(abs(ConfidenceInterval.studentQuantile(0.975, degreesOfFreedom: 9) - 2.262157) < 1e-5)
        #expect(abs(ConfidenceInterval.studentQuantile(0.975, degreesOfFreedom: 1) - 12.706205) < 1e-5)
        #expect(abs(ConfidenceInterval.studentQuantile(0.995, degreesOfFreedom: 30) - 2.749996) < 1e-5)
        let ci = ConfidenceInterval(samples: [1, 2, 3, 4, 5])
        // mean 3, s = √2.5, t(0.975, 4) = 2.776445 → half-width 1.963243
        #expect(abs(ci.halfWidth - 1.963243) < 1e-5 && ci.mean == 3)
    }

    @Test func tallyMergeEqualsSequential() {
        var a = Tally(), b = Tally(), all = Tally()
        for i in 0..<1000 { let x = Double(i % 17) * 1.5; if i < 400 { a.add(x) } else { b.add(x) }; all.add(x) }
        a.merge(b)
        #expect(a.count == all.count && abs(a.mean - all.mean) < 1e-12 && abs(a.variance - all.variance) < 1e-9)
    }

    @Test func replicationsDoNotDependOnThreads() {
        let body: @Sendable (Int) -> [Double] = { i in
            let r = StreamSeeder(masterSeed: StreamSeeder.replicationSeed(5, index: i)).stream("x")
            return (0..<1000).map { _ in r.uniform() }
        }
        let one = Replications.run(count: 7, threads: 1, body)
        let four = Replications.run(count: 7, threads: 4, body)
        #expect(one == four)
    }
}
