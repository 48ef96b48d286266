import CapsimTestSupport
import Foundation
import Testing

/// A `capsim run` killed at each point of its write phase, or out of disk space, leaves the report
/// folder holding the complete old report or the complete new one, never a mix; SIGINT and
/// SIGTERM leave no temporary file and exit 130 and 143; the temporaries a SIGKILL leaves are
/// removed by the next run. The write phase is paused before its k-th file-system operation by
/// `CAPSIM_TEST_PAUSE_WRITE_AT=k` (a test hook of the writer), and the signal sent then.
@Suite(.serialized) struct ReportWriteInterruptionTests {
    static let scenario = """
        name: gate
        seed: 7
        model: queueing
        queueing:
          customers: 2000
          arrivals:
            - { to: server, rate: 3/s }
          stations:
            server:
              servers: 4
              service: { exponential: { mean: 1s } }

        """

    /// Every file of a folder by relative path (nil when there is no folder).
    static func contents(_ dir: String) -> [String: String]? {
        guard FileManager.default.fileExists(atPath: dir) else { return nil }
        var out: [String: String] = [:]
        let e = FileManager.default.enumerator(atPath: dir)
        while let rel = e?.nextObject() as? String {
            out[rel] = (try? String(contentsOfFile: dir + "/" + rel, encoding: .utf8)) ?? "<unreadable>"
        }
        return out
    }

    static func temporaries(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix(".capsim-tmp-") }
    }

    struct Outcome {
        var paused: Bool
        var status: Int32
        var signalled: Bool
        var stderr: String
    }

    /// Runs capsim with the pause hook at `k`; when it pauses, sends `signal`.
    static func runAndSignal(_ args: [String], in dir: String, pauseAt k: Int, signal: Int32, pauseSeconds: Double) throws -> Outcome {
        let exe = try #require(CapsimBinary.path, "capsim is not built")
        let errPath = dir + "/stderr-\(k)-\(signal).txt"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer { try? err.close(); try? FileManager.default.removeItem(atPath: errPath) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.environment = ProcessInfo.processInfo.environment.merging(
            ["CAPSIM_TEST_PAUSE_WRITE_AT": String(k), "CAPSIM_TEST_PAUSE_SECONDS": String(pauseSeconds)]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        var paused = false
        let deadline = Date().addingTimeInterval(300)
        while p.isRunning && Date() < deadline {
            if let text = try? String(contentsOfFile: errPath, encoding: .utf8), text.contains("capsim-test: paused") {
                paused = true
                kill(p.processIdentifier, signal)
                break
            }
            usleep(5_000)
        }
        if !paused && p.isRunning { p.terminate() }
        p.waitUntilExit()
        let text = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Outcome(paused: paused, status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal, stderr: text)
    }

    @Test(arguments: [SIGKILL, SIGTERM, SIGINT])
    func killedAtEachPointOfTheWritePhase(signal: Int32) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Self.scenario)
        #expect(try ws.capsim("run", "gate.yaml", "--seed", "1", "--out", "ref-old", "--quiet").status == 0)
        #expect(try ws.capsim("run", "gate.yaml", "--seed", "2", "--out", "ref-new", "--quiet").status == 0)
        let old = try #require(Self.contents(ws.dir.file("ref-old/gate")))
        let new = try #require(Self.contents(ws.dir.file("ref-new/gate")))
        #expect(old != new && old.count == 6)  // the report files and replications.json
        var counts = ["old": 0, "new": 0]
        var k = 1
        while k <= 40 {
            if Self.contents(ws.dir.file("out/gate")) != old {
                #expect(try ws.capsim("run", "gate.yaml", "--seed", "1", "--out", "out", "--quiet").status == 0)
            }
            let o = try Self.runAndSignal(["run", "gate.yaml", "--seed", "2", "--out", "out", "--quiet"], in: ws.path,
                                          pauseAt: k, signal: signal, pauseSeconds: signal == SIGKILL ? 30 : 1.5)
            if !o.paused {
                // k is past the last operation: the run completed normally.
                #expect(o.status == 0 && !o.signalled, "k=\(k): \(o.stderr)")
                break
            }
            let now = Self.contents(ws.dir.file("out/gate"))
            #expect(now == old || now == new, "k=\(k), signal \(signal): a mixed or partial report: \(now?.keys.sorted() ?? [])")
            if now == old { counts["old"]! += 1 } else if now == new { counts["new"]! += 1 }
            if signal == SIGKILL {
                #expect(o.signalled && o.status == SIGKILL, "k=\(k)")
                // The next run removes what the killed one left.
                #expect(try ws.capsim("run", "gate.yaml", "--seed", "1", "--out", "out", "--quiet").status == 0)
                #expect(Self.contents(ws.dir.file("out/gate")) == old)
            } else {
                #expect(!o.signalled && o.status == 128 + signal, "k=\(k): exit \(o.status) \(o.stderr)")
                #expect(o.stderr.contains("interrupted"), "k=\(k): \(o.stderr)")
            }
            #expect(Self.temporaries(ws.dir.file("out")).isEmpty, "k=\(k), signal \(signal): \(Self.temporaries(ws.dir.file("out")))")
            k += 1
        }
        // The write phase has at least: list the folder, make the temporary folder, five files,
        // the swap, then removing the old set (list, five files, the folder).
        #expect(k > 14, "only \(k - 1) write operations were paused at")
        #expect(counts["old"]! > 0, "no kill landed before the swap")
        #expect(counts["new"]! > 0, "no kill landed after the swap")
        print("ReportWriteInterruptionTests signal \(signal): \(k - 1) points, \(counts["old"]!) old, \(counts["new"]!) new")
    }

    /// Ctrl-C while the simulation runs (before any write): exit 130, no report folder at all.
    @Test func interruptDuringTheRun() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let long = Self.scenario.replacingOccurrences(of: "customers: 2000", with: "customers: 100000000")
        try ws.write("gate.yaml", long)
        let exe = try #require(CapsimBinary.path)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = ["run", "gate.yaml", "--out", "out", "--quiet"]
        p.currentDirectoryURL = URL(fileURLWithPath: ws.path)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(700_000)
        #expect(p.isRunning)
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 130)
        #expect(!ws.exists("out/gate"))
        #expect(Self.temporaries(ws.dir.file("out")).isEmpty)
    }
}

