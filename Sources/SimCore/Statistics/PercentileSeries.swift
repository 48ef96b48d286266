/// Latency percentiles per time interval, for "p50 and p99 over time" charts.
///
/// Each interval keeps a compact logarithmic histogram: 8 bins per doubling from 1 µs
/// (bin width ≈ 9 %), enough to draw a curve; the exact percentiles of a whole run come
/// from `LatencyHistogram`. Memory is bounded by `maxPoints` intervals (pairwise merging
/// when the run outgrows them) times `binCount` counters.
public struct PercentileSeries: Sendable {
    public static let binsPerDoubling = 8
    public static let binCount = 8 * 40  // 1 µs … about 12 days
    public private(set) var interval: SimTime
    public let maxPoints: Int
    public let start: SimTime
    @usableFromInline var bins: [[UInt32]] = []
    /// The point `record` wrote last and the times [`_from`, `_to`) that fall in it: most
    /// records land in the current interval, so they skip the division (empty after `coarsen`).
    @usableFromInline var _point = 0
    @usableFromInline var _from: SimTime = 0, _to: SimTime = 0

    public init(interval: SimTime, start: SimTime = 0, maxPoints: Int = 240) {
        precondition(interval > 0 && maxPoints >= 2)
        self.interval = interval
        self.start = start
        self.maxPoints = maxPoints
    }

    public var count: Int { bins.count }

    public func time(ofPoint i: Int) -> SimTime { start + SimTime(i) * interval }


    static func bin(_ ns: SimTime) -> Int {
        if ns <= 1_000 { return 0 }
        let x = Double(ns) / 1_000
        // log2 via the exponent and a small polynomial would be faster; this is not hot
        // enough to matter (one call per recorded request).
        let b = Int((log2Approx(x) * Double(binsPerDoubling)).rounded(.down))
        return Swift.min(Swift.max(b, 0), binCount - 1)
    }


    static func log2Approx(_ x: Double) -> Double {
        let e = x.exponent
        let m = x.significand  // in [1, 2)
        // ln(m)/ln2 with a 3rd-order minimax on [1,2): error < 0.01, below a bin's width (0.125).
        let t = m - 1
        return Double(e) + t * (1.4425449 - t * (0.7181452 - t * 0.2743280))
    }

    /// Upper edge of bin `b` in nanoseconds.
    public static func upperEdge(_ b: Int) -> Double { 1_000 * pow2(Double(b + 1) / Double(binsPerDoubling)) }

    static func pow2(_ x: Double) -> Double {
        var r = 1.0, base = 2.0, n = Int(x), f = x - Double(Int(x))
        while n > 0 { if n & 1 == 1 { r *= base }; base *= base; n >>= 1 }
        // 2^f for f in [0,1): exp(f ln2) by a short series, exact enough for chart edges.
        f *= 0.6931471805599453
        var term = 1.0, sum = 1.0
        for k in 1...12 { term *= f / Double(k); sum += term }
        return r * sum
    }

    /// Records a latency observed at `time`. - Complexity: amortised O(1).
    public mutating func record(_ latency: SimTime, at time: SimTime) {
        var i = _point
        if time < _from || time >= _to {
            i = Int(Swift.max(0, time - start) / interval)
            while i >= maxPoints { coarsen(); i = Int(Swift.max(0, time - start) / interval) }
            while bins.count <= i { bins.append([]) }
            if bins[i].isEmpty { bins[i] = [UInt32](repeating: 0, count: PercentileSeries.binCount) }
            // Times before `start` also map to point 0; they keep the slow path.
            (_point, _from) = (i, start + SimTime(i) * interval)
            _to = _from + interval
        }
        bins[i][PercentileSeries.bin(latency)] &+= 1
    }

    /// Samples in interval `i`.
    public func samples(inPoint i: Int) -> Int { bins[i].reduce(0) { $0 + Int($1) } }

    /// The upper edge of the bin holding percentile `p` (0–100) of interval `i`, in ns;
    /// nil when the interval has no samples.
    public func percentile(_ p: Double, inPoint i: Int) -> Double? {
        let total = samples(inPoint: i)
        guard total > 0 else { return nil }
        let rank = Swift.max(1, Int((p / 100 * Double(total)).rounded(.up)))
        var seen = 0
        for (b, c) in bins[i].enumerated() {
            seen += Int(c)
            if seen >= rank { return PercentileSeries.upperEdge(b) }
        }
        return PercentileSeries.upperEdge(PercentileSeries.binCount - 1)
    }

    @usableFromInline
    mutating func coarsen() {
        var merged: [[UInt32]] = []
        var i = 0
        while i < bins.count {
            var a = bins[i]
            if i + 1 < bins.count, !bins[i + 1].isEmpty {
                if a.isEmpty { a = bins[i + 1] } else {
                    for k in 0..<a.count { a[k] &+= bins[i + 1][k] }
                }
            }
            merged.append(a)
            i += 2
        }
        bins = merged
        interval *= 2
        _to = _from
    }
}
