/// The row hash of a multi-column hash partition key, built column by column without allocating.
///
/// Mirrors `compute_partition_hash_value` (postgres/postgres `src/backend/partitioning/partbounds.c`):
/// start at 0, and for each key column in key order, skip it if NULL, otherwise
/// `rowHash = hash_combine64(rowHash, extended_hash(value, HASH_PARTITION_SEED))`.
///
/// ```swift
/// var h = PostgresRowHash()
/// h.combine(int8: restaurantID)
/// h.combine(int8: orderID)
/// let p = scheme.partition(forRowHash: h.value)
/// ```
public struct PostgresRowHash: Sendable, Hashable {
    /// The hash so far; 0 for a key whose columns are all NULL.
    @inlinable public var value: UInt64 { hash }
    @usableFromInline var hash: UInt64

    @inlinable public init() { hash = 0 }

    /// Adds a `bigint` column.
    @inlinable @inline(__always)
    public mutating func combine(int8 v: Int64) {
        hash = PostgresHash.combine64(hash, PostgresHash.hashInt8Extended(v))
    }

    /// Adds an `integer` column.
    @inlinable @inline(__always)
    public mutating func combine(int4 v: Int32) {
        hash = PostgresHash.combine64(hash, PostgresHash.hashInt4Extended(v))
    }

    /// Adds a `text` column (deterministic collation: hashed as its UTF-8 bytes).
    @inlinable
    public mutating func combine(text v: String) {
        hash = PostgresHash.combine64(hash, PostgresHash.hashTextExtended(v))
    }

    /// Adds a `uuid` column given as its two big-endian halves (`hi` = first 8 bytes).
    @inlinable
    public mutating func combine(uuid hi: UInt64, _ lo: UInt64) {
        hash = PostgresHash.combine64(hash, PostgresHash.hashUUIDExtended((hi, lo)))
    }

    /// Adds a NULL column: PostgreSQL skips it (the hash is unchanged).
    @inlinable public mutating func combineNull() {}

    /// The row hash of a single `bigint` key.
    @inlinable @inline(__always)
    public static func int8(_ v: Int64) -> UInt64 {
        PostgresHash.combine64(0, PostgresHash.hashInt8Extended(v))
    }
}
