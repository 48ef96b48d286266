import Histogram
import Testing
@testable import SimCore

/// `LatencyHistogram` keeps each bucket's count in 16 bits plus a carry for the buckets that
/// pass 65,535 samples. The oracles: a plain `[UInt64]` per bucket fed the same operations,
/// and hdrhistogram-swift's own `Histogram<UInt64>` (64-bit counts) fed the same samples.
@Suite struct LatencyHistogramCountsTests {
    @Test func countsEqualPlainSixtyFourBitCounters() {
        var c = LatencyHistogram.Counts(length: 4_096)
        var plain = [UInt64](repeating: 0, count: 4_096)
        let r = RandomStream(seed: 17)
        // Bucket 0 passes 65,536 three times (200,000 increments), bucket 4,095 twice, and
        // random buckets take increments and bulk adds, some of 2^40.
        for _ in 0..<200_000 { c.increment(0); plain[0] += 1 }
        for _ in 0..<140_000 { c.increment(4_095); plain[4_095] += 1 }
        for k in 0..<300_000 {
            let i = r.integer(below: 64) * 64
            if k % 1_000 == 0 {
                let n: UInt64 = k % 3_000 == 0 ? 1 << 40 : UInt64(r.integer(below: 100_000))
                c.add(i, n); plain[i] += n
            } else {
                c.increment(i); plain[i] += 1
            }
        }
        #expect(plain.filter { $0 > 65_535 }.count > 3, "the sequence must exercise several carries")
        for i in 0..<4_096 { #expect(c[i] == plain[i], "bucket \(i)") }
        var seen: [UInt64] = []
        c.forEach { _, n in seen.append(n); return true }
        #expect(seen == plain)
    }

    @Test func percentilesWithCarriesAreTheLibrarys() throws {
        // 300,000 zeros (the zero bucket wraps 4 times), 100,000 samples of 5 ms (one bucket
        // wraps once) and 50,000 samples spread over 1 µs–17 s, in an interleaved order.
        var h = LatencyHistogram(), lib = LatencyHistogramTests.library()
        let r = RandomStream(seed: 23)
        var xs: [SimTime] = []
        for k in 0..<450_000 {
            let x: SimTime = k % 9 < 6 ? 0 : k % 9 < 8 ? 5_000_000 : SimTime(r.next32()) << SimTime(r.integer(below: 3))
            xs.append(x)
            h.record(x); lib.record(LatencyHistogramTests.libraryValue(x))
        }
        #expect(h.counts.carries.count == 2)
        LatencyHistogramTests.expectSame(h, lib, xs)
        var a = h, la = lib
        a.merge(h)
        la.add(lib)
        LatencyHistogramTests.expectSame(a, la, xs)
        let back = try LatencyHistogram(stateJSON: a.stateJSON, path: "h")
        LatencyHistogramTests.expectSame(back, la, xs)
    }

    @Test func bucketsTakeSixteenBitsEach() {
        // 34,816 buckets × 2 bytes: what makes the increments cache-friendly.
        #expect(LatencyHistogram().counts.low.count * MemoryLayout<UInt16>.stride == 69_632)
    }
}
