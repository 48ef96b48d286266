import CapsimTestSupport
import Foundation
import Testing

/// End-to-end tests of the built `capsim` binary (scripts/test builds it before the tests).
enum Binary {
    static var path: String? { CapsimBinary.path }
}

@Suite struct RunCommandTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory(prefix: "capsim-cli") }

    func capsim(_ args: [String]) throws -> ProcessResult? {
        guard let exe = Binary.path else {
            Issue.record("build the capsim binary first (swift build --product capsim)")
            return nil
        }
        return try Subprocess.run(exe, args, currentDirectory: RealSystems.repositoryRoot, timeout: 120)
    }

    @Test func sameSeedGivesByteIdenticalReportsAcrossThreadCounts() throws {
        let scenario = RealSystems.repositoryRoot + "/scenarios/validation/mmc.yaml"
        var outputs: [String] = []
        for (i, threads) in [1, 1, 2].enumerated() {
            let out = dir.file("r\(i)")
            guard let r = try capsim(["run", scenario, "--set", "queueing.customers=20000", "--replications", "3",
                                      "--threads", String(threads), "--out", out, "--quiet"]) else { return }
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append(try String(contentsOfFile: out + "/mmc/report.json", encoding: .utf8))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
        #expect(outputs[0].contains("\"schema_version\": 2") && outputs[0].contains("\"ci95\""))
        for f in ["report.md", "series.csv", "summary.csv"] {
            #expect(FileManager.default.fileExists(atPath: dir.file("r0/mmc/" + f)))
        }
    }

    /// The platform model (the bundled baseline, shortened): report.json and report.html are
    /// byte-identical across runs and thread counts, and the run meets its invariants.
    @Test func baselineIsByteIdenticalAcrossThreadCounts() throws {
        let scenario = RealSystems.repositoryRoot + "/scenarios/baseline.yaml"
        var outputs: [(json: String, html: String)] = []
        for (i, threads) in [1, 2, 1].enumerated() {
            let out = dir.file("b\(i)")
            guard let r = try capsim(["run", scenario, "--set", "duration=12min", "--set", "warmup=2min", "--replications", "2",
                                      "--threads", String(threads), "--out", out, "--quiet"]) else { return }
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append((try String(contentsOfFile: out + "/baseline/report.json", encoding: .utf8),
                            try String(contentsOfFile: out + "/baseline/report.html", encoding: .utf8)))
        }
        #expect(outputs[0].json == outputs[1].json && outputs[0].json == outputs[2].json)
        #expect(outputs[0].html == outputs[1].html && outputs[0].html == outputs[2].html)
        #expect(outputs[0].json.contains("\"db.stale_reads\"") && outputs[0].json.contains(".partition.47.lag"))
        // The summary on stdout leads with the SLO verdicts (failures first, each with its
        // cause), then says whether the invariants hold and what the advisor found.
        guard let r = try capsim(["run", scenario, "--set", "duration=12min", "--set", "warmup=2min", "--out", dir.file("s")]) else { return }
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(r.status == 0 && lines.count > 6, "\(r.stdout)")
        #expect(lines[1].hasPrefix("  SLOs: ") && lines[1].hasSuffix(" of 3 NOT met"), "\(r.stdout)")
        #expect(lines[2].hasPrefix("    FAIL place_order@us_west.latency p99 = ") && lines[3].hasPrefix("      cause: place_order@us_west: every order write crosses"), "\(r.stdout)")
        #expect(lines.dropFirst().prefix(8).contains { $0.hasPrefix("    pass place_order@us_east.latency p99 = ") }, "\(r.stdout)")
        #expect(lines.contains("  invariants: all 3 hold") && lines.contains { $0.hasPrefix("  findings: ") }, "\(r.stdout)")
    }

    @Test func badScenarioExitsTwoWithLocationAndWritesNothing() throws {
        let bad = dir.file("bad.yaml")
        try "name: bad\nqueueing:\n  customers: 10\n  arrivals: [{ to: s, rate: 1/s }]\n  stations:\n    s: { servers: 1, service: 1s, capacty: 3 }\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let out = dir.file("out")
        guard let r = try capsim(["run", bad, "--out", out]) else { return }
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.yaml:6:") && r.stderr.contains("unknown key 'capacty'") && r.stderr.contains("fix:"))
        #expect(!FileManager.default.fileExists(atPath: out))
        guard let v = try capsim(["validate", bad]) else { return }
        #expect(v.status == 2 && v.stderr.contains("unknown key 'capacty'"))
    }

    @Test func badFlagsExitTwo() throws {
        guard let a = try capsim(["run", "--replications", "0", "scenarios/validation/mmc.yaml"]) else { return }
        #expect(a.status == 2 && a.stderr.contains("--replications"))
        guard let b = try capsim(["run", "--no-such-flag", "scenarios/validation/mmc.yaml"]) else { return }
        #expect(b.status == 2)
        guard let c = try capsim(["run", "missing.yaml"]) else { return }
        #expect(c.status == 2 && c.stderr.contains("missing.yaml") && c.stderr.contains("no such scenario file"))
        guard let d = try capsim(["run", "scenarios/validation/mmc.yaml", "--set", "queueing.stations.server.servers=0"]) else { return }
        #expect(d.status == 2 && d.stderr.contains("--set") && d.stderr.contains("below the minimum 1"))
    }

    @Test func schemaCommandPrintsJSONSchema() throws {
        guard let r = try capsim(["schema"]) else { return }
        #expect(r.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(json?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect((json?["properties"] as? [String: Any])?["queueing"] != nil)
    }
}
