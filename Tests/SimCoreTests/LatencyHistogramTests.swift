import Histogram
import Testing
@testable import SimCore

/// `LatencyHistogram` keeps HdrHistogram's buckets itself (concrete arithmetic on the hot
/// path); the oracle here is hdrhistogram-swift's own `Histogram<UInt64>` with the same
/// parameters, fed the same (clamped) values: every figure must be the library's, to the bit.
@Suite struct LatencyHistogramTests {
    /// Samples spanning every region of the layout: zeros and negatives, values inside the
    /// zero bucket (< 512 ns), unit-resolution values, the sub-bucket seams, a lognormal body
    /// around 50 ms, and values beyond the 30-day clamp.
    static func samples(seed: UInt32, n: Int) -> [SimTime] {
        let r = RandomStream(seed: seed)
        var xs: [SimTime] = [0, -5, 1, 300, 511, 512, 1_000, 1_048_575, 1_048_576, 2_097_151,
                             SimTime(LatencyHistogram.highestTrackable), SimTime(LatencyHistogram.highestTrackable) + 1, 40 * SimUnit.day]
        for _ in 0..<n {
            switch r.integer(below: 4) {
            case 0: xs.append(SimTime(r.integer(below: 4_000)))
            case 1: xs.append(SimTime(r.next32()) << SimTime(r.integer(below: 20)))
            default: xs.append(SimUnit.fromSeconds(Distribution.lognormal(median: 0.05, sigma: 2).sample(r)))
            }
        }
        return xs
    }

    static func library() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: LatencyHistogram.lowestDiscernible,
                          highestTrackableValue: LatencyHistogram.highestTrackable, numberOfSignificantValueDigits: .three)
    }

    /// What `LatencyHistogram.record` fed the library before: negatives as 0, clamped at 30 days.
    static func libraryValue(_ x: SimTime) -> UInt64 { Swift.min(UInt64(Swift.max(x, 0)), LatencyHistogram.highestTrackable) }

    static let percentiles: [Double] = [0, 1e-9, 0.1, 1, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 99.9999, 100, 101]

    @Test func bucketLayoutIsTheLibrarys() {
        // The literals in LatencyHistogram+Buckets, from the library's constructor formulas.
        let unit = 63 - LatencyHistogram.lowestDiscernible.leadingZeroBitCount    // ⌊log2 1000⌋
        let subMagnitude = 64 - UInt64(2 * 1_000 - 1).leadingZeroBitCount          // ⌈log2 2000⌉
        #expect(LatencyHistogram.Buckets.unitMagnitude == unit && unit == 9)
        #expect(LatencyHistogram.Buckets.subBucketCountMagnitude == subMagnitude)
        #expect(LatencyHistogram.Buckets.subBucketHalfCountMagnitude == subMagnitude - 1)
        #expect(LatencyHistogram.Buckets.subBucketCount == 1 << subMagnitude)
        #expect(LatencyHistogram.Buckets.subBucketHalfCount == 1 << (subMagnitude - 1))
        #expect(LatencyHistogram.Buckets.subBucketMask == UInt64((1 << subMagnitude) - 1) << UInt64(unit))
        #expect(LatencyHistogram.Buckets.leadingZeroCountBase == 64 - unit - subMagnitude)
        var untrackable = UInt64(1 << subMagnitude) << UInt64(unit), buckets = 1
        while untrackable <= LatencyHistogram.highestTrackable { untrackable <<= 1; buckets += 1 }
        #expect(LatencyHistogram.Buckets.bucketCount == buckets)
        #expect(LatencyHistogram.Buckets.length == (buckets + 1) << (subMagnitude - 1))
        // The highest trackable value sits in the last bucket of that length.
        let lib = Self.library()
        #expect(LatencyHistogram.Buckets.index(LatencyHistogram.highestTrackable) < LatencyHistogram.Buckets.length)
        #expect(LatencyHistogram.Buckets.index(LatencyHistogram.highestTrackable) >= LatencyHistogram.Buckets.length - LatencyHistogram.Buckets.subBucketHalfCount)
        for x in Self.samples(seed: 11, n: 5_000) {
            let v = Self.libraryValue(x)
            #expect(LatencyHistogram.Buckets.lowestEquivalent(v) == lib.lowestEquivalentForValue(v))
            #expect(LatencyHistogram.Buckets.highestEquivalent(v) == lib.highestEquivalentForValue(v))
            #expect(LatencyHistogram.Buckets.valueFromIndex(LatencyHistogram.Buckets.index(v)) == lib.lowestEquivalentForValue(v))
        }
    }

    /// Percentiles, fractions, log buckets and the rebuilt library value equal the library's.
    static func expectSame(_ h: LatencyHistogram, _ lib: Histogram<UInt64>, _ xs: [SimTime]) {
        #expect(h.count == lib.totalCount)
        for p in percentiles {
            #expect(h.percentile(p) == Double(Swift.min(lib.valueAtPercentile(p), UInt64(Swift.max(h.max, 0)))), "p\(p)")
        }
        for x in xs.prefix(300) + [0, -1, SimTime.max / 2] {
            #expect(h.fraction(atOrBelow: x) == lib.percentileAtOrBelowValue(UInt64(Swift.max(0, x))) / 100, "at \(x)")
        }
        let logs = lib.logarithmicBucketValues(valueUnitsInFirstBucket: 1_000_000, logBase: 2).map { [$0.value, $0.countAddedInThisIterationStep] }
        #expect(h.logBuckets().map { [$0.upper, $0.count] } == logs)
        let rebuilt = h.histogram
        #expect(rebuilt == lib)
        #expect(rebuilt.maxRecorded == lib.maxRecorded && rebuilt.minNonZero == lib.minNonZero && rebuilt.min == lib.min)
    }

    @Test func figuresAreTheLibrarysToTheBit() {
        let xs = Self.samples(seed: 5, n: 40_000)
        var h = LatencyHistogram(), lib = Self.library()
        for x in xs { h.record(x); lib.record(Self.libraryValue(x)) }
        Self.expectSame(h, lib, xs)
        // Only positive samples: the library's `min` is then the smallest non-zero value.
        var hp = LatencyHistogram(), libp = Self.library()
        for x in xs where x >= 2_000 { hp.record(x); libp.record(Self.libraryValue(x)) }
        Self.expectSame(hp, libp, xs)
    }

    @Test func mergeAndStateRoundTripAreTheLibrarys() throws {
        let xs = Self.samples(seed: 9, n: 20_000)
        var a = LatencyHistogram(), b = LatencyHistogram(), la = Self.library(), lb = Self.library()
        for (i, x) in xs.enumerated() {
            if i % 3 == 0 { a.record(x); la.record(Self.libraryValue(x)) } else { b.record(x); lb.record(Self.libraryValue(x)) }
        }
        a.merge(b)
        la.add(lb)
        Self.expectSame(a, la, xs)
        let back = try LatencyHistogram(stateJSON: a.stateJSON, path: "h")
        Self.expectSame(back, la, xs)
        #expect(back.stateJSON.serialized(sortedKeys: true) == a.stateJSON.serialized(sortedKeys: true))
        #expect(back.mean == a.mean && back.min == a.min && back.max == a.max)
    }
}
