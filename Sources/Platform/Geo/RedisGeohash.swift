/// Redis's 52-bit interleaved geohash: the score a `GEOADD` stores in the sorted set, and its decoding
/// back to the centre of the cell (which is what `GEOPOS` returns and what every distance is measured to).
///
/// Sources (redis/redis, tag 7.0.15; `geohash*.c/h` unchanged up to HEAD except copyright lines):
/// - `src/geohash.h`: `GEO_STEP_MAX`, `GEO_LAT_MIN/MAX`, `GEO_LONG_MIN/MAX`;
/// - `src/geohash.c`: `interleave64`, `deinterleave64`, `geohashEncode`, `geohashDecode`,
///   `geohashDecodeAreaToLongLat` (the clamp of the centre is present in 7.0.15);
/// - `src/geohash_helper.c`: `geohashAlign52Bits`;
/// - `src/geo.c`: `geoaddCommand` (score = aligned 52-bit hash, parsed by ZADD as a double),
///   `decodeGeohash` (`(uint64_t)score`, step 26).
///
/// Latitude is limited to ±85.05112878 (EPSG:900913), not ±90. A latitude of exactly +85.05112878 or a
/// longitude of exactly +180 yields a cell index of 2^26, which spills into bit 52/53 (Redis does not
/// clamp); this is reproduced, including the rounding of such a score to a double by ZADD.
public enum RedisGeohash {
    /// `GEO_STEP_MAX`: 26 bits per axis, 52-bit scores.
    public static let maxStep: UInt8 = 26
    /// `GEO_LAT_MIN`.
    public static let latitudeMin = -85.05112878
    /// `GEO_LAT_MAX`.
    public static let latitudeMax = 85.05112878
    /// `GEO_LONG_MIN`.
    public static let longitudeMin = -180.0
    /// `GEO_LONG_MAX`.
    public static let longitudeMax = 180.0

    /// Whether `GEOADD` / `FROMLONLAT` accept the pair (`extractLongLatOrReply`); NaN is rejected.
    @inlinable @inline(__always)
    public static func isValid(longitude: Double, latitude: Double) -> Bool {
        longitude >= longitudeMin && longitude <= longitudeMax
            && latitude >= latitudeMin && latitude <= latitudeMax
    }

