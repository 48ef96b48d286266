import Foundation
import Platform

/// ns per routing call for the Partitioning area: PostgreSQL hash routing of bigint keys, Kafka
/// murmur2 routing of long keys and short string keys, monthly range routing, sticky partitioning.
public enum PartitioningBenchmark {
    public static func run() {
        let n = 20_000_000
        // Keys from a fixed xorshift stream so every run measures the same inputs.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var keys = [Int64](repeating: 0, count: 4096)
        for i in keys.indices {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            keys[i] = Int64(bitPattern: state)
        }
        let strings = (0..<4096).map { "order-\(UInt32(truncatingIfNeeded: keys[$0]) % 10_000_000)" }

        let pg = PostgresHashPartitioning.uniform(count: 16)
        report("partitioning.pg.hash.bigint.mod16", n) { i in pg.partition(forInt8: keys[i & 4095])! }
        report("partitioning.pg.rowhash.bigint+bigint", n) { i in
            var h = PostgresRowHash()
            h.combine(int8: keys[i & 4095])
            h.combine(int8: keys[(i + 1) & 4095])
            return Int(truncatingIfNeeded: h.value & 15)
        }
        report("partitioning.pg.hash.text(order-N).mod16", n / 4) { i in
            pg.partition(forRowHash: PostgresHash.combine64(0, PostgresHash.hashTextExtended(strings[i & 4095])))!
        }
        let months = MonthlyRangePartitioning(epoch: CivilDate(year: 2024, month: 1, day: 1))
        report("partitioning.pg.range.month", n) { i in
            months.monthOrdinal(at: keys[i & 4095] >> 8)
        }
        report("partitioning.kafka.murmur2.long.p24", n) { i in
            KafkaKeyPartitioner.partition(forLongKey: keys[i & 4095], partitionCount: 24)
        }
        report("partitioning.kafka.murmur2.string(order-N).p48", n / 4) { i in
            KafkaKeyPartitioner.partition(forStringKey: strings[i & 4095], partitionCount: 48)
        }
        var rng = SplitMix(state: 1)
        var sticky = KafkaStickyPartitioner(partitionCount: 48, strategy: .adaptive)
        report("partitioning.kafka.sticky.adaptive(200B records)", n) { _ in
            let p = sticky.partition(using: &rng)
            sticky.recordAppended(bytes: 200, using: &rng)
            return p
        }
    }

    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Runs `body` `iterations` times after a short warm-up and prints ns per call.
    static func report(_ name: String, _ iterations: Int, _ body: (Int) -> Int) {
        var sink = 0
        for i in 0..<(iterations / 20) { sink &+= body(i) }
        let clock = ContinuousClock()
        let start = clock.now
        for i in 0..<iterations { sink &+= body(i) }
        let elapsed = clock.now - start
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        print("\(name): \(String(format: "%.2f", ns / Double(iterations))) ns/op (checksum \(sink & 0xFFFF))")
    }
}
