/// Neighbouring cells (redis `src/geohash.c`: `geohash_move_x`, `geohash_move_y`, `geohashNeighbors`).
/// Moves wrap around modulo 2^step on each axis, so the east neighbour of the easternmost cell is the
/// westernmost one, and the north neighbour of the northernmost cell is the southernmost one.
extension GeoHashBits {
    /// `geohash_move_x`: `d > 0` east, `d < 0` west (odd = longitude bits).
    @inlinable @inline(__always)
    public func movedX(_ d: Int) -> GeoHashBits {
        if d == 0 { return self }
        var x = bits & 0xAAAA_AAAA_AAAA_AAAA
        let y = bits & 0x5555_5555_5555_5555
        let shift = UInt64(64 - 2 * Int(step))
        let zz: UInt64 = 0x5555_5555_5555_5555 >> shift
        if d > 0 {
            x = x &+ (zz &+ 1)
        } else {
            x = x | zz
            x = x &- (zz &+ 1)
        }
        x &= (0xAAAA_AAAA_AAAA_AAAA as UInt64) >> shift
        return GeoHashBits(bits: x | y, step: step)
    }

    /// `geohash_move_y`: `d > 0` north, `d < 0` south (even = latitude bits).
    @inlinable @inline(__always)
    public func movedY(_ d: Int) -> GeoHashBits {
        if d == 0 { return self }
        let x = bits & 0xAAAA_AAAA_AAAA_AAAA
        var y = bits & 0x5555_5555_5555_5555
        let shift = UInt64(64 - 2 * Int(step))
        let zz: UInt64 = 0xAAAA_AAAA_AAAA_AAAA >> shift
        if d > 0 {
            y = y &+ (zz &+ 1)
        } else {
            y = y | zz
            y = y &- (zz &+ 1)
        }
        y &= (0x5555_5555_5555_5555 as UInt64) >> shift
        return GeoHashBits(bits: x | y, step: step)
    }
}
