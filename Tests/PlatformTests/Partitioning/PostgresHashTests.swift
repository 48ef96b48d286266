import Testing
@testable import Platform

/// Vectors produced by PostgreSQL 15.18 (`hashint8extended` in SQL and `tableoid` routing of a
/// table `PARTITION BY HASH (order_id)` with 16 partitions of MODULUS 16); the remainders for
/// 1000000 and ±2^31 were computed with a port of `src/backend/access/hash/hashfunc.c` and
/// `src/common/hashfn.c` that matched the server on every key from -1000 to 100000 and the extremes.
@Suite("PostgreSQL hash partition routing: published vectors")
struct PostgresHashTests {
    @Test func rawHashint8extendedMatchesSQL() {
        // SELECT v, hashint8extended(v, 8816678312871386365)
        let vectors: [(Int64, Int64)] = [
            (0, -4_403_592_609_991_167_795), (1, 5_968_994_663_651_403_477), (42, 7_363_975_540_656_877_951),
            (-1, -5_017_072_347_659_237_694), (9_223_372_036_854_775_807, 4_938_542_303_000_433_043),
        ]
        for (v, expected) in vectors {
            #expect(Int64(bitPattern: PostgresHash.hashInt8Extended(v)) == expected, "hashint8extended(\(v))")
        }
        #expect(PostgresHash.partitionSeed == 8_816_678_312_871_386_365)
    }

    @Test func rowHashOfOne() {
        #expect(PostgresRowHash.int8(1) == 11_274_504_255_086_170_040)
        #expect(PostgresRowHash.int8(1) % 16 == 8)
    }

    @Test func bigintRemaindersModulus16() {
        let expected: [(Int64, Int)] = [
            (1, 8), (2, 10), (3, 9), (4, 3), (5, 13), (6, 3), (7, 7), (8, 5), (9, 13), (10, 7), (11, 1), (12, 12),
            (13, 6), (14, 0), (15, 11), (16, 8), (17, 12), (18, 14), (19, 1), (20, 13), (100, 9), (1000, 4), (-1, 5),
            (4_294_967_296, 8), (Int64.max, 6), (Int64.min, 15),
            (1_000_000, 11), (2_147_483_648, 6), (-2_147_483_648, 6),
        ]
        let scheme = PostgresHashPartitioning.uniform(count: 16)
        for (key, remainder) in expected {
            #expect(scheme.partition(forInt8: key) == remainder, "order_id \(key)")
        }
    }

    @Test func textAndUUIDKeys() {
        // 'order-1' -> remainder 2; uuid md5('1') = c4ca4238-a0b9-2382-0dcc-509a6f75849b -> 8 (server-checked).
        let scheme = PostgresHashPartitioning.uniform(count: 16)
        var t = PostgresRowHash()
        t.combine(text: "order-1")
        #expect(scheme.partition(forRowHash: t.value) == 2)
        var u = PostgresRowHash()
        u.combine(uuid: 0xC4CA_4238_A0B9_2382, 0x0DCC_509A_6F75_849B)
        #expect(scheme.partition(forRowHash: u.value) == 8)
    }

    @Test func nullColumnsAreSkipped() {
        var withNull = PostgresRowHash()
        withNull.combineNull()
        withNull.combine(int8: 7)
        withNull.combineNull()
        #expect(withNull.value == PostgresRowHash.int8(7))
        #expect(PostgresRowHash().value == 0)
    }

    @Test func boundValidationFollowsPostgres() {
        typealias B = PostgresHashPartitioning.Bound
        #expect(throws: PostgresHashPartitioning.BoundError.self) {
            try PostgresHashPartitioning(bounds: [B(modulus: 3, remainder: 0), B(modulus: 4, remainder: 1)])
        }
        #expect(throws: PostgresHashPartitioning.BoundError.self) {
            try PostgresHashPartitioning(bounds: [B(modulus: 4, remainder: 0), B(modulus: 8, remainder: 4)])
        }
        #expect(throws: PostgresHashPartitioning.BoundError.self) {
            try PostgresHashPartitioning(bounds: [B(modulus: 4, remainder: 4)])
        }
        #expect(throws: PostgresHashPartitioning.BoundError.self) {
            try PostgresHashPartitioning(bounds: [B(modulus: 0, remainder: 0)])
        }
    }

    /// Brute force: the routed partition is the one whose constraint (`satisfies_hash_partition`)
    /// holds, and a slot nobody covers yields nil.
    @Test func mixedModuliRouteToTheSatisfiedBound() throws {
        typealias B = PostgresHashPartitioning.Bound
        let bounds = [B(modulus: 4, remainder: 0), B(modulus: 8, remainder: 1), B(modulus: 8, remainder: 5),
                      B(modulus: 16, remainder: 2), B(modulus: 16, remainder: 6), B(modulus: 16, remainder: 10),
                      B(modulus: 4, remainder: 3)]  // slot 14 (mod 16) left uncovered
        let scheme = try PostgresHashPartitioning(bounds: bounds)
        #expect(scheme.greatestModulus == 16)
        var rng = PartitioningSplitMix(seed: 7)
        for _ in 0..<20_000 {
            let h = rng.next()
            let satisfied = bounds.indices.filter {
                h % UInt64(bounds[$0].modulus) == UInt64(bounds[$0].remainder)
            }
            #expect(satisfied.count <= 1)
            #expect(scheme.partition(forRowHash: h) == satisfied.first)
        }
    }
}