    /// `interleave64(xlo, ylo)`: bits of `x` to the even positions, bits of `y` to the odd ones.
    @inlinable @inline(__always)
    public static func interleave64(_ xlo: UInt32, _ ylo: UInt32) -> UInt64 {
        var x = UInt64(xlo)
        var y = UInt64(ylo)
        x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF
        y = (y | (y << 16)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF
        y = (y | (y << 8)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F
        y = (y | (y << 4)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x | (x << 2)) & 0x3333_3333_3333_3333
        y = (y | (y << 2)) & 0x3333_3333_3333_3333
        x = (x | (x << 1)) & 0x5555_5555_5555_5555
        y = (y | (y << 1)) & 0x5555_5555_5555_5555
        return x | (y << 1)
    }

    /// `deinterleave64(interleaved)`: even bits in the low 32 bits, odd bits in the high 32 bits.
    @inlinable @inline(__always)
    public static func deinterleave64(_ interleaved: UInt64) -> UInt64 {
        var x = interleaved
        var y = interleaved >> 1
        x = (x | x) & 0x5555_5555_5555_5555
        y = (y | y) & 0x5555_5555_5555_5555
        x = (x | (x >> 1)) & 0x3333_3333_3333_3333
        y = (y | (y >> 1)) & 0x3333_3333_3333_3333
        x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F
        y = (y | (y >> 2)) & 0x0F0F_0F0F_0F0F_0F0F
        x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF
        y = (y | (y >> 4)) & 0x00FF_00FF_00FF_00FF
        x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF
        y = (y | (y >> 8)) & 0x0000_FFFF_0000_FFFF
        x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF
        y = (y | (y >> 16)) & 0x0000_0000_FFFF_FFFF
        return x | (y << 32)
    }

    /// `geohashEncode` with explicit ranges, for a position already known to be inside them.
    /// The offsets are truncated toward zero, as C's double -> uint32 conversion does.
    @inlinable @inline(__always)
    public static func encode(
        longitude: Double, latitude: Double, step: UInt8,
        latitudeRange: (min: Double, max: Double) = (latitudeMin, latitudeMax),
        longitudeRange: (min: Double, max: Double) = (longitudeMin, longitudeMax)
    ) -> GeoHashBits {
        var latOffset = (latitude - latitudeRange.min) / (latitudeRange.max - latitudeRange.min)
        var lonOffset = (longitude - longitudeRange.min) / (longitudeRange.max - longitudeRange.min)
        let scale = Double(UInt64(1) << UInt64(step))
        latOffset *= scale
        lonOffset *= scale
        return GeoHashBits(bits: interleave64(UInt32(latOffset), UInt32(lonOffset)), step: step)
    }

    /// `geohashAlign52Bits`: the hash shifted to 52 bits (a no-op at step 26).
    @inlinable @inline(__always)
    public static func align52(_ hash: GeoHashBits) -> UInt64 {
        hash.bits << UInt64(52 - 2 * Int(hash.step))
    }

    /// The sorted-set score `GEOADD` stores for a valid position: the step-26 hash, passed through a
    /// double exactly as ZADD parses it (only the spilled edge values above 2^53 can round).
    ///
    /// - Precondition: `isValid(longitude:latitude:)`.
    @inlinable @inline(__always)
    public static func score(longitude: Double, latitude: Double) -> UInt64 {
        let bits = align52(encode(longitude: longitude, latitude: latitude, step: maxStep))
        return UInt64(Double(bits))
    }

    /// `geohashDecode`: the cell's bounds in the given ranges.
    @inlinable @inline(__always)
    public static func decodeArea(
        _ hash: GeoHashBits,
        latitudeRange: (min: Double, max: Double) = (latitudeMin, latitudeMax),
        longitudeRange: (min: Double, max: Double) = (longitudeMin, longitudeMax)
    ) -> GeoHashArea {
        let separated = deinterleave64(hash.bits)
        let latScale = latitudeRange.max - latitudeRange.min
        let lonScale = longitudeRange.max - longitudeRange.min
        let ilat = UInt32(truncatingIfNeeded: separated)
        let ilon = UInt32(truncatingIfNeeded: separated >> 32)
        let cells = Double(UInt64(1) << UInt64(hash.step))
        return GeoHashArea(
            latitudeMin: latitudeRange.min + (Double(ilat) * 1.0 / cells) * latScale,
            latitudeMax: latitudeRange.min + (Double(ilat &+ 1) * 1.0 / cells) * latScale,
            longitudeMin: longitudeRange.min + (Double(ilon) * 1.0 / cells) * lonScale,
            longitudeMax: longitudeRange.min + (Double(ilon &+ 1) * 1.0 / cells) * lonScale)
    }

    /// `decodeGeohash(score)`: the centre of the step-26 cell, clamped to the valid ranges
    /// (`geohashDecodeAreaToLongLat`). This is the position `GEOPOS` prints and distances use.
    @inlinable @inline(__always)
    public static func decode(score: UInt64) -> GeoCoordinate {
        let area = decodeArea(GeoHashBits(bits: score, step: maxStep))
        var lon = (area.longitudeMin + area.longitudeMax) / 2
        if lon > longitudeMax { lon = longitudeMax }
        if lon < longitudeMin { lon = longitudeMin }
        var lat = (area.latitudeMin + area.latitudeMax) / 2
        if lat > latitudeMax { lat = latitudeMax }
        if lat < latitudeMin { lat = latitudeMin }
        return GeoCoordinate(longitude: lon, latitude: lat)
    }
}
