import Histogram

/// A streaming latency distribution: exact count, mean, min and max, and percentiles from
/// an HdrHistogram with 3 significant digits (relative error ≤ 0.1 %).
///
/// Values are nanoseconds. Resolution is 1 µs (`lowestDiscernible`); values above 30 days
/// are clamped in the histogram but kept exactly in the mean and max. Memory is fixed
/// (about 70 KB: 16-bit counts with carries, `LatencyHistogram+Counts.swift`) whatever the
/// number of samples or the simulated duration.
///
/// The buckets are HdrHistogram's own layout (`LatencyHistogram+Buckets.swift` follows
/// hdrhistogram-swift's `Histogram.countsIndexForValue` and `valueAtPercentile`), kept here
/// in a plain `[UInt64]` with concrete integer arithmetic: recording through the generic
/// `Histogram<UInt64>` across the module boundary went through unspecialised
/// `BinaryInteger` witnesses and cost a fifth of the M/M/8 model's run. The percentiles are
/// the library's to the bit (a test compares them on random samples); `histogram` rebuilds
/// the library's value for the rarer reads (log buckets, the lossless JSON state).
public struct LatencyHistogram: Sendable {
    public static let lowestDiscernible: UInt64 = 1_000
    public static let highestTrackable: UInt64 = 30 * 24 * 3_600 * 1_000_000_000

    /// Sample counts per HdrHistogram bucket (`Buckets.length` of them), 16 bits each with
    /// carries (`LatencyHistogram+Counts.swift`).
    @usableFromInline internal var counts: Counts
    /// The largest value recorded in the buckets (after clamping), 0 when none:
    /// HdrHistogram's `maxValue`.
    @usableFromInline internal var bucketMax: UInt64 = 0
    /// The smallest non-zero value recorded in the buckets, `.max` when none:
    /// HdrHistogram's `minNonZeroValue`.
    @usableFromInline internal var bucketMinNonZero: UInt64 = .max
    @usableFromInline internal var _count: UInt64 = 0
    @usableFromInline internal var sum: Double = 0
    @usableFromInline internal var compensation: Double = 0
    @usableFromInline internal var _min: SimTime = .max
    @usableFromInline internal var _max: SimTime = .min

    /// Samples recorded (also the histogram's total).
    @inlinable public var count: UInt64 { _count }
    /// The exact smallest sample (`.max` when empty).
    @inlinable public var min: SimTime { _min }
    /// The exact largest sample (`.min` when empty).
    @inlinable public var max: SimTime { _max }

    public init() {
        counts = Counts(length: Buckets.length)
    }

    /// Records one latency (negative values are recorded as 0). - Complexity: O(1).
    @inlinable
    public mutating func record(_ value: SimTime) {
        counts.increment(Buckets.index(noteScalars(value)))
    }

    /// Everything `record` updates but the bucket count: the count, the exact sum, the
    /// extremes. Returns the value as the buckets take it (clamped). Shared with `Recorder`.
    @inlinable @inline(__always)
    internal mutating func noteScalars(_ value: SimTime) -> UInt64 {
        let v = value < 0 ? 0 : value
        _count &+= 1
        // Kahan summation: a million samples must not lose the mean to rounding.
        let y = Double(v) - compensation
        let t = sum + y
        compensation = (t - sum) - y
        sum = t
        if v < _min { _min = v }
        if v > _max { _max = v }
        let u = Swift.min(UInt64(v), LatencyHistogram.highestTrackable)
        if u > bucketMax { bucketMax = u }
        if u < bucketMinNonZero && u != 0 { bucketMinNonZero = u }
        return u
    }

    /// Exact arithmetic mean in nanoseconds (0 when empty).
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The value at percentile `p` (0–100) in nanoseconds, HdrHistogram's definition (the
    /// highest value equivalent to the smallest recorded value with at least p % at or below it).
    public func percentile(_ p: Double) -> Double {
        count == 0 ? 0 : Double(Swift.min(valueAtPercentile(p), UInt64(Swift.max(max, 0))))
    }

    /// Fraction of samples at or below `value`.
    public func fraction(atOrBelow value: SimTime) -> Double {
        guard count > 0 else { return 0 }
        // HdrHistogram's percentileAtOrBelowValue, then as a fraction.
        let target = Swift.min(Buckets.index(UInt64(Swift.max(0, value))), counts.count - 1)
        var total: UInt64 = 0
        counts.forEach { i, c in
            guard i <= target else { return false }
            total &+= c
            return true
        }
        return (100.0 * Double(total)) / Double(count) / 100
    }

    /// Adds another histogram's samples (for merging replications, in index order).
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        other.counts.forEach { i, c in
            if c != 0 { counts.add(i, c) }
            return true
        }
        bucketMax = Swift.max(bucketMax, other.bucketMax)
        bucketMinNonZero = Swift.min(bucketMinNonZero, other.bucketMinNonZero)
        _count &+= other.count
        sum += other.sum
        _min = Swift.min(_min, other.min)
        _max = Swift.max(_max, other.max)
    }

    /// Counts per logarithmic bucket for charts: (upper bound ns, count) pairs.
    public func logBuckets(firstBucket: UInt64 = 1_000_000, base: Double = 2) -> [(upper: UInt64, count: UInt64)] {
        guard count > 0 else { return [] }
        return histogram.logarithmicBucketValues(valueUnitsInFirstBucket: firstBucket, logBase: base)
            .map { ($0.value, $0.countAddedInThisIterationStep) }
    }
}
