import CapsimTestSupport
import Foundation
import Testing

/// `capsim compare A B`: Markdown on stdout, an HTML page, significance where possible.
@Suite(.serialized) struct CompareCommandTests {
    @Test func comparesRunFoldersWithWelchSignificance() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("run", "gate.yaml", "--out", "a", "--replications", "4", "--quiet").status == 0)
        // Another seed: runs write replications.json, so on the same seed they would pair.
        #expect(try ws.capsim("run", "gate.yaml", "--out", "b", "--replications", "4", "--quiet", "--seed", "8", "--set", Workspace.slowService).status == 0)
        // The seeds differ, so the runs are not like with like: compare refuses without the flag.
        #expect(try ws.capsim("compare", "a/gate", "b/gate/report.json").status == 2)
        let r = try ws.capsim("compare", "a/gate", "b/gate/report.json", "--html", "cmp.html", "--allow-scenario-change")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("# Compare gate (A) with gate (B)"))
        #expect(r.stdout.contains("Welch's 95 % interval"))
        let row = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("| server.wait mean | ms |") })
        #expect(row.contains("| +"))
        #expect(row.contains("**yes**"))
        let html = try ws.read("cmp.html")
        #expect(html.contains("<svg class=\"chart\""))
        #expect(html.contains("server.queue_length"))  // series overlaid from both series.csv
    }

    @Test func pairedSignificanceForBaselinesOnTheSameSeed() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("baseline", "gate.yaml", "--dir", "a", "--replications", "4").status == 0)
        #expect(try ws.capsim("baseline", "gate.yaml", "--dir", "b", "--replications", "4", "--set", Workspace.slowService).status == 0)
        let r = try ws.capsim("compare", "a/gate", "b/gate", "--html", "cmp.html")
        #expect(r.status == 0)
        #expect(r.stdout.contains("mean paired difference over 4 replications on common random numbers"))
        let same = try ws.capsim("compare", "a/gate", "a/gate", "--html", "same.html")
        let row = try #require(same.stdout.split(separator: "\n").first { $0.hasPrefix("| server.wait p99 | ms |") })
        #expect(row.contains("| 0 | 0 % | no [0, 0] |"))
    }

    @Test func singleReplicationsHaveNoSignificance() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("run", "gate.yaml", "--out", "a", "--quiet").status == 0)
        let r = try ws.capsim("compare", "a/gate", "a/gate/report.json", "--html", "c.html")
        #expect(r.status == 0)
        #expect(r.stdout.contains("not available with a single replication"))
    }

    @Test func missingOrForeignInputIsBadInput() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        try ws.write("other.json", "{\"hello\": 1}\n")
        try ws.write("broken.json", "{\"hello\": \n")
        #expect(try ws.capsim("run", "gate.yaml", "--out", "a", "--quiet").status == 0)
        #expect(try ws.capsim("compare", "a/gate", "nowhere").status == 2)
        #expect(try ws.capsim("compare", "a/gate", "other.json").status == 2)
        let broken = try ws.capsim("compare", "broken.json", "a/gate")
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("invalid JSON"))
        #expect(try ws.capsim("compare", "a/gate").status == 2)
    }

    /// compare leads with the scenario diff, and refuses runs of different length unless allowed.
    @Test func compareLeadsWithTheScenarioDiff() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("run", "gate.yaml", "--out", "a", "--quiet").status == 0)
        #expect(try ws.capsim("run", "gate.yaml", "--out", "b", "--quiet", "--set", "queueing.customers=9000").status == 0)
        let refused = try ws.capsim("compare", "a/gate", "b/gate", "--html", "c.html")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("queueing.customers (6000 vs 9000)"), "\(refused.stderr)")
        let r = try ws.capsim("compare", "a/gate", "b/gate", "--html", "c.html", "--allow-scenario-change")
        #expect(r.status == 0, "\(r.stderr)")
        let sections = r.stdout.split(separator: "\n").filter { $0.hasPrefix("## ") }
        #expect(sections.first == "## Scenario differences", "\(sections)")
        #expect(r.stdout.contains("- `queueing.customers: 6000 → 9000 (figures not comparable)`"))
        let html = try ws.read("c.html")
        #expect(try #require(html.range(of: "id=\"scenario-diff\"")).lowerBound < (try #require(html.range(of: ">All figures<"))).lowerBound)
    }
}
