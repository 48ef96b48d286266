import CapsimTestSupport
import Foundation
import Testing
@testable import Platform

/// Compares murmur2 and keyed partitions (24 and 48 partitions) with the `kafka-python` package:
/// its `kafka.partitioner.default.murmur2` and `DefaultPartitioner.partition`, over String keys
/// (UTF-8, incl. empty and non-ASCII), Int64 keys (LongSerializer: 8 bytes big-endian) and Int32
/// keys (IntegerSerializer: 4 bytes big-endian), serialized by Python's own `str.encode`/`struct.pack`.
@Suite("Kafka partitioning vs kafka-python")
struct KafkaPythonComparisonTests {
    struct Keys: Codable {
        var strings: [String]
        var longs: [String]  // decimal text: JSON numbers are not exact for all Int64
        var ints: [Int32]
    }

    static let script = #"""
    import json, struct, sys
    import kafka
    from kafka.partitioner.default import murmur2, DefaultPartitioner

    class Cluster:  # the three ClusterMetadata methods DefaultPartitioner.partition reads
        def __init__(self, n): self.n = n
        def topics(self): return {"t"}
        def partitions_for_topic(self, topic): return set(range(self.n))
        def available_partitions_for_topic(self, topic): return set(range(self.n))

    keys = json.load(open(sys.argv[1], encoding="utf-8"))
    part, c24, c48 = DefaultPartitioner(), Cluster(24), Cluster(48)
    out = open(sys.argv[2], "w")
    out.write("version %s\n" % kafka.__version__)
    def emit(tag, i, b):
        out.write("%s %d %d %d %d\n" % (tag, i, murmur2(b),
                  part.partition("t", b, b, None, None, c24), part.partition("t", b, b, None, None, c48)))
    for i, s in enumerate(keys["strings"]): emit("s", i, s.encode("utf-8"))
    for i, v in enumerate(keys["longs"]): emit("l", i, struct.pack(">q", int(v)))
    for i, v in enumerate(keys["ints"]): emit("i", i, struct.pack(">i", v))
    out.close()
    """#

    @Test(.enabled(if: RealSystems.canRunPython("kafka.partitioner.default"),
                   "kafka-python not importable (pip install kafka-python==3.0.12; set CAPSIM_PYTHON)"))
    func murmur2AndPartitionsMatchKafkaPython() throws {
        let python = RealSystems.python
        try #require(RealSystems.pythonImports("kafka.partitioner.default"),
                     "kafka-python not importable by \(python) (pip install kafka-python==3.0.12; set CAPSIM_PYTHON)")
        var rng = PartitioningSplitMix(seed: 794)
        var strings = ["", "a", "ab", "abc", "abcd", "21", "foobar", "order-1", "driver-7", "é", "中文", "🚀",
                       "e\u{301}", "\u{0}", "naïve café", String(repeating: "x", count: 1_000)]
        let pools: [[Character]] = [
            Array("abcdefghijklmnopqrstuvwxyz0123456789-_:"),
            Array("aé中🚀ßøΩЖ\u{301}\u{0}\t\n\"\\/ "),
        ]
        for i in 0..<6_000 {
            if i % 5 == 0 { strings.append("order-\(rng.next() % 100_000_000)"); continue }
            let pool = pools[i % 2]
            let len = Int(rng.next() % 33)
            strings.append(String((0..<len).map { _ in pool[Int(rng.next() % UInt64(pool.count))] }))
        }
        let longs = PartitioningKeys.int64Keys(randomFull: 3_000, randomSmall: 2_000, seed: 480)
        var ints: [Int32] = [0, -1, 1, Int32.min, Int32.max]
        for _ in 0..<2_000 { ints.append(Int32(truncatingIfNeeded: rng.next())) }

        let dir = try TemporaryDirectory(prefix: "capsim-kafka")
        defer { dir.remove() }
        let keysFile = dir.file("keys.json"), outFile = dir.file("out.txt"), scriptFile = dir.file("murmur.py")
        try JSONEncoder().encode(Keys(strings: strings, longs: longs.map { String($0) }, ints: ints))
            .write(to: URL(fileURLWithPath: keysFile))
        try Self.script.write(toFile: scriptFile, atomically: true, encoding: .utf8)
        try Subprocess.check(python, [scriptFile, keysFile, outFile], timeout: 60)
        let output = try String(contentsOfFile: outFile, encoding: .utf8)

        var compared = 0, mismatches = 0
        var samples: [String] = []
        var version = "?"
        for line in output.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            if f.first == "version" { version = f.last ?? "?"; continue }
            guard f.count == 5, let i = Int(f[1]), let h = UInt32(f[2]), let p24 = Int(f[3]), let p48 = Int(f[4]) else {
                Issue.record("unparsable line: \(line)")
                continue
            }
            let hash: Int32
            let mine24: Int, mine48: Int
            switch f[0] {
            case "s":
                hash = KafkaMurmur2.hash(string: strings[i])
                mine24 = KafkaKeyPartitioner.partition(forStringKey: strings[i], partitionCount: 24)
                mine48 = KafkaKeyPartitioner.partition(forStringKey: strings[i], partitionCount: 48)
            case "l":
                hash = KafkaMurmur2.hash(int64: longs[i])
                mine24 = KafkaKeyPartitioner.partition(forLongKey: longs[i], partitionCount: 24)
                mine48 = KafkaKeyPartitioner.partition(forLongKey: longs[i], partitionCount: 48)
            default:
                hash = KafkaMurmur2.hash(int32: ints[i])
                mine24 = KafkaKeyPartitioner.partition(forIntKey: ints[i], partitionCount: 24)
                mine48 = KafkaKeyPartitioner.partition(forIntKey: ints[i], partitionCount: 48)
            }
            compared += 1
            if UInt32(bitPattern: hash) != h || mine24 != p24 || mine48 != p48 {
                mismatches += 1
                if samples.count < 10 { samples.append("\(line) vs \(UInt32(bitPattern: hash)) \(mine24) \(mine48)") }
            }
        }
        #expect(compared == strings.count + longs.count + ints.count)
        #expect(mismatches == 0, "\(samples)")
        print("kafka-python \(version): compared \(compared) keys (\(strings.count) strings, \(longs.count) longs, "
              + "\(ints.count) ints) x {hash, p24, p48}, mismatches=\(mismatches)")
    }
}
