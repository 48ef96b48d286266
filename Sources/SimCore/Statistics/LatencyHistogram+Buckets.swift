import Histogram

/// HdrHistogram's bucket layout for `LatencyHistogram` (lowest discernible 1 µs, highest
/// trackable 30 days, 3 significant digits), as concrete `UInt64` arithmetic.
///
/// Each function follows the one of the same name in hdrhistogram-swift 0.2.0
/// (`Sources/Histogram/Histogram.swift`: `init(lowestDiscernibleValue:highestTrackableValue:numberOfSignificantValueDigits:)`,
/// `bucketIndexForValue`, `subBucketIndexForValue`, `countsIndexFor`, `valueFromIndex`,
/// `lowestEquivalentForValue`, `sizeOfEquivalentRangeFor`, `valueAtPercentile`), itself a
/// port of Gil Tene's HdrHistogram (`AbstractHistogram.java`), so the counts index and
/// every percentile are the library's.
extension LatencyHistogram {
    @usableFromInline
    enum Buckets {
        // Literals, so inlined code reads no lazily initialised global; Tests/SimCoreTests
        // (LatencyHistogramTests) derive each from the library's formulas and compare.
        /// Largest k with 2^k ≤ lowestDiscernible: 9 for 1,000 ns.
        @inlinable static var unitMagnitude: Int { 9 }
        /// 2 × 10^3 values at unit resolution, rounded up to a power of two: 2^11.
        @inlinable static var subBucketCountMagnitude: Int { 11 }
        @inlinable static var subBucketHalfCountMagnitude: Int { 10 }
        @inlinable static var subBucketCount: Int { 2048 }
        @inlinable static var subBucketHalfCount: Int { 1024 }
        /// (subBucketCount − 1) << unitMagnitude.
        @inlinable static var subBucketMask: UInt64 { 2047 << 9 }
        /// 64 − unitMagnitude − subBucketCountMagnitude.
        @inlinable static var leadingZeroCountBase: Int { 44 }
        /// Buckets needed to reach `highestTrackable` (2^20 doubled until above 2.592e15: 33).
        static var bucketCount: Int { 33 }
        /// (bucketCount + 1) × subBucketHalfCount.
        static var length: Int { 34_816 }

        @inlinable @inline(__always)
        static func bucketIndex(_ value: UInt64) -> Int {
            leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
        }

        /// The counts index of `value` (≤ highestTrackable). - Complexity: O(1).
        @inlinable @inline(__always)
        static func index(_ value: UInt64) -> Int {
            let b = bucketIndex(value)
            let sub = Int(truncatingIfNeeded: value &>> UInt64(truncatingIfNeeded: b + unitMagnitude))
            return ((b + 1) << subBucketHalfCountMagnitude) + sub - subBucketHalfCount
        }

        /// The lowest value counted at `index`.
        static func valueFromIndex(_ index: Int) -> UInt64 {
            var b = (index >> subBucketHalfCountMagnitude) - 1
            var sub = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
            if b < 0 {
                sub -= subBucketHalfCount
                b = 0
            }
            return UInt64(sub) << UInt64(b + unitMagnitude)
        }

        static func lowestEquivalent(_ value: UInt64) -> UInt64 {
            let b = bucketIndex(value)
            let sub = Int(truncatingIfNeeded: value >> UInt64(b + unitMagnitude))
            return UInt64(sub) << UInt64(b + unitMagnitude)
        }

        static func sizeOfEquivalentRange(_ value: UInt64) -> UInt64 {
            let b = bucketIndex(value)
            let sub = Int(truncatingIfNeeded: value >> UInt64(b + unitMagnitude))
            return UInt64(1) << UInt64(unitMagnitude + (sub >= subBucketCount ? b + 1 : b))
        }

        static func highestEquivalent(_ value: UInt64) -> UInt64 {
            lowestEquivalent(value) + sizeOfEquivalentRange(value) - 1
        }

        static func equivalent(_ a: UInt64, _ b: UInt64) -> Bool { lowestEquivalent(a) == lowestEquivalent(b) }
    }

    /// HdrHistogram's `min`: 0 when the zero bucket holds samples (or none were recorded),
    /// else the smallest non-zero value recorded.
    var bucketMin: UInt64 { (counts[0] > 0 || count == 0) ? 0 : bucketMinNonZero }

    /// HdrHistogram's `valueAtPercentile`: the highest value equivalent to the value at the
    /// first index where the running count reaches ⌈p/100 · total⌉ (p reduced by one ulp).
    func valueAtPercentile(_ percentile: Double) -> UInt64 {
        guard percentile != 0.0 else { return bucketMin }
        guard percentile < 100.0 else { return bucketMax }
        let requested = Swift.min(Swift.max(percentile.nextDown, 0.0), 100.0)
        let countAtPercentile = Swift.max(1, UInt64(((requested * Double(count)) / 100.0).rounded(.up)))
        var total: UInt64 = 0
        var result: UInt64 = 0
        counts.forEach { i, c in
            total &+= c
            guard total >= countAtPercentile else { return true }
            let value = Buckets.highestEquivalent(Buckets.valueFromIndex(i))
            result = Swift.max(Swift.min(value, bucketMax), bucketMin)
            return false
        }
        return result
    }

    /// Adds `n` samples of `value` to the buckets alone (count, sum and extremes untouched):
    /// HdrHistogram's `record(_:count:)`. False when `value` is beyond the highest bucket.
    mutating func recordInBuckets(_ value: UInt64, count n: UInt64) -> Bool {
        let i = Buckets.index(value)
        guard i < counts.count else { return false }
        counts.add(i, n)
        if value > bucketMax { bucketMax = value }
        if value < bucketMinNonZero && value != 0 { bucketMinNonZero = value }
        return true
    }

    /// The buckets as hdrhistogram-swift's value, for the library's iterators: the same
    /// counts per bucket, total, maximum and smallest non-zero value. The bucket holding the
    /// maximum records the exact maximum, the one holding the smallest non-zero value that
    /// value; the rest record a value inside their bucket that moves neither extreme.
    /// - Complexity: O(buckets).
    var histogram: Histogram<UInt64> {
        var h = Histogram<UInt64>(lowestDiscernibleValue: LatencyHistogram.lowestDiscernible,
                                  highestTrackableValue: LatencyHistogram.highestTrackable,
                                  numberOfSignificantValueDigits: .three)
        let iMax = Buckets.index(bucketMax)
        let iMin = bucketMinNonZero == .max ? -1 : Buckets.index(bucketMinNonZero)
        counts.forEach { i, count in
            guard count > 0 else { return true }
            var c = count
            if i == iMax { h.record(bucketMax); c -= 1 }
            if i == iMin, bucketMinNonZero != bucketMax { h.record(bucketMinNonZero); c -= 1 }
            if c > 0 {
                h.record(i == iMax ? bucketMax : i == iMin ? bucketMinNonZero : Buckets.valueFromIndex(i), count: c)
            }
            return true
        }
        return h
    }
}
