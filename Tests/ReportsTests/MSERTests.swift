import SimCore
import Testing

/// MSER-5 truncation (`warmup: auto`).
@Suite struct MSERTests {
    /// Batch means 9, 1, 3, 1, 3, 1, 3 (k = 7, cut searched in d = 0…3):
    ///   d=0: mean 3,  SS = 36+4+0+4+0+4+0 = 48, MSER = 48/49
    ///   d=1: mean 2,  SS = 6 · 1 = 6,           MSER = 6/36
    ///   d=2: mean 2.2, SS = 3 · 0.64 + 2 · 1.44 = 4.8, MSER = 4.8/25
    ///   d=3: mean 2,  SS = 4,                   MSER = 4/16
    /// so MSER deletes exactly the first batch.
    @Test func handComputedSeries() {
        let z: [Double] = [9, 1, 3, 1, 3, 1, 3]
        let s = MSER.statistic(batchMeans: z)
        let expected = [48.0 / 49, 6.0 / 36, 4.8 / 25, 4.0 / 16]
        for (d, e) in expected.enumerated() { #expect(abs(s[d] - e) < 1e-12, "MSER(\(d)) = \(s[d]), expected \(e)") }
        #expect(s.count == 6)
        #expect(MSER.truncationPoint(batchMeans: z) == 1)
    }

    @Test func batchesOfFiveAndTheObservationCount() {
        #expect(MSER.batchMeans([1, 2, 3, 4, 5, 10, 10, 10, 10, 10, 99]) == [3, 10])  // incomplete batch dropped
        // The same series as above, each batch mean repeated as five observations.
        let means: [Double] = [9, 1, 3, 1, 3, 1, 3]
        let raw: [Double] = means.flatMap { m -> [Double] in Array(repeating: m, count: 5) }
        let t = MSER.truncation(observations: raw)
        #expect(t.batches == 1 && t.observations == 5 && t.batchCount == 7)
        #expect(!t.reliable)  // fewer than 10 batches
    }

    @Test func degenerateInputs() {
        #expect(MSER.truncationPoint(batchMeans: []) == 0)
        #expect(MSER.truncationPoint(batchMeans: [5]) == 0)
        #expect(MSER.truncationPoint(batchMeans: [4, 4, 4, 4]) == 0)  // ties: the first minimum
        #expect(MSER.statistic(batchMeans: [1]).isEmpty)
    }

    /// Deterministic noise in [−1, 1] (a 64-bit LCG), so the test needs no seeds.
    static func noise(_ n: Int) -> [Double] {
        var x: UInt64 = 0x2545_F491_4F6C_DD1D
        return (0..<n).map { _ in
            x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(x >> 11) / Double(1 << 53) * 2 - 1
        }
    }

    /// A known transient: 20·e^(−t/200) decaying onto stationary noise. The cut must fall
    /// where the transient has faded into the noise (it is below the batch-mean noise of
    /// about 0.26 after t ≈ 870), and what is kept must be unbiased.
    @Test func knownExponentialTransient() {
        let n = 20_000
        let eps = Self.noise(n)
        var decay = 20.0
        var series = [Double]()
        for e in eps {
            series.append(decay + e)
            decay *= 0.995012479192682  // e^(−1/200)
        }
        let t = MSER.truncation(observations: series)
        #expect(t.reliable)
        #expect(t.observations >= 400 && t.observations <= 2_000, "cut at \(t.observations)")
        let kept = series[t.observations...]
        let mean = kept.reduce(0, +) / Double(kept.count)
        #expect(abs(mean) < 0.05, "kept mean \(mean)")
        let all = series.reduce(0, +) / Double(n)
        #expect(all > 0.15)  // without the cut the mean is biased by the transient
    }

    @Test func stationarySeriesKeepsAlmostEverything() {
        let t = MSER.truncation(observations: Self.noise(10_000))
        #expect(t.reliable)
        #expect(t.observations <= 500, "cut at \(t.observations)")
    }

    @Test func runTooShortIsFlagged() {
        // A ramp that never settles: the minimum wants the very end, past the first half.
        let t = MSER.truncation(observations: (0..<1000).map { 100 * Self.exp2Approx(-Double($0) / 300) })
        #expect(!t.reliable)
    }

    static func exp2Approx(_ x: Double) -> Double {
        var r = 1.0, term = 1.0
        let y = x * 0.6931471805599453
        for k in 1...30 { term *= y / Double(k); r += term }
        return r
    }
}
