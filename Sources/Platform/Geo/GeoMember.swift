/// A Redis member name as bytes: equal when the bytes are equal, ordered like Redis' `sdscmp`
/// (redis/redis `src/sds.c`: `memcmp` over the shorter length, then the shorter string first).
///
/// Redis members are byte strings, so `"caf\u{e9}"` (UTF-8 `63 61 66 c3 a9`) and `"cafe\u{301}"`
/// (`63 61 66 65 cc 81`) are two members, and among equal scores `"cafe\u{301}"` comes first
/// (0x65 < 0xc3). A Swift `String` compares canonically equivalent text as equal and orders by
/// Unicode scalars after normalisation, so `GeoSet<String>` holds those two names as one member and
/// can order equal-score members differently from Redis. Use `GeoSet<GeoMember>` where member
/// names come from outside (user ids, device names) and must behave exactly as in Redis.
public struct GeoMember: Hashable, Comparable, Sendable {
    /// The member's bytes, exactly as sent to Redis.
    public var bytes: [UInt8]

    @inlinable
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// The UTF-8 bytes of `string`, unnormalised (what a client sends for it).
    @inlinable
    public init(_ string: String) { bytes = Array(string.utf8) }

    /// `sdscmp`: unsigned byte comparison over the common prefix, then by length.
    /// - Complexity: O(min(a, b)) byte comparisons.
    @inlinable
    public static func < (a: GeoMember, b: GeoMember) -> Bool {
        a.bytes.lexicographicallyPrecedes(b.bytes)
    }
}

extension GeoMember: ExpressibleByStringLiteral {
    @inlinable
    public init(stringLiteral value: String) { self.init(value) }
}

extension GeoMember: CustomStringConvertible {
    /// The bytes read as UTF-8 (invalid sequences shown as U+FFFD).
    public var description: String { String(decoding: bytes, as: UTF8.self) }
}
