extension LatencyHistogram {
    /// The sample count of each HdrHistogram bucket in 16 bits, with the whole multiples of
    /// 65,536 of the few buckets that pass 65,535 samples kept apart (`carries`).
    ///
    /// Reads give the exact count (low bits + carry), so every percentile, fraction and merge
    /// is what a `[UInt64]` gives. Why: the 34,816 buckets take 68 KB instead of 272 KB, and a
    /// run records one sample at a random bucket of those in use (about 14 × 1,024 buckets
    /// for latencies from 1 ms to 16 s), so the increments miss the CPU caches about four
    /// times less; on the M/M/8 benchmark the increment's cache miss was most of
    /// `LatencyHistogram.record`'s time. HdrHistogram itself offers 16-bit counts
    /// (`ShortCountsHistogram.java`), without the carry: it refuses a count past 32,767.
    @usableFromInline
    struct Counts: Sendable {
        /// Each bucket's count modulo 65,536.
        @usableFromInline var low: [UInt16]
        /// (bucket, count − low bits) for the buckets whose count passed 65,535, by bucket.
        @usableFromInline var carries: [(index: Int, high: UInt64)] = []

        init(length: Int) { low = [UInt16](repeating: 0, count: length) }

        var count: Int { low.count }

        /// Adds one sample to bucket `i`. - Complexity: O(1), O(carries) on a wrap.
        @inlinable @inline(__always)
        mutating func increment(_ i: Int) {
            low[i] &+= 1
            if low[i] == 0 { carry(i, 1 << 16) }
        }

        /// Adds `n` samples to bucket `i`.
        mutating func add(_ i: Int, _ n: UInt64) {
            let total = UInt64(low[i]) &+ n
            low[i] = UInt16(truncatingIfNeeded: total)
            let up = total & ~UInt64(0xFFFF)
            if up > 0 { carry(i, up) }
        }

        /// Adds `amount` (a multiple of 65,536) to bucket `i`'s carry.
        @usableFromInline
        mutating func carry(_ i: Int, _ amount: UInt64) {
            var k = 0
            while k < carries.count && carries[k].index < i { k += 1 }
            if k < carries.count && carries[k].index == i {
                carries[k].high &+= amount
            } else {
                carries.insert((i, amount), at: k)
            }
        }

        /// The exact count of bucket `i`.
        subscript(i: Int) -> UInt64 {
            var c = UInt64(low[i])
            if !carries.isEmpty, let k = carries.firstIndex(where: { $0.index == i }) { c &+= carries[k].high }
            return c
        }

        /// Calls `body` with every bucket's index and exact count in index order, until it
        /// returns false. - Complexity: O(buckets).
        @inline(__always)
        func forEach(_ body: (Int, UInt64) throws -> Bool) rethrows {
            try low.withUnsafeBufferPointer { lows in
                var next = 0
                for i in 0..<lows.count {
                    var c = UInt64(lows[i])
                    if next < carries.count && carries[next].index == i {
                        c &+= carries[next].high
                        next += 1
                    }
                    if try !body(i, c) { return }
                }
            }
        }
    }
}
