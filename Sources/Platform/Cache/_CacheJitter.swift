/// SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014; constants as in Vigna's reference `splitmix64.c`): a deterministic mix of a
/// 64-bit input, used to derive TTL jitter draws without a random generator.
@inlinable @inline(__always)
internal func _cacheSplitMix64(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// A uniform draw in [0, 1) from the top 53 bits of a 64-bit word.
@inlinable @inline(__always)
internal func _cacheUnitInterval(_ bits: UInt64) -> Double {
    Double(bits >> 11) * 0x1p-53
}

/// `ttl + floor(ttl * fraction * u)`, saturating; `u` must be in [0, 1).
@inlinable
internal func _cacheJitteredTTL(_ ttl: Nanoseconds, fraction: Double, u: Double) -> Nanoseconds {
    if fraction == 0 { return ttl }
    precondition(u >= 0 && u < 1, "jitter draw must be in [0, 1)")
    let extra = Double(ttl) * fraction * u
    if !(extra < 9.2e18) { return Int64.max }
    // Int64(_:) truncates toward zero, which is floor for extra >= 0 (and needs no libm).
    let (sum, overflow) = ttl.addingReportingOverflow(Int64(extra))
    return overflow ? Int64.max : sum
}