/// A small tmpfs (we run as root in CI); skipped where mounting is not permitted.
enum SmallDisk {
    static let mountable: Bool = {
        guard getuid() == 0, let probe = try? TemporaryDirectory(prefix: "capsim-mount-probe") else { return false }
        defer { probe.remove() }
        guard (try? Subprocess.run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path], timeout: 20))?.succeeded == true
        else { return false }
        _ = try? Subprocess.run("umount", [probe.path], timeout: 20)
        return true
    }()

    /// Mounts a tmpfs of `bytes` at `path` (rounded up to pages by the kernel).
    static func mount(_ path: String, bytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Subprocess.check("mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", path], timeout: 20)
    }

    static func unmount(_ path: String) { _ = try? Subprocess.run("umount", [path], timeout: 20) }
}

@Suite(.serialized, .enabled(if: SmallDisk.mountable, "mounting a tmpfs needs root (CAP_SYS_ADMIN)"))
struct FullDiskTests {
    /// Pages (4 KiB, tmpfs' unit) a report set takes.
    static func pages(_ dir: String) -> Int {
        (ReportWriteInterruptionTests.contents(dir) ?? [:]).values.map { ($0.utf8.count + 4095) / 4096 }.reduce(0, +)
    }

    /// A disk with room for one report set but not two: the second run fails (exit 1, "full"),
    /// the first report stays complete, no temporary is left. A disk too small for one set:
    /// exit 1 and no report folder.
    @Test func fullDiskKeepsTheOldReport() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", ReportWriteInterruptionTests.scenario)
        #expect(try ws.capsim("run", "gate.yaml", "--seed", "1", "--out", "ref", "--quiet").status == 0)
        let old = try #require(ReportWriteInterruptionTests.contents(ws.dir.file("ref/gate")))
        let setPages = Self.pages(ws.dir.file("ref/gate"))
        #expect(setPages >= 5)

        let disk = ws.dir.file("disk")
        try SmallDisk.mount(disk, bytes: (setPages + setPages / 2) * 4096)
        defer { SmallDisk.unmount(disk) }
        #expect(try ws.capsim("run", "gate.yaml", "--seed", "1", "--out", "disk/out", "--quiet").status == 0)
        #expect(ReportWriteInterruptionTests.contents(ws.dir.file("disk/out/gate")) == old)
        let r = try ws.capsim("run", "gate.yaml", "--seed", "2", "--out", "disk/out", "--quiet")
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("disk is full") && r.stderr.contains("disk/out/gate"), "\(r.stderr)")
        #expect(ReportWriteInterruptionTests.contents(ws.dir.file("disk/out/gate")) == old)
        #expect(ReportWriteInterruptionTests.temporaries(ws.dir.file("disk/out")).isEmpty)

        let tiny = ws.dir.file("tiny")
        try SmallDisk.mount(tiny, bytes: 2 * 4096)
        defer { SmallDisk.unmount(tiny) }
        let t = try ws.capsim("run", "gate.yaml", "--out", "tiny/out", "--quiet")
        #expect(t.status == 1, "\(t.stderr)")
        #expect(t.stderr.contains("disk is full"), "\(t.stderr)")
        #expect(!ws.exists("tiny/out/gate"))
        #expect(ReportWriteInterruptionTests.temporaries(ws.dir.file("tiny/out")).isEmpty)
    }
}
