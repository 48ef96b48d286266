extension LatencyHistogram {
    /// A histogram being filled by one hot loop: `record` is `LatencyHistogram.record` with
    /// the bucket counts in a buffer the recorder owns, so an increment checks no array
    /// uniqueness or bounds and nothing is retained. `finish` gives back the histogram, in
    /// the very state the same `record` calls would have left it (counts, carries, sum and
    /// compensation, extremes), since both share `noteScalars` and the same bucket index.
    ///
    /// Why: the M/M/8 benchmark model records two samples per customer, and
    /// `LatencyHistogram.record` there was a tenth of the run (`perf`), part of it the
    /// uniqueness check of the counts array on every increment.
    @frozen
    public struct Recorder {
        @usableFromInline var state: LatencyHistogram
        @usableFromInline let low: UnsafeMutablePointer<UInt16>

        /// Starts from `histogram` (its samples so far are kept).
        public init(_ histogram: LatencyHistogram) {
            state = histogram
            let n = histogram.counts.low.count
            low = .allocate(capacity: n)
            histogram.counts.low.withUnsafeBufferPointer { low.initialize(from: $0.baseAddress!, count: n) }
            // The lows live in `low` until `finish`; `carry` touches only the carries.
            state.counts.low = []
        }

        /// Records one latency, as `LatencyHistogram.record`. - Complexity: O(1).
        @inlinable @inline(__always)
        public mutating func record(_ value: SimTime) {
            let i = Buckets.index(state.noteScalars(value))
            low[i] &+= 1
            if low[i] == 0 { state.counts.carry(i, 1 << 16) }
        }

        /// The histogram with every sample recorded; the recorder must not be used after.
        public mutating func finish() -> LatencyHistogram {
            state.counts.low = Array(UnsafeBufferPointer(start: low, count: Buckets.length))
            low.deallocate()
            return state
        }
    }
}
