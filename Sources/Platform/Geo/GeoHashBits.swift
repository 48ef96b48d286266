/// A geohash of `step` bits per axis (`GeoHashBits` in redis `src/geohash.h`): latitude bits in the even
/// positions, longitude bits in the odd ones, most significant pair first.
///
/// The all-zero value (bits 0, step 0) is Redis's `GZERO`/`HASHISZERO` marker for a neighbour that the
/// search dropped.
public struct GeoHashBits: Hashable, Sendable {
    public var bits: UInt64
    public var step: UInt8

    @inlinable @inline(__always)
    public init(bits: UInt64, step: UInt8) {
        self.bits = bits
        self.step = step
    }

    /// `GZERO`.
    public static let zero = GeoHashBits(bits: 0, step: 0)

    /// `HASHISZERO`.
    @inlinable @inline(__always)
    public var isZero: Bool { bits == 0 && step == 0 }

    /// The `[min, max)` score range of the members inside this cell (`scoresOfGeoHashBox` in `geo.c`).
    @inlinable @inline(__always)
    public var scoreRange: (min: UInt64, max: UInt64) {
        (RedisGeohash.align52(self), RedisGeohash.align52(GeoHashBits(bits: bits &+ 1, step: step)))
    }
}
