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
        #expect(lines.contains { $0.hasPrefix("PASS  gate: slo: server.wait p99 = ") && $0.contains("limit ≤ 8 s") })
        #expect(lines.contains { $0.hasPrefix("PASS  gate: slo: network.sojourn p50 = ") && $0.contains("limit ≤ 3 s") })
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
        // "FAIL  gate: slo: server.wait p99 = 10.64 s, limit ≤ 8 s (exceeded by 33.06 %)": durations in their unit
        let parts = fail.split(separator: "=")[1].split(separator: " ")
        let value = try #require(Double(parts[0]))
        #expect(parts[1].hasPrefix("s"), "\(fail)")
        #expect(value > 8)
        #expect(fail.contains("limit ≤ 8 s"))
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

    /// Like with like: a baseline of 6000 customers against a 9000-customer candidate is
    /// not a regression test; check names the difference and exits 2 unless allowed.
    @Test func scenarioMismatchIsBadInputUnlessAllowed() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("baseline", "gate.yaml", "--dir", "baselines").status == 0)
        let r = try ws.capsim("check", "gate.yaml", "--baseline", "baselines", "--set", "queueing.customers=9000")
        #expect(r.status == 2, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("queueing.customers (6000 vs 9000)"), "\(r.stderr)")
        #expect(r.stderr.contains("--allow-scenario-change"))
        let allowed = try ws.capsim("check", "gate.yaml", "--baseline", "baselines", "--set", "queueing.customers=9000", "--allow-scenario-change")
        #expect(allowed.status != 2, "\(allowed.stdout)\n\(allowed.stderr)")
        #expect(allowed.stdout.contains("scenario differs from the baseline"))
        #expect(allowed.stdout.contains("queueing.customers: 6000 → 9000 (figures not comparable)"))
        // A difference that is the change under test (the service time) is shown, not refused.
        let whatIf = try ws.capsim("check", "gate.yaml", "--baseline", "baselines", "--set", Workspace.slowService)
        #expect(whatIf.status == 1, "\(whatIf.stderr)")
        #expect(whatIf.stdout.contains("queueing.stations.server.service"))
    }

    /// The bundled baseline fails two SLOs because us_west and eu_west write to the us_east
    /// primary: the check output opens with those failures and says why, in plain words.
    @Test func bundledBaselineFailuresLeadWithTheirCause() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let file = RealSystems.repositoryRoot + "/scenarios/baseline.yaml"
        // The baseline's warm-up (30 min, one trip: issue 11) is cut with the run.
        let r = try ws.capsim("check", file, "--set", "duration=20min", "--set", "warmup=5min", "--out", "out")
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        // Line 0 names the scenario; line 1 is the first failure, its cause right under it.
        #expect(lines.count > 3)
        #expect(lines[1].hasPrefix("FAIL  baseline: slo: place_order@us_west.latency p99 = ") || lines[1].hasPrefix("FAIL  baseline: slo: place_order@eu_west.latency p99 = "), "\(r.stdout)")
        let west = try #require(lines.firstIndex { $0.hasPrefix("FAIL  baseline: slo: place_order@us_west.latency p99") }, "\(r.stdout)")
        #expect(lines[west + 1].contains("cause: place_order@us_west: every order write crosses to the primary database in us_east and pays the 65"), "\(lines[west + 1])")
        #expect(!lines.prefix(west).contains { $0.hasPrefix("PASS") })
        let md = try ws.read("out/baseline/report.md")
        let slo = try #require(md.range(of: "## SLOs")), findings = try #require(md.range(of: "## Findings"))
        #expect(slo.lowerBound < findings.lowerBound)
        let firstGroup = try #require(md[findings.upperBound...].split(separator: "\n").first { $0.hasPrefix("**") })
        #expect(firstGroup.contains("Writes cross regions to the primary database") || firstGroup.contains("error"), "\(firstGroup)")
    }
}
