import CapsimTestSupport
typealias PartitioningSplitMix = SplitMix64

/// Returns 0, 1, 2, ... like the `mockRandom = () -> mockRandom.getAndAdd(1)` of Kafka's
/// `BuiltInPartitionerTest`.
struct PartitioningSequentialRandom: RandomNumberGenerator {
    var counter: UInt64 = 0
    mutating func next() -> UInt64 {
        defer { counter += 1 }
        return counter
    }
}

enum PartitioningKeys {
    /// Int64 keys for routing comparisons: the extremes and their neighbours, the int4 and 2^32
    /// boundaries, then `randomFull` uniform 64-bit values and `randomSmall` values in ±2^31.
    static func int64Keys(randomFull: Int, randomSmall: Int, seed: UInt64) -> [Int64] {
        var keys: [Int64] = [0, 1, -1, 2, -2, 42, -42]
        for d in Int64(0)...200 {
            keys += [Int64.min + d, Int64.max - d]
        }
        let bases: [Int64] = [Int64(Int32.min), Int64(Int32.max), 1 << 32, -(1 << 32), 1 << 31, -(1 << 31) - 1, 1 << 62, -(1 << 62)]
        for base in bases {
            for d in Int64(-3)...3 { keys.append(base &+ d) }
        }
        var rng = PartitioningSplitMix(seed: seed)
        for _ in 0..<randomFull { keys.append(Int64(bitPattern: rng.next())) }
        for _ in 0..<randomSmall { keys.append(Int64(Int32(truncatingIfNeeded: rng.next()))) }
        return keys
    }
}
