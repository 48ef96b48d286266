import CGSL

/// MT19937 (Matsumoto & Nishimura, "Mersenne Twister: a 623-dimensionally equidistributed
/// uniform pseudo-random number generator", ACM TOMACS 8(1), 1998) stepped in Swift on the
/// state GSL allocated, so a draw is inlined into its caller instead of two calls into the
/// library (`gsl_rng_uniform`, then the generator's `get_double` through a function pointer).
///
/// It follows GSL 2.7 `rng/mt.c` word for word: the state is `mt_state_t`
/// (`unsigned long mt[624]; int mti;`), `mt_get` regenerates all 624 words when `mti` reaches
/// 624 and tempers `mt[mti++]`, and `mt_get_double` divides by 2^32. The library's own samplers
/// (`gsl_ran_gaussian_ziggurat`, `gsl_ran_gamma`, …) keep stepping the same state through the
/// library, so inlined and library draws interleave on one stream exactly as if every draw
/// went through GSL. `MT19937Tests` checks both against the library and Matsumoto's published
/// output for `init_genrand(5489)`.
@usableFromInline
enum MT19937 {
    @inlinable static var words: Int { 624 }
    /// Byte offset of `mti` in `mt_state_t`.
    @inlinable static var indexOffset: Int { 624 &* MemoryLayout<CUnsignedLong>.stride }

    /// True when `rng` is GSL's MT19937 with the state layout above (checked once per stream).
    static func layoutMatches(_ rng: UnsafeMutablePointer<gsl_rng>) -> Bool {
        rng.pointee.type == cgsl_rng_mt19937()
            && gsl_rng_size(rng) >= indexOffset + MemoryLayout<CInt>.size
            && rng.pointee.state != nil
    }

    /// The next 32-bit output (`mt_get`). - Complexity: O(1) amortised (O(624) every 624th call).
    @inlinable @inline(__always)
    static func next(_ state: UnsafeMutableRawPointer) -> UInt32 {
        var i = Int(state.load(fromByteOffset: indexOffset, as: CInt.self))
        if i >= words {
            regenerate(state.assumingMemoryBound(to: CUnsignedLong.self))
            i = 0
        }
        var k = state.load(fromByteOffset: i &* MemoryLayout<CUnsignedLong>.stride, as: CUnsignedLong.self)
        k ^= k &>> 11
        k ^= (k &<< 7) & 0x9d2c_5680
        k ^= (k &<< 15) & 0xefc6_0000
        k ^= k &>> 18
        state.storeBytes(of: CInt(truncatingIfNeeded: i &+ 1), toByteOffset: indexOffset, as: CInt.self)
        return UInt32(truncatingIfNeeded: k)
    }

    /// Uniform on [0, 1) (`mt_get_double`).
    @inlinable @inline(__always)
    static func uniform(_ state: UnsafeMutableRawPointer) -> Double {
        Double(next(state)) / 4_294_967_296.0
    }

    /// The twist: all 624 words at once, as `mt_get` does when `mti` reaches 624.
    @usableFromInline @inline(never)
    static func regenerate(_ mt: UnsafeMutablePointer<CUnsignedLong>) {
        let n = words, m = 397
        let upper: CUnsignedLong = 0x8000_0000, lower: CUnsignedLong = 0x7fff_ffff
        @inline(__always) func mixed(_ a: Int, _ b: Int, _ far: Int) {
            let y = (mt[a] & upper) | (mt[b] & lower)
            mt[a] = mt[far] ^ (y &>> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
        }
        for kk in 0..<(n - m) { mixed(kk, kk + 1, kk + m) }
        for kk in (n - m)..<(n - 1) { mixed(kk, kk + 1, kk + m - n) }
        mixed(n - 1, 0, m - 1)
    }
}
