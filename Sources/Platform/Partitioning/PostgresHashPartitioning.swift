/// Which partition of a `PARTITION BY HASH` table receives a row, as PostgreSQL decides it.
///
/// Sources (postgres/postgres): `src/backend/partitioning/partbounds.c` `create_hash_bounds`,
/// `partition_hash_bsearch`/bound validation in `check_new_partition_bound`, `satisfies_hash_partition`;
/// `src/backend/executor/execPartition.c` `get_partition_for_tuple` (the `PARTITION_STRATEGY_HASH` case):
/// `greatest_modulus` = largest MODULUS; a table of that many slots maps `rowHash % greatest_modulus`
/// (unsigned 64-bit remainder) to the partition whose `(modulus, remainder)` covers the slot.
///
/// Partitions are identified by their position in `bounds` (the order the caller declared them).
/// A slot covered by no partition yields `nil`, where PostgreSQL raises
/// "no partition of relation ... found for row".
public struct PostgresHashPartitioning: Sendable, Equatable {
    /// One `FOR VALUES WITH (MODULUS m, REMAINDER r)` clause.
    public struct Bound: Sendable, Hashable {
        public var modulus: Int
        public var remainder: Int
        public init(modulus: Int, remainder: Int) {
            self.modulus = modulus
            self.remainder = remainder
        }
    }

    /// Why PostgreSQL would reject a set of bounds (messages as in `check_new_partition_bound`).
    public enum BoundError: Error, Sendable, Equatable {
        /// "modulus for hash partition must be an integer value greater than zero" / remainder out of range.
        case invalidBound(Bound)
        /// "every hash partition modulus must be a factor of the next larger modulus".
        case modulusNotAFactor(Bound)
        /// "partition ... would overlap partition ...": index of the earlier partition it overlaps.
        case overlap(Bound, with: Int)
    }

    /// The declared bounds, in declaration order (partition `i` is `bounds[i]`).
    public let bounds: [Bound]
    /// The largest modulus: the size of `slotToPartition`.
    public let greatestModulus: Int
    /// `indexes[]` of `create_hash_bounds`: slot -> partition index, or -1.
    @usableFromInline let slotToPartition: [Int32]

    /// Validates the bounds as `CREATE TABLE ... PARTITION OF` would and builds the routing table.
    /// - Complexity: O(p + greatestModulus).
    public init(bounds: [Bound]) throws(BoundError) {
        var greatest = 1
        for b in bounds {
            guard b.modulus > 0, b.remainder >= 0, b.remainder < b.modulus else { throw .invalidBound(b) }
            greatest = max(greatest, b.modulus)
        }
        // PostgreSQL checks each new bound against its neighbours in sorted (modulus, remainder) order;
        // the result is the same as requiring every modulus to divide every larger one.
        for b in bounds {
            for other in bounds where other.modulus > b.modulus && other.modulus % b.modulus != 0 {
                throw .modulusNotAFactor(other)
            }
        }
        var slots = [Int32](repeating: -1, count: greatest)
        for (i, b) in bounds.enumerated() {
            var k = b.remainder
            while k < greatest {
                if slots[k] >= 0 { throw .overlap(b, with: Int(slots[k])) }
                slots[k] = Int32(i)
                k += b.modulus
            }
        }
        self.bounds = bounds
        greatestModulus = greatest
        slotToPartition = slots
    }

    /// `count` partitions `FOR VALUES WITH (MODULUS count, REMAINDER i)`, i = 0..<count, so that
    /// partition `i` is remainder `i` (the seed schema: `orders_shard_0` ... with MODULUS 16).
    public static func uniform(count: Int) -> PostgresHashPartitioning {
        precondition(count > 0, "a hash-partitioned table needs at least one partition")
        return try! PostgresHashPartitioning(bounds: (0..<count).map { Bound(modulus: count, remainder: $0) })
    }

    /// The partition index for a row hash (see `PostgresRowHash`), or nil if no partition covers it.
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public func partition(forRowHash rowHash: UInt64) -> Int? {
        let p = slotToPartition[Int(rowHash % UInt64(greatestModulus))]
        return p >= 0 ? Int(p) : nil
    }

    /// The partition index for a single-column `bigint` key (`PARTITION BY HASH (order_id)`).
    /// - Complexity: O(1), no allocation.
    @inlinable @inline(__always)
    public func partition(forInt8 key: Int64) -> Int? {
        partition(forRowHash: PostgresRowHash.int8(key))
    }

    /// The partition index for a single-column `integer` key.
    @inlinable @inline(__always)
    public func partition(forInt4 key: Int32) -> Int? {
        partition(forRowHash: PostgresHash.combine64(0, PostgresHash.hashInt4Extended(key)))
    }

    /// `satisfies_hash_partition`: does the row hash fall in `(modulus, remainder)`?
    @inlinable @inline(__always)
    public static func satisfies(rowHash: UInt64, modulus: Int, remainder: Int) -> Bool {
        rowHash % UInt64(modulus) == UInt64(remainder)
    }
}
