import Testing
@testable import SimCore

/// `LatencyHistogram.Recorder` must leave exactly the state `LatencyHistogram.record` leaves
/// for the same samples in the same order: the oracle is the plain `record` path, compared on
/// the lossless state (count, Kahan sum and compensation to the bit, extremes, every bucket)
/// and on the raw 16-bit counts and carries.
@Suite struct LatencyHistogramRecorderTests {
    @Test func recorderLeavesTheStateRecordLeaves() {
        // A histogram with samples already in it, then 420,000 more: 140,000 zeros and 140,000
        // of 3 ms (their buckets wrap twice), negatives (recorded as 0), values past the
        // highest trackable (clamped in the buckets, exact in the sum), and random latencies.
        var plain = LatencyHistogram()
        for x: SimTime in [5, 7_000, 12_000_000] { plain.record(x) }
        var recorder = LatencyHistogram.Recorder(plain)
        let r = RandomStream(seed: 31)
        for k in 0..<420_000 {
            let x: SimTime
            switch k % 6 {
            case 0, 1: x = k % 12 == 0 ? -(SimTime(k) + 1) : 0
            case 2, 3: x = 3_000_000
            case 4: x = k % 60_000 == 4 ? LatencyHistogram.highestTrackable.asTime * 3 : SimTime(r.next32()) << 4
            default: x = SimTime(r.integer(below: 1_000_000_000))
            }
            plain.record(x)
            recorder.record(x)
        }
        let recorded = recorder.finish()
        #expect(recorded.stateJSON == plain.stateJSON)
        #expect(recorded.counts.low == plain.counts.low)
        #expect(recorded.counts.carries.map(\.index) == plain.counts.carries.map(\.index))
        #expect(recorded.counts.carries.map(\.high) == plain.counts.carries.map(\.high))
        #expect(recorded.counts.carries.count == 2, "the zero and 3 ms buckets pass 65,535")
        #expect(recorded.count == 420_003 && recorded.mean == plain.mean && recorded.max == plain.max)
    }
}

private extension UInt64 {
    var asTime: SimTime { SimTime(self) }
}
