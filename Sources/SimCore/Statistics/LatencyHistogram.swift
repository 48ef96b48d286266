import Histogram

/// A streaming latency distribution: exact count, mean, min and max, and percentiles from
/// an HdrHistogram with 3 significant digits (relative error ≤ 0.1 %).
///
/// Values are nanoseconds. Resolution is 1 µs (`lowestDiscernible`); values above 30 days
/// are clamped in the histogram but kept exactly in the mean and max. Memory is fixed
/// (about 250 KB) whatever the number of samples or the simulated duration.
public struct LatencyHistogram: Sendable {
    public static let lowestDiscernible: UInt64 = 1_000
    public static let highestTrackable: UInt64 = 30 * 24 * 3_600 * 1_000_000_000

    @usableFromInline internal var histogram: Histogram<UInt64>
    public internal(set) var count: UInt64 = 0
    @usableFromInline internal var sum: Double = 0
    @usableFromInline internal var compensation: Double = 0
    public internal(set) var min: SimTime = .max
    public internal(set) var max: SimTime = .min

    public init() {
        histogram = Histogram<UInt64>(
            lowestDiscernibleValue: LatencyHistogram.lowestDiscernible,
            highestTrackableValue: LatencyHistogram.highestTrackable,
            numberOfSignificantValueDigits: .three)
    }

    /// Records one latency (negative values are recorded as 0). - Complexity: O(1).
    public mutating func record(_ value: SimTime) {
        let v = value < 0 ? 0 : value
        count &+= 1
        // Kahan summation: a million samples must not lose the mean to rounding.
        let y = Double(v) - compensation
        let t = sum + y
        compensation = (t - sum) - y
        sum = t
        if v < min { min = v }
        if v > max { max = v }
        _ = histogram.record(Swift.min(UInt64(v), LatencyHistogram.highestTrackable))
    }

    /// Exact arithmetic mean in nanoseconds (0 when empty).
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The value at percentile `p` (0–100) in nanoseconds, HdrHistogram's definition (the
    /// highest value equivalent to the smallest recorded value with at least p % at or below it).
    public func percentile(_ p: Double) -> Double {
        count == 0 ? 0 : Double(Swift.min(histogram.valueAtPercentile(p), UInt64(Swift.max(max, 0))))
    }

    /// Fraction of samples at or below `value`.
    public func fraction(atOrBelow value: SimTime) -> Double {
        count == 0 ? 0 : histogram.percentileAtOrBelowValue(UInt64(Swift.max(0, value))) / 100
    }

    /// Adds another histogram's samples (for merging replications, in index order).
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0 else { return }
        histogram.add(other.histogram)
        count &+= other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// Counts per logarithmic bucket for charts: (upper bound ns, count) pairs.
    public func logBuckets(firstBucket: UInt64 = 1_000_000, base: Double = 2) -> [(upper: UInt64, count: UInt64)] {
        guard count > 0 else { return [] }
        return histogram.logarithmicBucketValues(valueUnitsInFirstBucket: firstBucket, logBase: base)
            .map { ($0.value, $0.countAddedInThisIterationStep) }
    }
}
