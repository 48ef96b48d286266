/// The exact state of a `LatencyHistogram` as JSON, and back: what a unit of work sends to
/// `capsim merge` so that merging on another machine gives the bytes a local run gives.
///
/// Written: the sample count, the Kahan sum and its compensation (exact doubles), the exact
/// minimum and maximum, and the HdrHistogram as its non-empty buckets in value order, one
/// string of `value:count` pairs separated by spaces (a value inside the bucket; a string
/// keeps thousands of buckets to one line), with the histogram's own exact extremes.
/// Read back, the histogram has the same counts in the same buckets, the same total, the
/// same exact maximum and minimum, so every percentile, `fraction(atOrBelow:)`, log bucket
/// and later `merge` equals the original's. (When the zero bucket holds samples, the
/// smallest non-zero sample is kept to its bucket: nothing reads it more finely then.)
extension LatencyHistogram {
    /// The state as a JSON object. - Complexity: O(buckets in use).
    public var stateJSON: JSONValue {
        let histogram = self.histogram
        var buckets = ""
        for step in histogram.recordedValues() {
            if !buckets.isEmpty { buckets += " " }
            buckets += String(step.value) + ":" + String(step.count)
        }
        return .object([
            ("count", .integer(Int64(bitPattern: count))),
            ("sum", JSONNumbers.exact(sum)),
            ("compensation", JSONNumbers.exact(compensation)),
            ("min", .integer(min)),
            ("max", .integer(max)),
            ("hdr", .object([
                ("min", .integer(Int64(bitPattern: histogram.min))),
                ("max", .integer(Int64(bitPattern: histogram.maxRecorded))),
                ("min_nonzero_bucket", .integer(Int64(bitPattern: histogram.minNonZero))),
                ("buckets", .string(buckets)),
            ])),
        ])
    }

    /// Rebuilds a histogram from `stateJSON`; `path` names the value in error messages.
    public init(stateJSON json: JSONValue, path: String) throws(JSONReadError) {
        self.init()
        let r = JSONReader(json, path: path)
        _count = try r.unsigned("count")
        sum = try r.double("sum")
        compensation = try r.double("compensation")
        _min = try r.integer("min")
        _max = try r.integer("max")
        let hdr = try r.object("hdr")
        let hmin = try hdr.unsigned("min")
        let hmax = try hdr.unsigned("max")
        let minNonZeroBucket = try hdr.unsigned("min_nonzero_bucket")
        var total: UInt64 = 0
        for (k, item) in try hdr.string("buckets").split(separator: " ").enumerated() {
            let pair = item.split(separator: ":")
            guard pair.count == 2, let v = UInt64(pair[0]), let c = UInt64(pair[1]), c > 0 else {
                throw JSONReadError(path: "\(path).hdr.buckets", message: "pair \(k + 1), '\(item)': expected value:count with a positive count")
            }
            try restoreBucket(value: v, count: c, hmin: hmin, hmax: hmax,
                              zeroBucketHasNonZero: minNonZeroBucket == 0, path: "\(path).hdr.buckets pair \(k + 1)")
            total &+= c
        }
        // The buckets are the histogram's total: percentiles read `count` as it.
        guard total == count, bucketMax == hmax, bucketMin == hmin else {
            throw JSONReadError(path: "\(path).hdr", message: "the buckets do not add up to the stated count, minimum and maximum")
        }
    }

    /// Records `count` samples in the bucket of `value` so that the exact extremes come back:
    /// the bucket holding the maximum records the exact maximum, the one holding the minimum
    /// the exact minimum; the rest sit at the minimum, the maximum or the bucket's lowest value
    /// (all inside the bucket, so counts per bucket are unchanged).
    private mutating func restoreBucket(value: UInt64, count c: UInt64, hmin: UInt64, hmax: UInt64,
                                        zeroBucketHasNonZero: Bool, path: String) throws(JSONReadError) {
        let inZero = Buckets.equivalent(value, 0)
        var exact: [UInt64] = []
        if Buckets.equivalent(value, hmax) { exact.append(hmax) }
        if hmin != 0, Buckets.equivalent(value, hmin), !exact.contains(hmin) { exact.append(hmin) }
        if inZero, zeroBucketHasNonZero, !exact.contains(where: { $0 != 0 }) { exact.append(1) }
        let rest: UInt64
        if hmin != 0, Buckets.equivalent(value, hmin) { rest = hmin }
        else if Buckets.equivalent(value, hmax) { rest = hmax }
        else { rest = Buckets.lowestEquivalent(value) }
        guard UInt64(exact.count) <= c else { throw JSONReadError(path: path, message: "bucket count below its recorded extremes") }
        for v in exact { guard recordInBuckets(v, count: 1) else { throw JSONReadError(path: path, message: "value \(v) outside the histogram's range") } }
        if c > UInt64(exact.count) {
            guard recordInBuckets(rest, count: c - UInt64(exact.count)) else {
                throw JSONReadError(path: path, message: "value \(rest) outside the histogram's range")
            }
        }
    }
}
