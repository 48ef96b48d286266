/// Kafka's murmur2 hash and the key serializations it is applied to, bit-exact.
///
/// Sources (apache/kafka): `clients/src/main/java/org/apache/kafka/common/utils/Utils.java` `murmur2`
/// (seed 0x9747b28c, m 0x5bd1e995, r 24; little-endian 4-byte blocks; tail fall-through) and
/// `toPositive` (`& 0x7fffffff`, not `abs`); `common/serialization/StringSerializer.java` (UTF-8) and
/// `LongSerializer.java` / `IntegerSerializer.java` (big-endian 8 / 4 bytes). Results are Java's
/// signed `int`; kafka-python's `murmur2` returns the same 32 bits unsigned.
public enum KafkaMurmur2 {
    @inlinable static var seed: UInt32 { 0x9747_B28C }
    @inlinable static var m: UInt32 { 0x5BD1_E995 }

    /// `Utils.murmur2(data)`.
    /// - Complexity: O(n) in the byte count, no allocation.
    @inlinable
    public static func hash(_ data: UnsafeRawBufferPointer) -> Int32 {
        let length = data.count
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        var i = 0
        while i + 4 <= length {
            let k = UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16
                | UInt32(data[i + 3]) << 24
            h = block(h, k)
            i += 4
        }
        let tail = length & 3
        if tail >= 3 { h ^= UInt32(data[i + 2]) << 16 }
        if tail >= 2 { h ^= UInt32(data[i + 1]) << 8 }
        if tail >= 1 { h ^= UInt32(data[i]); h &*= m }
        return avalanche(h)
    }

    /// murmur2 over any byte sequence (copies only if it is not contiguous).
    @inlinable
    public static func hash<Bytes: Sequence>(bytes: Bytes) -> Int32 where Bytes.Element == UInt8 {
        if let r = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) { return r }
        return Array(bytes).withUnsafeBytes { hash($0) }
    }

    /// murmur2 of a `StringSerializer`-serialized key (UTF-8 bytes).
    @inlinable
    public static func hash(string: String) -> Int32 {
        var s = string
        return s.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// murmur2 of a `LongSerializer`-serialized key (8 bytes, big-endian), computed directly from
    /// the value: bytes b0..b7 (b0 most significant) form the little-endian words
    /// `b0|b1<<8|b2<<16|b3<<24` and `b4|...|b7<<24`, i.e. the byte-swapped halves.
    /// - Complexity: O(1), no allocation.
    @inlinable @inline(__always)
    public static func hash(int64 value: Int64) -> Int32 {
        let v = UInt64(bitPattern: value)
        var h = seed ^ 8
        h = block(h, UInt32(truncatingIfNeeded: v >> 32).byteSwapped)
        h = block(h, UInt32(truncatingIfNeeded: v).byteSwapped)
        return avalanche(h)
    }

    /// murmur2 of an `IntegerSerializer`-serialized key (4 bytes, big-endian).
    /// - Complexity: O(1), no allocation.
    @inlinable @inline(__always)
    public static func hash(int32 value: Int32) -> Int32 {
        avalanche(block(seed ^ 4, UInt32(bitPattern: value).byteSwapped))
    }

    /// `Utils.toPositive`: clears the sign bit (so `Int32.min` maps to 0, unlike `abs`).
    @inlinable @inline(__always)
    public static func toPositive(_ x: Int32) -> Int32 { x & 0x7FFF_FFFF }

    @inlinable @inline(__always)
    static func block(_ h: UInt32, _ k0: UInt32) -> UInt32 {
        var k = k0 &* m
        k ^= k >> 24
        k &*= m
        return (h &* m) ^ k
    }

    @inlinable @inline(__always)
    static func avalanche(_ h0: UInt32) -> Int32 {
        var h = h0
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }
}
