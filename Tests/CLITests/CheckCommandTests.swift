import CapsimTestSupport
import Foundation
import Testing

/// `capsim check` end to end: SLO verdicts, the closing line, JUnit XML, exit codes.
@Suite(.serialized) struct CheckCommandTests {
    @Test func passingScenarioPrintsEachCheckAndTheTally() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        let r = try ws.capsim("check", "gate.yaml", "--junit", "junit.xml", "--markdown", "summary.md")
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.last == "4 passed, 0 failed")
        #expect(lines.contains { $0.hasPrefix("PASS  gate: slo: server.wait p99 = ") && $0.contains("limit ≤ 8000 ms") })
        #expect(lines.contains { $0.hasPrefix("PASS  gate: slo: network.sojourn p50 = ") && $0.contains("limit ≤ 3000 ms") })
        #expect(lines.contains { $0.hasPrefix("PASS  gate: slo: server.p_wait = ") && $0.contains("limit ≤ 0.9") })
        #expect(lines.contains { $0.hasPrefix("PASS  gate: invariants") })

        let xml = try ws.read("junit.xml")
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(xml.contains("<testsuites name=\"capsim check\" tests=\"4\" failures=\"0\" errors=\"0\">"))
        #expect(xml.contains("<testcase classname=\"capsim.gate.slo\" name=\"server.wait.p99\"/>"))
        #expect(!xml.contains("<failure"))
        #expect(try ws.read("summary.md").contains("**4 passed, 0 failed**"))
    }

    /// The acceptance test of the issue: a slowed service fails `check`, and the message
    /// names the metric, its value and its limit.
    @Test func slowedServiceFailsNamingMetricValueAndLimit() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        let r = try ws.capsim("check", "gate.yaml", "--set", Workspace.slowService, "--junit", "junit.xml")
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let fail = try #require(lines.first { $0.hasPrefix("FAIL  gate: slo: server.wait p99 = ") }, "\(r.stdout)")
        // "FAIL  gate: slo: server.wait p99 = 10645 ms, limit ≤ 8000 ms (exceeded by 33.06 %)"
        let value = try #require(Double(fail.split(separator: "=")[1].split(separator: " ")[0]))
        #expect(value > 8000)
        #expect(fail.contains("limit ≤ 8000 ms"))
        #expect(fail.contains("exceeded"))
        #expect(lines.last?.hasSuffix(" failed") == true)
        #expect(lines.last?.range(of: #"^\d+ passed, [1-9]\d* failed$"#, options: .regularExpression) != nil)
        let xml = try ws.read("junit.xml")
        #expect(xml.contains("<failure type=\"slo\" message=\"slo: server.wait p99 = "))
    }

    @Test func unknownMetricIsBadInputWithDidYouMean() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate.replacingOccurrences(of: "metric: server.wait.p99", with: "metric: server.wiat.p99"))
        let r = try ws.capsim("check", "gate.yaml")
        #expect(r.status == 2, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("no metric 'server.wiat'"))
        #expect(r.stderr.contains("did you mean 'server.wait'?"))
        #expect(r.stderr.contains("gate.yaml:"))
    }

    @Test func statisticTheMetricDoesNotHaveIsBadInput() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate.replacingOccurrences(of: "{ metric: server.p_wait, stat: ratio, max: 0.9 }",
                                                                   with: "{ metric: server.p_wait, stat: p99, max: 0.9 }"))
        let r = try ws.capsim("check", "gate.yaml")
        #expect(r.status == 2)
        #expect(r.stderr.contains("'server.p_wait' is a counter and has no statistic 'p99'"))
    }

    @Test(arguments: [
        ["--tolerance", "five"], ["--tolerance", "5"], ["--mode", "fuzzy"], ["--threads", "0"],
        ["--floor", "fast"], ["--mode", "statistical"], ["--no-such-flag"],
    ])
    func badFlagsExit2(_ flags: [String]) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        let r = try CapsimBinary.run(["check", "gate.yaml"] + flags, in: ws.path)
        #expect(r.status == 2, "\(flags): \(r.stdout)\n\(r.stderr)")
    }

    @Test func missingScenarioOrBaselineIsBadInput() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("check", "nope.yaml").status == 2)
        let noDir = try ws.capsim("check", "gate.yaml", "--baseline", "baselines")
        #expect(noDir.status == 2)
        #expect(noDir.stderr.contains("--baseline baselines: no such folder"))
        try FileManager.default.createDirectory(atPath: ws.dir.file("baselines"), withIntermediateDirectories: true)
        let noBaseline = try ws.capsim("check", "gate.yaml", "--baseline", "baselines")
        #expect(noBaseline.status == 2)
        #expect(noBaseline.stderr.contains("gate: no baseline in baselines/gate"))
    }
}
