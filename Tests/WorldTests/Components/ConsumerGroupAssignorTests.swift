import CapsimTestSupport
import Foundation
import Scenario
import SimCore
import Testing
import World

/// The world's consumer groups assign partitions like Kafka's `RoundRobinAssignor` (members
/// sorted by id, partitions dealt in turn). Ownership is not in the run's metrics, but a
/// crash makes it visible: the partitions of the crashed members stall until the session
/// times out, so their largest lag is a minute of records while the others' is a few seconds.
/// The stalled set is compared with the partitions kafka-python 3.0.12's own
/// `RoundRobinPartitionAssignor` gives the crashed members (and must differ from its
/// `RangePartitionAssignor` where the two differ).
@Suite struct ConsumerGroupAssignorTests {
    static let script = #"""
    import sys
    from types import SimpleNamespace as NS
    from kafka.coordinator.assignors.roundrobin import RoundRobinPartitionAssignor
    from kafka.coordinator.assignors.range import RangePartitionAssignor
    class Cluster:
        def __init__(self, n): self.n = n
        def partitions_for_topic(self, t): return set(range(self.n))
    out = open(sys.argv[2], "w")
    for line in open(sys.argv[1]):
        n, p = map(int, line.split())
        members = [NS(member_id="consumer-%03d" % i, group_instance_id=None, metadata=NS(topics=["t"])) for i in range(n)]
        owners = []
        for a in (RoundRobinPartitionAssignor, RangePartitionAssignor):
            res = a.assign(Cluster(p), members)
            owner = [-1] * p
            for i in range(n):
                for topic, parts in res["consumer-%03d" % i].assignment:
                    for q in parts: owner[q] = i
            owners.append(",".join(map(str, owner)))
        out.write("%d %d %s\n" % (n, p, " ".join(owners)))
    out.close()
    """#

    /// (members, partitions, crashed lowest ids)
    static func cases() -> [(n: Int, p: Int, k: Int)] {
        var rng = SplitMix64(seed: 1010)
        var out = [(n: 2, p: 4, k: 1), (n: 5, p: 3, k: 2)]
        for _ in 0..<4 {
            let n = 2 + rng.below(4), p = 2 + rng.below(5)
            out.append((n, p, 1 + rng.below(n - 1)))
        }
        return out
    }

    @Test func stalledPartitionsAreTheCrashedMembersUnderRoundRobin() throws {
        let python = RealSystems.python
        let probe = try? Subprocess.run(python, ["-c", "import kafka.coordinator.assignors.roundrobin"], timeout: 30)
        guard let probe, probe.succeeded else {
            let msg = "kafka-python not importable by \(python) (pip install kafka-python==3.0.12; set CAPSIM_PYTHON)"
            if RealSystems.required { Issue.record(Comment(rawValue: msg)) } else { print("skipped: " + msg) }
            return
        }
        let cases = Self.cases()
        let dir = try TemporaryDirectory(prefix: "capsim-assignor")
        defer { dir.remove() }
        try cases.map { "\($0.n) \($0.p)\n" }.joined().write(toFile: dir.file("in.txt"), atomically: true, encoding: .utf8)
        try Self.script.write(toFile: dir.file("a.py"), atomically: true, encoding: .utf8)
        try Subprocess.check(python, [dir.file("a.py"), dir.file("in.txt"), dir.file("out.txt")], timeout: 60)
        let lines = try String(contentsOfFile: dir.file("out.txt"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == cases.count)
        var differsFromRange = 0
        for (c, line) in zip(cases, lines) {
            let f = line.split(separator: " ")
            let roundRobin = f[2].split(separator: ",").map { Int($0)! }, range = f[3].split(separator: ",").map { Int($0)! }
            let expected = Set((0..<c.p).filter { roundRobin[$0] >= 0 && roundRobin[$0] < c.k })
            let rangeSet = Set((0..<c.p).filter { range[$0] >= 0 && range[$0] < c.k })
            if expected != rangeSet { differsFromRange += 1 }
            let m = try WorldScenario.run(WorldScenario.base, [
                "couriers.count=200", "demand.orders_per_hour=60/h", "duration=5min",
                "services.location_service.min=\(c.n)", "services.location_service.max=\(c.n)",
                "services.location_service.startup=10min", "kafka.location_updates.partitions=\(c.p)",
                "kafka.session_timeout=60s", "kafka.rebalance_pause=3s",
                "faults=[{ kind: replica_crash, service: location_service, region: only, at: 3min, count: \(c.k) }]"])
            let width = String(c.p - 1).count
            let lags = (0..<c.p).map { p -> Double in
                let id = String(repeating: "0", count: width - String(p).count) + String(p)
                return m.gauges.first { $0.name == "kafka.location_updates@only.partition.\(id).lag" }?.gauge.max ?? -1
            }
            // A partition with r records/s stalls 60 s + the 3 s pause: ~63 r behind; one that
            // only pauses, ~3 r. With r̄ the mean rate per partition (200 couriers split by key
            // hash, so a partition's share is within a factor of 2 of the mean here) the cut
            // 15 r̄ lies between 63 × r̄/2 and 3 × 2 r̄ plus a few records of noise.
            let rate = try #require(m.counterValue("kafka.location_updates@only.produced")) / 300 / Double(c.p)
            let stalled = Set((0..<c.p).filter { lags[$0] > 15 * rate })
            #expect(stalled == expected, "members \(c.n), partitions \(c.p), crashed \(c.k): stalled \(stalled.sorted()) (lags \(lags)) vs RoundRobinAssignor \(expected.sorted()), RangeAssignor \(rangeSet.sorted())")
            #expect(m.counterValue("kafka.location_updates@only.max_consumers") == Double(c.n))
        }
        #expect(differsFromRange >= 1)
    }
}
