/// The `GEOHASH` command's 11-character string (redis `src/geo.c` `geohashCommand`).
extension RedisGeohash {
    /// `geoalphabet` in `geohashCommand`.
    @usableFromInline static let base32: [UInt8] = Array("0123456789bcdefghjkmnpqrstuvwxyz".utf8)

    /// The standard geohash string of a stored score: the score is decoded to its cell centre, re-encoded
    /// with the *standard* latitude range [-90, 90] at step 26, and 10 base-32 characters are taken from
    /// the 52 bits; the 11th character is always `"0"` (Redis keeps the 11-character length "for
    /// compatibility").
    public static func geohashString(score: UInt64) -> String {
        let centre = decode(score: score)
        let hash = encode(longitude: centre.longitude, latitude: centre.latitude, step: 26,
                          latitudeRange: (-90, 90), longitudeRange: (-180, 180))
        var chars = [UInt8](repeating: 0, count: 11)
        for i in 0..<11 {
            let index = i == 10 ? 0 : Int((hash.bits >> UInt64(52 - (i + 1) * 5)) & 0x1F)
            chars[i] = base32[index]
        }
        return String(decoding: chars, as: UTF8.self)
    }
}
