import CapsimTestSupport
import Foundation
import Testing

/// `capsim units` → `capsim unit` (anywhere, any order) → `capsim merge` writes exactly the
/// folder the local `run` or `sweep` writes; bad or missing parts stop it before writing.
@Suite(.serialized) struct UnitCommandTests {
    /// Every file under `dir` (relative path → contents).
    static func tree(_ dir: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: dir) else { return out }
        for case let rel as String in e {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir), !isDir.boolValue {
                out[rel] = fm.contents(atPath: dir + "/" + rel)
            }
        }
        return out
    }

    /// Plans `command`, evaluates the units last to first with `capsim unit`, merges.
    static func viaUnits(_ ws: Workspace, _ command: [String]) throws -> ProcessResult {
        let plan = try CapsimBinary.run(["units", "--out", "units.json"] + command, in: ws.path)
        #expect(plan.status == 0, "\(plan.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ws.read("units.json").utf8)) as? [String: Any])
        let units = try #require(json["units"] as? [[String: Any]])
        for u in units.reversed() {
            let argv = try #require(u["argv"] as? [String]), part = try #require(u["part"] as? String)
            let r = try CapsimBinary.run(argv + ["--out", "parts/" + part], in: ws.path)
            #expect(r.status == 0, "\(r.stderr)")
        }
        return try ws.capsim("merge", "units.json")
    }

    @Test func mergedRunEqualsLocalRunByteForByte() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        let local = try ws.capsim("run", "gate.yaml", "--replications", "3", "--out", "local")
        #expect(local.status == 0)
        let merged = try Self.viaUnits(ws, ["run", "gate.yaml", "--replications", "3", "--out", "merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == local.stdout.replacingOccurrences(of: "local/gate", with: "merged/gate"))
        let a = try Self.tree(ws.path + "/local"), b = try Self.tree(ws.path + "/merged")
        #expect(a.keys.sorted() == ["gate/replications.json", "gate/report.html", "gate/report.json", "gate/report.md", "gate/series.csv", "gate/summary.csv"])
        #expect(a == b)
        // Three units, replication i on the run's seed: the record holds each replication's figures.
        let record = try ws.read("local/gate/replications.json")
        #expect(record.contains("\"index\": 2") && record.contains("\"seed\": 7"))
    }

    @Test func mergedSweepEqualsLocalSweepByteForByte() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        let grid = ["gate.yaml", "--param", "queueing.arrivals.0.rate=2/s,3.6/s", "--param", "queueing.stations.server.servers=4,5",
                    "--replications", "2", "--seed", "9", "--quiet"]
        #expect(try CapsimBinary.run(["sweep"] + grid + ["--out", "local", "--threads", "2"], in: ws.path).status == 0)
        let merged = try Self.viaUnits(ws, ["sweep"] + grid + ["--out", "merged"])
        #expect(merged.status == 0, "\(merged.stderr)")
        let a = try Self.tree(ws.path + "/local"), b = try Self.tree(ws.path + "/merged")
        #expect(a.count == 4 + 4 * 5 && a == b)
    }

    @Test func twoRunsOnTheSameSeedComparePaired() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("run", "gate.yaml", "--out", "a", "--replications", "4", "--quiet").status == 0)
        #expect(try ws.capsim("run", "gate.yaml", "--out", "b", "--replications", "4", "--quiet", "--set", Workspace.slowService).status == 0)
        let r = try ws.capsim("compare", "a/gate", "b/gate", "--html", "cmp.html")
        #expect(r.status == 0)
        #expect(r.stdout.contains("mean paired difference over 4 replications on common random numbers"))
    }

    @Test func missingPartOrChangedScenarioStopsTheMergeBeforeWriting() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("units", "--out", "units.json", "run", "gate.yaml", "--replications", "2", "--out", "merged").status == 0)
        let plan = try ws.read("units.json")
        #expect(plan.contains("\"part\": \"unit-000001.json\""))
        #expect(try ws.capsim("unit", "gate.yaml", "--replication", "0", "--out", "parts/unit-000000.json").status == 0)
        let missing = try ws.capsim("merge", "units.json")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("1 of 2 part file(s) missing: unit-000001.json"))
        #expect(!ws.exists("merged"))

        // A worker with another copy of the file refuses its unit.
        try ws.write("gate.yaml", Workspace.gate.replacingOccurrences(of: "seed: 7", with: "seed: 8"))
        let digest = try #require(plan.range(of: #""scenario_digest": "[0-9a-f]{16}""#, options: .regularExpression)).upperBound
        let want = String(plan[plan.index(digest, offsetBy: -17)..<plan.index(digest, offsetBy: -1)])
        let refused = try ws.capsim("unit", "gate.yaml", "--replication", "1", "--expect-digest", want, "--out", "parts/unit-000001.json")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is not the one the units were planned from (digest \(want))"))
        #expect(!ws.exists("parts/unit-000001.json"))

        // A part from the changed file, merged against the old plan, is refused too.
        #expect(try ws.capsim("unit", "gate.yaml", "--replication", "1", "--out", "parts/unit-000001.json").status == 0)
        let stale = try ws.capsim("merge", "units.json")
        #expect(stale.status == 2)
        #expect(stale.stderr.contains("the scenario or the arguments changed since the units were planned"))
        #expect(!ws.exists("merged"))
    }

    @Test func badInputToUnitsAndUnitExitsTwo() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("bad.yaml", Workspace.gate.replacingOccurrences(of: "servers: 4", with: "servers: four"))
        let plan = try ws.capsim("units", "sweep", "bad.yaml", "--param", "seed=1,2")
        #expect(plan.status == 2)
        #expect(plan.stderr.contains("bad.yaml:") && plan.stderr.contains("servers"))
        #expect(plan.stdout.isEmpty)
        let unit = try ws.capsim("unit", "bad.yaml", "--out", "p.json")
        #expect(unit.status == 2 && unit.stderr.contains("bad.yaml:"))
        #expect(!ws.exists("p.json"))
        #expect(try ws.capsim("units", "check", "bad.yaml").status == 2)
        #expect(try ws.capsim("units", "run", "bad.yaml", "--replications", "0").stderr.contains("--replications must be from 1 to 1000"))
    }
}
