import Testing
@testable import Platform

/// Vectors from apache/kafka `clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java`
/// (`testMurmur2`), kafka-python's Java-compatibility vectors (1000 partitions), and hashes and
/// partitions computed with kafka-python 3.0.12's `murmur2` (`kafka/partitioner/default.py`).
@Suite("Kafka murmur2 and keyed partitioning: published vectors")
struct KafkaMurmur2Tests {
    @Test func javaUtilsTestMurmur2() {
        let vectors: [(String, Int32)] = [
            ("21", -973_932_308), ("foobar", -790_332_482), ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971), ("abc", 479_470_107),
        ]
        for (key, expected) in vectors {
            #expect(KafkaMurmur2.hash(string: key) == expected, "murmur2(\"\(key)\")")
            #expect(KafkaMurmur2.hash(bytes: Array(key.utf8)) == expected)
        }
    }

    @Test func kafkaPythonJavaCompatibility1000Partitions() {
        let vectors: [([UInt8], Int)] = [
            ([], 681), (Array("a".utf8), 524), (Array("ab".utf8), 434), (Array("abc".utf8), 107),
            (Array("123456789".utf8), 566), ([0x00, 0x20], 742),
        ]
        for (bytes, expected) in vectors {
            let p = bytes.withUnsafeBytes { KafkaKeyPartitioner.partition(forKeyBytes: $0, partitionCount: 1000) }
            #expect(p == expected, "\(bytes)")
        }
    }

    @Test func computedPartitionsFor24And48() {
        let strings: [(String, Int32, Int, Int)] = [
            ("order-1", 1_221_710_326, 22, 22), ("order-2", -1_055_499_005, 3, 3), ("order-3", -849_583_649, 15, 15),
            ("order-42", 501_153_024, 0, 0), ("driver-1", 1_689_951_325, 13, 13), ("driver-7", 1_320_159_766, 22, 22),
            ("42", 417_700_972, 4, 28),
        ]
        for (key, hash, p24, p48) in strings {
            #expect(KafkaMurmur2.hash(string: key) == hash, "\(key)")
            #expect(KafkaKeyPartitioner.partition(forStringKey: key, partitionCount: 24) == p24)
            #expect(KafkaKeyPartitioner.partition(forStringKey: key, partitionCount: 48) == p48)
        }
        let longs: [(Int64, Int32, Int, Int)] = [
            (1, 2_100_486_060, 12, 12), (2, 1_195_241_604, 12, 36), (42, 506_863_552, 16, 16),
            (1_000_000, 1_979_921_128, 16, 40),
        ]
        for (key, hash, p24, p48) in longs {
            #expect(KafkaMurmur2.hash(int64: key) == hash, "LongSerializer(\(key))")
            #expect(KafkaKeyPartitioner.partition(forLongKey: key, partitionCount: 24) == p24)
            #expect(KafkaKeyPartitioner.partition(forLongKey: key, partitionCount: 48) == p48)
        }
    }

    /// The allocation-free integer paths must equal murmur2 over the explicit big-endian bytes.
    @Test func integerFastPathsEqualBigEndianBytes() {
        var rng = PartitioningSplitMix(seed: 3)
        for key in PartitioningKeys.int64Keys(randomFull: 2_000, randomSmall: 500, seed: 4) {
            let bytes = (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: key) >> (56 - 8 * $0)) }
            #expect(KafkaMurmur2.hash(int64: key) == KafkaMurmur2.hash(bytes: bytes))
        }
        for _ in 0..<2_000 {
            let key = Int32(truncatingIfNeeded: rng.next())
            let bytes = (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: key) >> (24 - 8 * $0)) }
            #expect(KafkaMurmur2.hash(int32: key) == KafkaMurmur2.hash(bytes: bytes))
        }
    }

    @Test func toPositiveIsNotAbs() {
        #expect(KafkaMurmur2.toPositive(Int32.min) == 0)
        #expect(KafkaMurmur2.toPositive(-1) == Int32.max)
        #expect(KafkaMurmur2.toPositive(5) == 5)
    }
}
