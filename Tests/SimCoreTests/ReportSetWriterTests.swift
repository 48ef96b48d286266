import CapsimTestSupport
import Foundation
import Testing
import SimCore

/// The real file system, with the k-th operation made to fail (once, with `code`), and a count
/// of the operations made. Optionally without exchange support (ENOSYS), to cover the fallback.
final class FaultyFileSystem: FileSystem, @unchecked Sendable {
    let base = PosixFileSystem()
    let failAt: Int
    let code: Int32
    let exchangeSupported: Bool
    private(set) var operations = 0
    private(set) var failed: String?

    init(failAt: Int = 0, code: Int32 = EIO, exchangeSupported: Bool = true) {
        self.failAt = failAt
        self.code = code
        self.exchangeSupported = exchangeSupported
    }

    func tick(_ op: String, _ path: String) throws {
        operations += 1
        if operations == failAt {
            failed = "\(op) \(path)"
            throw FileSystemError(op, path, code: code)
        }
    }

    func kind(_ path: String, followingLinks: Bool) -> FileKind? { base.kind(path, followingLinks: followingLinks) }
    func list(_ d: String) throws -> [String] { try tick("list", d); return try base.list(d) }
    func makeDirectory(_ p: String) throws { try tick("mkdir", p); try base.makeDirectory(p) }
    func writeFile(_ p: String, _ b: [UInt8]) throws { try tick("write", p); try base.writeFile(p, b) }
    func rename(_ a: String, _ b: String) throws { try tick("rename", a); try base.rename(a, b) }
    func exchange(_ a: String, _ b: String) throws {
        try tick("exchange", a)
        guard exchangeSupported else { throw FileSystemError("exchange", a, code: ENOSYS) }
        try base.exchange(a, b)
    }
    func removeFile(_ p: String) throws { try tick("unlink", p); try base.removeFile(p) }
    func removeDirectory(_ p: String) throws { try tick("rmdir", p); try base.removeDirectory(p) }
}

/// ``ReportSetWriter`` and ``AtomicFile`` under a failure of every single file-system operation
/// of a write, one k at a time: the target must hold exactly the old set or exactly the new one
/// (compared file by file and by the list of entries), and no `.capsim-tmp-` entry may remain.
@Suite struct ReportSetWriterTests {
    static let oldSet: [(path: String, contents: String)] = [
        ("report.json", "{\"v\": 1}\n"), ("report.md", "# old\n"), ("stale-only-in-old.csv", "a,b\n"),
    ]
    static let newSet: [(path: String, contents: String)] = [
        ("report.json", "{\"v\": 2}\n"), ("report.md", "# new\n"), ("report.html", "<p>new</p>\n"),
        ("points/0/report.json", "{\"p\": 0}\n"), ("points/1/report.json", "{\"p\": 1}\n"),
    ]

    /// A name only the old set has: the new set declares it replaceable.
    static let oldOnly: Set<String> = ["stale-only-in-old.csv"]

