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

    /// One buffer (one uniqueness check per record, not three), in three parts: requests per
    /// end-to-end bucket; per (bucket, stage) the sum of that stage (ns); per (stage, bucket)
    /// the requests whose nonzero time in the stage falls in the bucket. A stage a request
    /// skipped (most of its ten) is not written: its zeros are `total` less the stage's
    /// counted requests, added to bucket 0 when read, so a record touches the lines of the
    /// stages it spent time in only.
    private var cells: [Int] = []
    private(set) var total = 0

    private static let sumsBase = buckets
    private static let countsBase = buckets + buckets * StageClock.count

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
        if cells.isEmpty { cells = Array(repeating: 0, count: StageTable.countsBase + n * StageTable.buckets) }
        total += 1
        let b = StageTable.index(latency)
        cells.withUnsafeMutableBufferPointer { c in
            let p = c.baseAddress.unsafelyUnwrapped
            p[b] &+= 1
            let sums = p + StageTable.sumsBase + b * n, counts = p + StageTable.countsBase
            for s in 0..<n {
                let v = stages[s]
                guard v != 0 else { continue }
                sums[s] &+= Int(v)
                counts[s * StageTable.buckets + StageTable.index(v)] &+= 1
            }
        }
    }

    /// Requests per end-to-end bucket.
    var e2eCounts: ArraySlice<Int> { cells.isEmpty ? [] : cells[0..<StageTable.buckets] }

    /// Stage `s`'s requests per bucket (those that skipped it in bucket 0).
    func stageCounts(_ s: Int) -> [Int] {
        guard !cells.isEmpty else { return [] }
        let lo = StageTable.countsBase + s * StageTable.buckets
        var counts = Array(cells[lo..<lo + StageTable.buckets])
        counts[0] += total - counts.reduce(0, +)
        return counts
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
        let counts = stageCounts(s)
        return StageTable.value(StageTable.percentileBucket(counts[0..<counts.count], total: total, p))
    }

    /// The requests whose end-to-end latency is in buckets `range`: how many, and the sum of
    /// each stage over them (ns).
    func group(_ range: Range<Int>) -> (requests: Int, sums: [SimTime]) {
        let n = StageClock.count
        var sums = Array(repeating: SimTime(0), count: n)
        var requests = 0
        for b in range where cells[b] > 0 {
            requests += cells[b]
            for s in 0..<n { sums[s] += SimTime(cells[StageTable.sumsBase + b * n + s]) }
        }
        return (requests, sums)
    }

    /// The end-to-end bucket of percentile `p`.
    func e2eBucket(_ p: Double) -> Int {
        StageTable.percentileBucket(e2eCounts, total: total, p)
    }
}
