import CapsimTestSupport
import Foundation
import Testing

/// Hostile input through the built binary: mutated scenario files, order traces and MDRP
/// instances (`FuzzCaseGenerator`), each run for two simulated minutes at most under a
/// time limit and a memory limit. Every case must end in exit 0, or exit 2 with a
/// location (`file:line`, `file line N`, or the offending flag) on stderr; never a signal,
/// never past the time limit, never above 2 GB, never a report folder after a failure.
///
/// `CAPSIM_FUZZ_CASES` (default 400) sets the number of cases, `CAPSIM_FUZZ_SEED` the seed,
/// `CAPSIM_FUZZ_TIMEOUT` the seconds per case (default 20), `CAPSIM_FUZZ_JOBS` the cases run
/// at once (default 2), and `CAPSIM_FUZZ_LOG` a file that receives one line per case (id,
/// kind, exit status, seconds, peak KB, mutations) for offline runs of thousands of cases.
@Suite(.serialized) struct FuzzScenarioTests {
    static let env = ProcessInfo.processInfo.environment
    static let cases = Int(env["CAPSIM_FUZZ_CASES"] ?? "") ?? 400
    static let seed = UInt64(env["CAPSIM_FUZZ_SEED"] ?? "") ?? 18
    static let timeout = Double(env["CAPSIM_FUZZ_TIMEOUT"] ?? "") ?? 20
    static let jobs = max(1, Int(env["CAPSIM_FUZZ_JOBS"] ?? "") ?? 2)
    /// The fuzzed runs' memory bound (the issue's 2 GB) and the address-space cap that makes
    /// a runaway fail fast instead of swapping the machine.
    static let peakLimitKB = 2 * 1_048_576
    static let addressSpaceKB = 6 * 1_048_576

    struct Outcome: Sendable {
        var fuzz: FuzzCase
        var status: Int32
        var stderr: String
        var seconds: Double
        var peakKB: Int
        var reportLeft: Bool
    }

    static let location = try! NSRegularExpression(
        pattern: #"(fuzz-[0-9]+(\.yaml|\.csv|/[a-z_]+\.txt)?|baseline\.yaml|national-day\.yaml)(:[0-9]+| line [0-9]+)|--set [^\n]*: error|--batch-interval|--max-bundle|batchIntervalMinutes|maxBundleSize"#)

    /// A problem with one case, or nil.
    static func problem(_ o: Outcome) -> String? {
        let what = "case \(o.fuzz.id) (\(o.fuzz.kind.rawValue): \(o.fuzz.mutations.joined(separator: "; ")))"
        let tail = String(o.stderr.suffix(600))
        if o.status == 124 { return "\(what) ran past \(Int(timeout)) s" }
        if o.status != 0 && o.status != 2 { return "\(what) exited \(o.status) (a crash or signal): \(tail)" }
        if o.peakKB > peakLimitKB { return "\(what) peaked at \(o.peakKB / 1024) MB" }
        if o.status == 2 {
            let ns = o.stderr as NSString
            if location.firstMatch(in: o.stderr, range: NSRange(location: 0, length: ns.length)) == nil {
                return "\(what) exited 2 without a location: \(tail)"
            }
            if o.reportLeft { return "\(what) failed but left a report folder" }
        }
        return nil
    }

    /// Runs one case in `root` (a copy of scenarios/) under `timeout`, GNU time and ulimit -v.
    static func run(_ c: FuzzCase, root: String, binary: String) throws -> Outcome {
        for f in c.files {
            let path = root + "/" + f.path
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try f.text.write(toFile: path, atomically: false, encoding: .utf8)
        }
        let out = root + "/out-\(c.id)", timing = root + "/time-\(c.id)"
        defer {
            for f in c.files { try? FileManager.default.removeItem(atPath: root + "/" + f.path) }
            if c.kind == .mdrp { try? FileManager.default.removeItem(atPath: root + "/fuzz-\(c.id)") }
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: timing)
        }
        let args = c.arguments.map { $0 == "{OUT}" ? out : $0 }
        let gnuTime = FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
        let script = "ulimit -v \(addressSpaceKB); exec " + (gnuTime ? "/usr/bin/time -o \"$0\" -f %M " : "") + "timeout -s KILL \(Int(timeout)) \"$@\""
        let start = Date()
        let r = try Subprocess.run("/bin/sh", ["-c", script, timing, binary] + args, currentDirectory: root, timeout: timeout + 60)
        let seconds = Date().timeIntervalSince(start)
        let peak = (try? String(contentsOfFile: timing, encoding: .utf8))?.split(separator: "\n").last.flatMap { Int($0) } ?? 0
        var left = false
        if let items = try? FileManager.default.contentsOfDirectory(atPath: out) { left = !items.isEmpty }
        return Outcome(fuzz: c, status: r.status, stderr: r.stderr, seconds: seconds, peakKB: peak, reportLeft: left)
    }

    @Test(.enabled(if: CapsimBinary.path != nil, "capsim is not built"))
    func mutatedInputsNeverCrashHangOrRunAway() throws {
        let binary = try #require(CapsimBinary.path)
        let repo = RealSystems.repositoryRoot
        let generator = try FuzzCaseGenerator(repository: repo)
        let dir = try TemporaryDirectory(prefix: "capsim-fuzz")
        defer { dir.remove() }
        // The bundled scenarios, so mutated what-if files find their `extends:` base.
        for s in generator.scenarios {
            let path = dir.path + "/" + s.path
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try s.text.write(toFile: path, atomically: false, encoding: .utf8)
        }
        let outcomes = FuzzLock([Outcome?](repeating: nil, count: Self.cases))
        let errors = FuzzLock([String]())
        DispatchQueue.concurrentPerform(iterations: Self.jobs) { worker in
            for id in stride(from: worker, to: Self.cases, by: Self.jobs) {
                do {
                    let o = try Self.run(generator.make(id, seed: Self.seed), root: dir.path, binary: binary)
                    outcomes.withLock { $0[id] = o }
                } catch { errors.withLock { $0.append("case \(id): \(error)") } }
            }
        }
        let all = outcomes.withLock { $0.compactMap { $0 } }
        if let log = Self.env["CAPSIM_FUZZ_LOG"] {
            let lines = all.map { o in
                "\(o.fuzz.id)\t\(o.fuzz.kind.rawValue)\t\(o.status)\t\(String(format: "%.2f", o.seconds))\t\(o.peakKB)\t\(o.fuzz.mutations.joined(separator: "; "))\t\(o.stderr.prefix(300).replacingOccurrences(of: "\n", with: " | "))"
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: log, atomically: true, encoding: .utf8)
        }
        for e in errors.withLock({ $0 }) { Issue.record(Comment(rawValue: e)) }
        for o in all { if let p = Self.problem(o) { Issue.record(Comment(rawValue: p)) } }
        #expect(all.count == Self.cases)
        // The mix must exercise both sides: valid runs and located refusals.
        #expect(all.contains { $0.status == 0 } && all.contains { $0.status == 2 })
        #expect(Set(all.map(\.fuzz.kind)).count == 3)
    }
}

/// A lock around a value (Foundation's NSLock; Synchronization's Mutex needs newer OSes).
final class FuzzLock<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
