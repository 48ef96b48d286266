import CapsimTestSupport
import Foundation
import Testing

/// Reports go only where they should: folder names derived safely from scenario and instance
/// names (inside --out), a name clash or an empty --out is bad input (exit 2) before anything
/// runs, and file flags never replace a folder, a device, a FIFO or a symbolic link.
@Suite(.serialized) struct OutputPathTests {
    static func scenario(_ name: String) -> String {
        ReportWriteInterruptionTests.scenario.replacingOccurrences(of: "name: gate", with: "name: \(name)")
    }

    func entries(_ path: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }

    /// Each name either loads (then its report lands in the safe folder inside --out) or is
    /// refused by the scenario loader with file:line (exit 2); nothing is ever written outside.
    @Test func scenarioNamesStayInsideOut() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let cases: [(String, String)] = [("\" ..\"", "__"), ("\"..\"", "__"), ("\"a/../../x\"", "a_.._.._x"),
                                         ("\".hidden\"", "_hidden"), ("\"  \"", "scenario"), ("\"/etc\"", "_etc")]
        var written: Set<String> = []
        for (i, (name, folder)) in cases.enumerated() {
            try ws.write("s\(i).yaml", Self.scenario(name))
            let r = try ws.capsim("run", "s\(i).yaml", "--out", "out/deep", "--quiet")
            if r.status == 0 {
                #expect(ws.exists("out/deep/\(folder)/report.json"), "\(name) -> \(entries(ws.dir.file("out/deep")))")
                written.insert(folder)
            } else {
                #expect(r.status == 2 && r.stderr.contains("s\(i).yaml:"), "\(name): \(r.status) \(r.stderr)")
            }
            if i == 0 { #expect(r.status == 0) }       // the name of the report: " .." is a valid name
        }
        // Nothing was written beside the scenario files or beside out/deep.
        #expect(entries(ws.path) == ["out"] + (0..<cases.count).map { "s\($0).yaml" })
        #expect(entries(ws.dir.file("out")) == ["deep"])
        #expect(entries(ws.dir.file("out/deep")) == written.sorted())
    }

    /// A scenario named like a folder of the user's: the folder is not replaced (exit 2).
    @Test func userFolderIsNeverReplaced() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("s.yaml", Self.scenario("notes"))
        try FileManager.default.createDirectory(atPath: ws.dir.file("notes"), withIntermediateDirectories: false)
        try ws.write("notes/todo.txt", "mine")
        let r = try ws.capsim("run", "s.yaml", "--out", ".", "--quiet")
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("todo.txt"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)                  // refused before the run
        #expect(entries(ws.dir.file("notes")) == ["todo.txt"])
        #expect(try ws.read("notes/todo.txt") == "mine")
        #expect(entries(ws.path) == ["notes", "s.yaml"])
    }

    @Test func twoScenariosWithOneNameIsBadInput() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("first.yaml", Self.scenario("same"))
        try ws.write("second.yaml", Self.scenario("same"))
        let r = try ws.capsim("run", "first.yaml", "second.yaml", "--out", "out")
        #expect(r.status == 2)
        #expect(r.stderr.contains("first.yaml") && r.stderr.contains("second.yaml") && r.stderr.contains("same"), "\(r.stderr)")
        #expect(!ws.exists("out"))       // nothing ran
        // Names that only collide once made safe collide too.
        try ws.write("third.yaml", Self.scenario("\"a/b\""))
        try ws.write("fourth.yaml", Self.scenario("\"a_b\""))
        #expect(try ws.capsim("run", "third.yaml", "fourth.yaml", "--out", "out").status == 2)
        #expect(!ws.exists("out"))
    }

    @Test func emptyOrFileOutIsBadInput() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Self.scenario("gate"))
        try ws.write("afile", "keep")
        for args in [["run", "gate.yaml", "--out", ""], ["run", "gate.yaml", "--out", "afile"],
                     ["sweep", "gate.yaml", "--param", "seed=1,2", "--out", ""],
                     ["baseline", "gate.yaml", "--dir", ""], ["replay", "mdrp", "x", "--out", ""]] {
            let r = try CapsimBinary.run(args, in: ws.path)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains("--out") || r.stderr.contains("--dir"), "\(args): \(r.stderr)")
        }
        #expect(try ws.read("afile") == "keep")
        #expect(entries(ws.path) == ["afile", "gate.yaml"])
    }

    /// `replay mdrp ..` from inside the instance folder names the report after the folder `..`
    /// points to, inside --out.
    @Test func replayOfDotDotStaysInsideOut() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let fixture = RealSystems.repositoryRoot + "/Tests/Fixtures/mdrp/capsim-small"
        try FileManager.default.copyItem(atPath: fixture, toPath: ws.dir.file("inst"))
        try FileManager.default.createDirectory(atPath: ws.dir.file("inst/sub"), withIntermediateDirectories: false)
        let before = entries(ws.dir.file("inst"))
        let r = try CapsimBinary.run(["replay", "mdrp", "..", "--policy", "greedy", "--out", "o"], in: ws.dir.file("inst/sub"))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(entries(ws.dir.file("inst/sub")) == ["o"])
        #expect(entries(ws.dir.file("inst/sub/o")) == ["comparison.html", "comparison.md", "inst"])
        #expect(entries(ws.dir.file("inst/sub/o/inst")) == ["comparison.html", "comparison.md", "greedy"])
        #expect(entries(ws.dir.file("inst/sub/o/inst/greedy")) == ["metrics.json", "solution_info_assignments.txt",
                                                                   "solution_info_couriers.txt", "solution_info_orders.txt"])
        #expect(entries(ws.dir.file("inst")) == before)
    }

    @Test func schemaOutNeverReplacesANode() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("real.json", "keep")
        try FileManager.default.createSymbolicLink(atPath: ws.dir.file("link.json"), withDestinationPath: "real.json")
        #expect(mkfifo(ws.dir.file("fifo"), 0o644) == 0)
        try FileManager.default.createDirectory(atPath: ws.dir.file("folder"), withIntermediateDirectories: false)
        for (target, words) in [("folder", "is a folder"), (".", "is a folder"), ("fifo", "FIFO"), ("link.json", "symbolic link"),
                                ("/dev/null", "device"), ("", "empty")] {
            let r = try ws.capsim("schema", "--out", target)
            #expect(r.status == 2, "\(target): \(r.status) \(r.stderr)")
            #expect(r.stderr.contains(words) && r.stderr.contains("give"), "\(target): \(r.stderr)")
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: ws.dir.file("link.json")) == "real.json")
        #expect(try ws.read("real.json") == "keep")
        var st = stat()
        #expect(lstat(ws.dir.file("fifo"), &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO)
        #expect(entries(ws.dir.file("folder")).isEmpty)
        // A regular file is written (and rewritten) normally.
        #expect(try ws.capsim("schema", "--out", "s.json").status == 0)
        #expect(try ws.capsim("schema", "--out", "s.json").status == 0)
        #expect(try ws.read("s.json").contains("\"$schema\""))
    }

    @Test func checkJunitOnAFolderIsBadInputBeforeRunning() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        try FileManager.default.createDirectory(atPath: ws.dir.file("results"), withIntermediateDirectories: false)
        let r = try ws.capsim("check", "gate.yaml", "--junit", "results", "--out", "out")
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("--junit results") && r.stderr.contains("results/junit.xml"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!ws.exists("out"))
        let m = try ws.capsim("check", "gate.yaml", "--markdown", "results")
        #expect(m.status == 2, "\(m.stderr)")
    }
}
