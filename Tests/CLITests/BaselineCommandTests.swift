import CapsimTestSupport
import Foundation
import Testing

/// `capsim baseline` and `capsim check --baseline` in both modes.
@Suite(.serialized) struct BaselineCommandTests {
    @Test func baselineThenExactCheckPassesAndSlowedServiceRegresses() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        let b = try ws.capsim("baseline", "gate.yaml", "--dir", "baselines")
        #expect(b.status == 0, "\(b.stderr)")
        #expect(b.stdout.contains("gate: baseline written to baselines/gate (seed 7, 1 replication(s))"))
        for f in ["report.json", "report.md", "replications.json"] { #expect(ws.exists("baselines/gate/\(f)")) }
        let before = try ws.read("baselines/gate/report.json")

        let ok = try ws.capsim("check", "gate.yaml", "--baseline", "baselines")
        #expect(ok.status == 0, "\(ok.stdout)\n\(ok.stderr)")
        #expect(ok.stdout.contains("PASS  gate: baseline: server.wait p99 = "))
        #expect(ok.stdout.contains("(+0 %), allowed +5 %"))
        #expect(ok.stdout.split(separator: "\n").last.map(String.init)?.hasSuffix("passed, 0 failed") == true)

        let slow = try ws.capsim("check", "gate.yaml", "--baseline", "baselines", "--set", Workspace.slowService, "--tolerance", "10%")
        #expect(slow.status == 1)
        let line = try #require(slow.stdout.split(separator: "\n").first { $0.hasPrefix("FAIL  gate: baseline: server.wait p99 = ") })
        #expect(line.contains("regressed beyond the tolerance"))
        #expect(line.contains("allowed +10 %"))
        // check never writes baselines.
        #expect(try ws.read("baselines/gate/report.json") == before)
    }

    @Test func baselineIsByteIdenticalWhenRewritten() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("baseline", "gate.yaml", "--dir", "a", "--replications", "3", "--threads", "1").status == 0)
        #expect(try ws.capsim("baseline", "gate.yaml", "--dir", "b", "--replications", "3", "--threads", "2").status == 0)
        for f in ["report.json", "replications.json"] {
            #expect(try ws.read("a/gate/\(f)") == ws.read("b/gate/\(f)"), "\(f)")
        }
    }

    /// Statistical mode: an unchanged model passes with zero differences; a change of the
    /// sampling algorithm that keeps the distribution (gamma with shape 1 is the same
    /// exponential, drawn differently) fails the exact gate at 0 % tolerance but passes the
    /// statistical one; a slowed service fails both.
    @Test func statisticalModeTellsNoiseFromChange() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("baseline", "gate.yaml", "--dir", "baselines", "--replications", "8").status == 0)

        let same = try ws.capsim("check", "gate.yaml", "--baseline", "baselines", "--mode", "statistical")
        #expect(same.status == 0, "\(same.stdout)\n\(same.stderr)")
        #expect(same.stdout.contains("baseline (paired, 8 replications): server.wait p99 Δ = 0 ms"))

        let redrawn = "queueing.stations.server.service={gamma: {shape: 1, mean: 1s}}"
        let exact = try ws.capsim("check", "gate.yaml", "--baseline", "baselines", "--tolerance", "0%", "--set", redrawn)
        #expect(exact.status == 1, "\(exact.stdout)")
        let stat = try ws.capsim("check", "gate.yaml", "--baseline", "baselines", "--mode", "statistical", "--set", redrawn)
        #expect(stat.status == 0, "\(stat.stdout)\n\(stat.stderr)")

        let slow = try ws.capsim("check", "gate.yaml", "--baseline", "baselines", "--mode", "statistical", "--set", Workspace.slowService)
        #expect(slow.status == 1)
        let line = try #require(slow.stdout.split(separator: "\n").first { $0.hasPrefix("FAIL  gate: baseline (paired, 8 replications): server.wait p99 Δ = +") })
        #expect(line.contains("the whole interval lies beyond the tolerance"))
    }

    @Test func statisticalModeNeedsReplicatedBaseline() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("baseline", "gate.yaml", "--dir", "baselines").status == 0)
        let r = try ws.capsim("check", "gate.yaml", "--baseline", "baselines", "--mode", "statistical")
        #expect(r.status == 2)
        #expect(r.stderr.contains("needs a baseline with replications.json of at least 2 replications"))
    }

    @Test func badScenarioWritesNoBaseline() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("bad.yaml", "name: bad\nqueueing: { customers: 10 }\n")
        let r = try ws.capsim("baseline", "bad.yaml", "--dir", "baselines")
        #expect(r.status == 2)
        #expect(!ws.exists("baselines/bad"))
    }
}
