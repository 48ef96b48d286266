/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) as NGINX computes it.
///
/// Source: nginx/nginx `src/core/ngx_crc32.h` (`ngx_crc32_init`, `ngx_crc32_update`,
/// `ngx_crc32_final`, `ngx_crc32_long`): the same function as zlib's `crc32`, so
/// `checksum("123456789") == 0xCBF43926`. The incremental form exists because the ketama ring
/// hashes `host "\0" port` once and then extends that state with each previous point.
public enum NginxCRC32 {
    @usableFromInline
    static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = (c & 1) != 0 ? (0xEDB8_8320 ^ (c >> 1)) : (c >> 1) }
        return c
    }

    /// `ngx_crc32_init`.
    public static let initial: UInt32 = 0xFFFF_FFFF

    /// `ngx_crc32_update`: extends an un-finalised state by `bytes`.
    @inlinable
    public static func update(_ state: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = state
        table.withUnsafeBufferPointer { t in
            for b in bytes { crc = t[Int(UInt8(truncatingIfNeeded: crc) ^ b)] ^ (crc >> 8) }
        }
        return crc
    }

    /// `ngx_crc32_update` over a byte sequence.
    @inlinable
    public static func update<S: Sequence>(_ state: UInt32, bytes: S) -> UInt32 where S.Element == UInt8 {
        var crc = state
        table.withUnsafeBufferPointer { t in
            for b in bytes { crc = t[Int(UInt8(truncatingIfNeeded: crc) ^ b)] ^ (crc >> 8) }
        }
        return crc
    }

    /// `ngx_crc32_final`.
    @inlinable @inline(__always)
    public static func finalize(_ state: UInt32) -> UInt32 { state ^ 0xFFFF_FFFF }

    /// `ngx_crc32_long`: the CRC-32 of `bytes`.
    @inlinable
    public static func checksum<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        finalize(update(initial, bytes: bytes))
    }
}
