import CapsimTestSupport
import Foundation
import Testing

/// Command-line values and inputs that crashed or ran away before issue 18 (and point 3 of
/// issue 15): each is now exit 2 with a message naming the value, the limit and a fix,
/// before any run starts, so no report folder is written.
@Suite(.enabled(if: CapsimBinary.path != nil, "capsim is not built"))
struct HostileInputCommandTests {
    static let fixture = RealSystems.repositoryRoot + "/Tests/Fixtures/mdrp/capsim-small"

    @Test func replicationsAndThreadsAreBounded() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        for (flag, value) in [("--replications", "1000000000"), ("--replications", "10001"), ("--threads", "0"), ("--threads", "100000")] {
            let r = try ws.capsim("run", "gate.yaml", flag, value, "--out", "out")
            #expect(r.status == 2, "\(flag) \(value): \(r.stderr)")
            #expect(r.stderr.contains("\(flag) must be from 1 to"), "\(r.stderr)")
            #expect(!ws.exists("out"))
        }
        let sweep = try ws.capsim("sweep", "gate.yaml", "--param", "queueing.stations.server.servers=4,5", "--replications", "1001")
        #expect(sweep.status == 2 && sweep.stderr.contains("from 1 to 1000"))
    }

    @Test func hugeDurationsOnTheCommandLineGoThroughTheUnitChecks() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        for v in ["1e300h", "106752d", "inf"] {
            let r = try ws.capsim("run", "gate.yaml", "--set", "duration=\(v)", "--out", "out")
            #expect(r.status == 2 && r.stderr.contains("--set duration=\(v)"), "\(v): \(r.stderr)")
            #expect(!ws.exists("out"))
        }
        let ext = try ws.capsim("validate", "gate.yaml", "--set", "extends=other.yaml")
        #expect(ext.status == 2 && ext.stderr.contains("extends cannot be set on the command line"))
        // d/a.yaml extends ../d/a.yaml, run by a relative path: a cycle, found at once.
        try FileManager.default.createDirectory(atPath: ws.path + "/d", withIntermediateDirectories: true)
        try ws.write("d/a.yaml", "name: a\nextends: ../d/a.yaml\n")
        let cycle = try ws.capsim("run", "d/a.yaml", "--out", "out")
        #expect(cycle.status == 2 && cycle.stderr.contains("d/a.yaml:2:10: error at 'extends': extends cycle"), "\(cycle.stderr)")
        #expect(!ws.exists("out"))
    }

    /// Issue 15 point 3: `validate` catches what `check` would reject only after a full run.
    @Test func validateCatchesUnknownSLOMetricsAndBadTargets() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate.replacingOccurrences(of: "network.sojourn, stat: p50", with: "network.sojurn, stat: p50"))
        let r = try ws.capsim("validate", "gate.yaml")
        #expect(r.status == 2)
        #expect(r.stderr.contains("no metric 'network.sojurn'") && r.stderr.contains("did you mean 'network.sojourn'?"), "\(r.stderr)")
        // The statistic must exist for the metric's kind too (a counter has no p99).
        try ws.write("stat.yaml", Workspace.gate.replacingOccurrences(of: "server.wait.p99, max: 8s", with: "network.arrivals, stat: p99, max: 8s"))
        let stat = try ws.capsim("validate", "stat.yaml")
        #expect(stat.status == 2 && stat.stderr.contains("has no statistic 'p99'"), "\(stat.stderr)")
        #expect(try ws.capsim("validate", "gate.yaml", "--set", "slos=[]").status == 0)
        let baseline = RealSystems.repositoryRoot + "/scenarios/baseline.yaml"
        let cpu = try ws.capsim("validate", baseline, "--set", "services.order_service.target_cpu=170")
        #expect(cpu.status == 2 && cpu.stderr.contains("services.order_service.target_cpu"))
        // The bundled baseline's SLOs all name real metrics.
        #expect(try ws.capsim("validate", baseline).status == 0)
    }

    /// run, check, baseline and sweep refuse an SLO naming an unknown metric before anything
    /// runs, with the same message as validate, and write nothing. The scenario is made long
    /// (200 million customers, over a minute of simulation) and the commands get 30 s: a
    /// command that ran first and resolved the SLOs afterwards would time out.
    @Test func runningCommandsRefuseUnknownSLOMetricsUpFront() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate.replacingOccurrences(of: "network.sojourn, stat: p50", with: "network.sojurn, stat: p50"))
        let exe = try #require(CapsimBinary.path)
        let long = ["--set", "queueing.customers=200000000"]
        for args in [["run", "gate.yaml", "--out", "out"], ["check", "gate.yaml", "--out", "out"],
                     ["baseline", "gate.yaml", "--dir", "out"], ["sweep", "gate.yaml", "--param", "seed=1,2", "--out", "out"]] {
            let r = try Subprocess.run(exe, args + long, currentDirectory: ws.path, timeout: 30)
            #expect(r.status == 2, "\(args[0]): \(r.stderr)")
            #expect(r.stderr.contains("no metric 'network.sojurn'") && r.stderr.contains("did you mean 'network.sojourn'?"), "\(args[0]): \(r.stderr)")
            #expect(!ws.exists("out"), "\(args[0]) wrote a report")
        }
    }

    /// A copy of the MDRP fixture with one file replaced.
    static func instance(_ ws: Workspace, _ file: String, _ text: String) throws -> String {
        let dir = ws.path + "/inst"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: fixture, toPath: dir)
        try text.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
        return "inst"
    }

    @Test func mdrpValuesThatOverflowedAreRefusedWithFileLineAndField() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let header = "meters_per_minute\tpickup service minutes\tdropoff service minutes\ttarget click-to-door\tmaximum click-to-door\tpay per order\tguaranteed pay per hour\n"
        // 153,722,868 minutes × 6e10 ns is past Int64.
        let service = try Self.instance(ws, "instance_parameters.txt", header + "320\t153722868\t4\t40\t90\t10\t15\n")
        let r = try ws.capsim("replay", "mdrp", service, "--out", "out")
        #expect(r.status == 2 && r.stderr.contains("instance_parameters.txt line 2, field \"pickup service minutes\""), "\(r.stderr)")
        #expect(!ws.exists("out"))
        let far = try Self.instance(ws, "restaurants.txt", try String(contentsOfFile: Self.fixture + "/restaurants.txt", encoding: .utf8)
            .replacingOccurrences(of: "r1\t3565\t2920", with: "r1\t1e300\t2920"))
        let f = try ws.capsim("replay", "mdrp", far, "--out", "out")
        #expect(f.status == 2 && f.stderr.contains("restaurants.txt line 2, field \"x\""), "\(f.stderr)")
        let interval = try ws.capsim("replay", "mdrp", Self.fixture, "--out", "out", "--batch-interval", "100000000")
        #expect(interval.status == 2 && interval.stderr.contains("batchIntervalMinutes") && interval.stderr.contains("10080"), "\(interval.stderr)")
        #expect(!ws.exists("out"))
    }
}
