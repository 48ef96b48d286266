import SimCore

/// One client endpoint's stage breakdown in one city: per stage its own distribution, and per
/// end-to-end latency bucket the requests in it and the sum of each of their stages, so the
/// report can say what the requests at the end-to-end p50 and p99 spent their time on.
///
/// Buckets are logarithmic, HdrHistogram-like with 32 sub-buckets per power of two: exact
/// to the microsecond below 64 µs, then 1/32 of the value wide (a value is reported at its
/// bucket's middle, within 1.6 %). About 1,200 buckets cover 30 days; the arrays are made on
/// the first request, so an endpoint no one calls costs nothing.
struct StageTable {
    static let buckets = 64 + 36 * 32

    /// Requests per end-to-end bucket, and per (bucket, stage) the sum of that stage (ns).
    private(set) var e2eCounts: [Int] = []
    private(set) var e2eSums: [SimTime] = []
    /// Per (stage, bucket): requests whose time in the stage falls in the bucket.
    private(set) var stageCounts: [Int] = []
    private(set) var total = 0

    @inline(__always) static func index(_ ns: SimTime) -> Int {
        let us = UInt64(max(0, ns)) / 1_000
        if us < 64 { return Int(us) }
        let e = min(41, 63 - us.leadingZeroBitCount)  // us in [2^e, 2^(e+1)), e >= 6
        let sub = e == 41 && us >> 42 != 0 ? 31 : Int(us >> UInt64(e - 5)) - 32
        return 64 + (e - 6) * 32 + sub
    }

    /// The value a bucket stands for (ns): its lower edge below 64 µs, else its middle.
    static func value(_ i: Int) -> SimTime {
        if i < 64 { return SimTime(i) * 1_000 }
        let e = 6 + (i - 64) / 32, sub = (i - 64) % 32
        let width = SimTime(1) << SimTime(e - 5)
        return (SimTime(32 + sub) * width + width / 2) * 1_000
    }

    mutating func record(latency: SimTime, stages: UnsafeBufferPointer<SimTime>) {
        let n = StageClock.count
        if e2eCounts.isEmpty {
            e2eCounts = Array(repeating: 0, count: StageTable.buckets)
            e2eSums = Array(repeating: 0, count: StageTable.buckets * n)
            stageCounts = Array(repeating: 0, count: StageTable.buckets * n)
        }
        total += 1
        let b = StageTable.index(latency)
        e2eCounts[b] += 1
        // One uniqueness check per array, not one per element written.
        e2eSums.withUnsafeMutableBufferPointer { sums in
            for s in 0..<n { sums[b * n + s] &+= stages[s] }
        }
        stageCounts.withUnsafeMutableBufferPointer { counts in
            for s in 0..<n { counts[s * StageTable.buckets + StageTable.index(stages[s])] += 1 }
        }
    }

    /// The bucket holding percentile `p` (0–100) of `counts` (the smallest bucket with at
    /// least ⌈p·n/100⌉ requests at or below it).
    static func percentileBucket(_ counts: ArraySlice<Int>, total: Int, _ p: Double) -> Int {
        let want = max(1, Int((p / 100 * Double(total)).rounded(.up)))
        var seen = 0
        for (k, i) in counts.indices.enumerated() {
            seen += counts[i]
            if seen >= want { return k }
        }
        return counts.count - 1
    }

    /// Stage `s`'s own percentile `p` (ns, at its bucket's value).
    func stagePercentile(_ s: Int, _ p: Double) -> SimTime {
        guard total > 0 else { return 0 }
        let lo = s * StageTable.buckets
        return StageTable.value(StageTable.percentileBucket(stageCounts[lo..<lo + StageTable.buckets], total: total, p))
    }

    /// The requests whose end-to-end latency is in buckets `range`: how many, and the sum of
    /// each stage over them (ns).
    func group(_ range: Range<Int>) -> (requests: Int, sums: [SimTime]) {
        let n = StageClock.count
        var sums = Array(repeating: SimTime(0), count: n)
        var requests = 0
        for b in range where e2eCounts[b] > 0 {
            requests += e2eCounts[b]
            for s in 0..<n { sums[s] += e2eSums[b * n + s] }
        }
        return (requests, sums)
    }

    /// The end-to-end bucket of percentile `p`.
    func e2eBucket(_ p: Double) -> Int {
        StageTable.percentileBucket(e2eCounts[0..<e2eCounts.count], total: total, p)
    }
}
