/// PostgreSQL's extended (seeded, 64-bit) hash functions, bit-exact, as used to route rows of a
/// `PARTITION BY HASH` table.
///
/// Sources (postgres/postgres):
/// - `src/common/hashfn.c` `hash_bytes_uint32_extended`, `hash_bytes_extended`, macros `rot`, `mix`,
///   `final` (Bob Jenkins' lookup3, PostgreSQL variant);
/// - `src/include/common/hashfn.h` `hash_combine64`;
/// - `src/backend/access/hash/hashfunc.c` `hashint8extended`, `hashint4extended`;
/// - `src/include/catalog/partition.h` `HASH_PARTITION_SEED`;
/// - `src/backend/utils/adt/varlena.c` `hashtextextended`, `src/backend/utils/adt/uuid.c`
///   `uuid_hash_extended` (both `hash_any_extended` over the raw bytes for deterministic collations).
///
/// Results are the unsigned values; SQL's `hashint8extended(v, seed)` prints the same 64 bits as a
/// signed `int8` (`Int64(bitPattern:)`). Verified against PostgreSQL 15.18 (see the tests).
public enum PostgresHash {
    /// `HASH_PARTITION_SEED`: the seed every hash-partition key column is hashed with.
    /// (A computed constant rather than a stored `let`, so inlined callers fold the seeded `mix` away.)
    @inlinable public static var partitionSeed: UInt64 { 0x7A5B_2236_7996_DCFD }

    /// The `0x9e3779b9 + 3923095` start value of lookup3 as PostgreSQL uses it (before adding the length).
    @inlinable static var golden: UInt32 { 0x9E37_79B9 &+ 3_923_095 }

    /// `hash_combine64(a, b)`: folds the hash of the next key column into the row hash.
    @inlinable @inline(__always)
    public static func combine64(_ a: UInt64, _ b: UInt64) -> UInt64 {
        a ^ (b &+ 0x49A0_F4DD_15E5_A8E3 &+ (a << 54) &+ (a >> 7))
    }

    /// `hashint8extended(val, seed)`: values in the `int4` range hash exactly like `int4`.
    @inlinable @inline(__always)
    public static func hashInt8Extended(_ value: Int64, seed: UInt64 = partitionSeed) -> UInt64 {
        let lo = UInt32(truncatingIfNeeded: value)
        let hi = UInt32(truncatingIfNeeded: value >> 32)  // arithmetic shift, as in C on a signed int64
        return hashUInt32Extended(lo ^ (value >= 0 ? hi : ~hi), seed: seed)
    }

    /// `hashint4extended(val, seed)`.
    @inlinable @inline(__always)
    public static func hashInt4Extended(_ value: Int32, seed: UInt64 = partitionSeed) -> UInt64 {
        hashUInt32Extended(UInt32(bitPattern: value), seed: seed)
    }

    /// `hash_bytes_uint32_extended(k, seed)`.
    @inlinable @inline(__always)
    public static func hashUInt32Extended(_ k: UInt32, seed: UInt64) -> UInt64 {
        var a = golden &+ 4
        var b = a
        var c = a
        if seed != 0 {
            a &+= UInt32(truncatingIfNeeded: seed >> 32)
            b &+= UInt32(truncatingIfNeeded: seed)
            mix(&a, &b, &c)
        }
        a &+= k
        finalMix(&a, &b, &c)
        return UInt64(b) << 32 | UInt64(c)
    }

    /// `hash_bytes_extended(k, keylen, seed)` over raw bytes, little-endian host layout (the layout of
    /// every platform PostgreSQL's results were checked on). This is the hash of a `text`/`varchar`
    /// value (its UTF-8 bytes, deterministic collation) or of a `uuid` (its 16 bytes).
    /// - Complexity: O(n) in the byte count.
    @inlinable
    public static func hashBytesExtended(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = partitionSeed) -> UInt64 {
        let length = bytes.count
        var a = golden &+ UInt32(truncatingIfNeeded: length)
        var b = a
        var c = a
        if seed != 0 {
            a &+= UInt32(truncatingIfNeeded: seed >> 32)
            b &+= UInt32(truncatingIfNeeded: seed)
            mix(&a, &b, &c)
        }
        var i = 0
        var remaining = length
        while remaining >= 12 {
            a &+= word(bytes, i)
            b &+= word(bytes, i + 4)
            c &+= word(bytes, i + 8)
            mix(&a, &b, &c)
            i += 12
            remaining -= 12
        }
        // The tail switch of hash_bytes_extended (little-endian branch): c's low byte stays free
        // because the length was already folded into the start value.
        if remaining > 0 {
            for j in 0..<remaining {
                let byte = UInt32(bytes[i + j])
                switch j {
                case 0...3: a &+= byte << (8 * UInt32(j))
                case 4...7: b &+= byte << (8 * UInt32(j - 4))
                default: c &+= byte << (8 * UInt32(j - 7))
                }
            }
        }
        finalMix(&a, &b, &c)
        return UInt64(b) << 32 | UInt64(c)
    }

    /// `hashtextextended` for a deterministic collation: `hash_bytes_extended` over the UTF-8 bytes.
    @inlinable
    public static func hashTextExtended(_ text: String, seed: UInt64 = partitionSeed) -> UInt64 {
        var text = text
        return text.withUTF8 { hashBytesExtended(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// `uuid_hash_extended`: `hash_bytes_extended` over the 16 bytes in network order.
    @inlinable
    public static func hashUUIDExtended(_ uuid: (UInt64, UInt64), seed: UInt64 = partitionSeed) -> UInt64 {
        var raw = (uuid.0.bigEndian, uuid.1.bigEndian)
        return withUnsafeBytes(of: &raw) { hashBytesExtended($0, seed: seed) }
    }

    @inlinable @inline(__always)
    static func word(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
        UInt32(p[i]) | UInt32(p[i + 1]) << 8 | UInt32(p[i + 2]) << 16 | UInt32(p[i + 3]) << 24
    }

    @inlinable @inline(__always)
    static func rot(_ x: UInt32, _ k: UInt32) -> UInt32 { (x << k) | (x >> (32 - k)) }

    @inlinable @inline(__always)
    static func mix(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32) {
        a &-= c; a ^= rot(c, 4); c &+= b
        b &-= a; b ^= rot(a, 6); a &+= c
        c &-= b; c ^= rot(b, 8); b &+= a
        a &-= c; a ^= rot(c, 16); c &+= b
        b &-= a; b ^= rot(a, 19); a &+= c
        c &-= b; c ^= rot(b, 4); b &+= a
    }

    @inlinable @inline(__always)
    static func finalMix(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32) {
        c ^= b; c &-= rot(b, 14)
        a ^= c; a &-= rot(c, 11)
        b ^= a; b &-= rot(a, 25)
        c ^= b; c &-= rot(b, 16)
        a ^= c; a &-= rot(c, 4)
        b ^= a; b &-= rot(a, 14)
        c ^= b; c &-= rot(b, 24)
    }
}