    /// Every file under `dir`, by relative path (nil when `dir` does not exist).
    static func contents(_ dir: String) -> [String: String]? {
        guard FileManager.default.fileExists(atPath: dir) else { return nil }
        var out: [String: String] = [:]
        let e = FileManager.default.enumerator(atPath: dir)
        while let rel = e?.nextObject() as? String {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: dir + "/" + rel, isDirectory: &isDir)
            if !isDir.boolValue { out[rel] = try? String(contentsOfFile: dir + "/" + rel, encoding: .utf8) }
        }
        return out
    }

    static func dictionary(_ set: [(path: String, contents: String)]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: set.map { ($0.path, $0.contents) })
    }

    static func temporaries(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasPrefix(ReportSetWriter.temporaryPrefix) }
    }

    /// Operations of a write that fails nowhere, with and without an old set.
    func operationCount(withOld: Bool, exchangeSupported: Bool = true) throws -> Int {
        let dir = try TemporaryDirectory(prefix: "capsim-set")
        defer { dir.remove() }
        let target = dir.file("out/report")
        if withOld { try ReportSetWriter.write(Self.oldSet, to: target) }
        let fs = FaultyFileSystem(exchangeSupported: exchangeSupported)
        try ReportSetWriter.write(Self.newSet, to: target, alsoReplaces: Self.oldOnly, fileSystem: fs)
        #expect(Self.contents(target) == Self.dictionary(Self.newSet))
        return fs.operations
    }

    @Test(arguments: [(true, true), (true, false), (false, true)])
    func everyFailurePointLeavesOldOrNew(withOld: Bool, exchangeSupported: Bool) throws {
        let n = try operationCount(withOld: withOld, exchangeSupported: exchangeSupported)
        // mkdir + 2 subfolder levels x 2 + 5 files + swap (+ list/remove of the 3 old files)
        #expect(n >= 10)
        var outcomes: [String: Int] = ["old": 0, "new": 0, "absent": 0]
        for k in 1...n {
            for code in [EIO, ENOSPC] {
                let dir = try TemporaryDirectory(prefix: "capsim-set")
                defer { dir.remove() }
                let target = dir.file("out/report")
                if withOld { try ReportSetWriter.write(Self.oldSet, to: target) }
                let fs = FaultyFileSystem(failAt: k, code: code, exchangeSupported: exchangeSupported)
                let threw = (try? ReportSetWriter.write(Self.newSet, to: target, alsoReplaces: Self.oldOnly, fileSystem: fs)) == nil
                #expect(fs.failed != nil, "k=\(k): no operation failed")
                let now = Self.contents(target)
                let state = now == Self.dictionary(Self.newSet) ? "new"
                    : now == nil ? "absent"
                    : now == Self.dictionary(Self.oldSet) ? "old" : "MIXED"
                outcomes[state, default: 0] += 1
                #expect(state != "MIXED", "k=\(k) (\(fs.failed ?? "")): \(String(describing: now))")
                #expect(state == (withOld ? "old" : "absent") || state == "new", "k=\(k)")
                // A failed write reports it; a successful one leaves the new set.
                #expect(threw == (state != "new"), "k=\(k) (\(fs.failed ?? "")) threw=\(threw) state=\(state)")
                #expect(Self.temporaries(dir.file("out")).isEmpty, "k=\(k) (\(fs.failed ?? "")): \(Self.temporaries(dir.file("out")))")
            }
        }
        // Failures before the swap keep the old set; failures while removing the old set after
        // the swap still leave the complete new one.
        #expect(outcomes[withOld ? "old" : "absent"]! > 0 && outcomes["new"]! > 0)
    }

    @Test func atomicFileEveryFailurePoint() throws {
        for k in 1...3 {
            let dir = try TemporaryDirectory(prefix: "capsim-file")
            defer { dir.remove() }
            let path = dir.file("junit.xml")
            try AtomicFile.write("old", to: path)
            let fs = FaultyFileSystem(failAt: k)
            let threw = (try? AtomicFile.write("new", to: path, fileSystem: fs)) == nil
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text == (threw ? "old" : "new"), "k=\(k)")
            #expect(Self.temporaries(dir.path).isEmpty, "k=\(k)")
        }
    }

    /// A killed process' temporaries (its pid no longer runs) are removed by the next write;
    /// those of a running process are left alone.
    @Test func staleTemporariesRemoved() throws {
        let dir = try TemporaryDirectory(prefix: "capsim-stale")
        defer { dir.remove() }
        let dead: Int32 = 999_999_999    // above any pid_max (at most 2^22 on Linux)
        let live = getppid()
        try FileManager.default.createDirectory(atPath: dir.file(".capsim-tmp-report-\(dead)/points"), withIntermediateDirectories: true)
        try "x".write(toFile: dir.file(".capsim-tmp-report-\(dead)/points/a.json"), atomically: false, encoding: .utf8)
        try "x".write(toFile: dir.file(".capsim-tmp-junit.xml-\(dead)"), atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: dir.file(".capsim-tmp-other-\(live)"), withIntermediateDirectories: true)
        try ReportSetWriter.write(Self.newSet, to: dir.file("report"))
        #expect(Self.temporaries(dir.path) == [".capsim-tmp-other-\(live)"])
        #expect(Self.contents(dir.file("report")) == Self.dictionary(Self.newSet))
    }

    /// Targets that are not files are refused, and left as they were.
    @Test func atomicFileRefusesOtherNodes() throws {
        let dir = try TemporaryDirectory(prefix: "capsim-nodes")
        defer { dir.remove() }
        try "keep".write(toFile: dir.file("real.txt"), atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir.file("link"), withDestinationPath: dir.file("real.txt"))
        #expect(mkfifo(dir.file("fifo"), 0o644) == 0)
        try FileManager.default.createDirectory(atPath: dir.file("folder"), withIntermediateDirectories: false)
        for p in ["link", "fifo", "folder"] {
            #expect(throws: ReportSetWriter.TargetError.self) { try AtomicFile.write("x", to: dir.file(p)) }
        }
        #expect(throws: ReportSetWriter.TargetError.self) { try AtomicFile.write("x", to: "/dev/null") }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("link")) == dir.file("real.txt"))
        #expect(try String(contentsOfFile: dir.file("real.txt"), encoding: .utf8) == "keep")
        #expect(PosixFileSystem().kind(dir.file("fifo"), followingLinks: false) == .other)
        // A report set is not written over a symbolic link or a file either.
        #expect(throws: ReportSetWriter.TargetError.self) { try ReportSetWriter.write(Self.newSet, to: dir.file("link")) }
        #expect(throws: ReportSetWriter.TargetError.self) { try ReportSetWriter.write(Self.newSet, to: dir.file("real.txt")) }
        #expect(Self.temporaries(dir.path).isEmpty)
    }

    /// A folder with entries the set does not name is not a report folder: refused, untouched.
    @Test func foreignFolderIsNotReplaced() throws {
        let dir = try TemporaryDirectory(prefix: "capsim-foreign")
        defer { dir.remove() }
        let target = dir.file("src")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try "mine".write(toFile: target + "/notes.txt", atomically: false, encoding: .utf8)
        try "{}".write(toFile: target + "/report.json", atomically: false, encoding: .utf8)
        #expect(throws: ReportSetWriter.TargetError.self) { try ReportSetWriter.write(Self.newSet, to: target) }
        #expect(Self.contents(target) == ["notes.txt": "mine", "report.json": "{}"])
        #expect(Self.temporaries(dir.path).isEmpty)
        // Named as replaceable, it is replaced.
        try ReportSetWriter.write(Self.newSet, to: target, alsoReplaces: ["notes.txt"])
        #expect(Self.contents(target) == Self.dictionary(Self.newSet))
    }

    @Test func pathHelpers() {
        #expect(ReportSetWriter.parentPath("r") == ".")
        #expect(ReportSetWriter.parentPath("a/b/") == "a")
        #expect(ReportSetWriter.parentPath("/x") == "/")
        #expect(ReportSetWriter.lastComponent("a/b//") == "b")
        #expect(ReportSetWriter.lastComponent("/") == "/")
        #expect(ReportSetWriter.join("a/", "b") == "a/b")
    }
}
