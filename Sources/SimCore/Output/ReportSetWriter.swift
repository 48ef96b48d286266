import Foundation

/// Writes a folder of files (a report set) so that the folder holds either the complete old set
/// or the complete new one, never a mix, and no temporary survives a failure.
///
/// How: every file goes into a temporary folder beside the target, `.capsim-tmp-<name>-<pid>`;
/// then the temporary folder is swapped with the target in one atomic step, Linux
/// `renameat2(..., RENAME_EXCHANGE)` (Darwin `renamex_np(RENAME_SWAP)`), or renamed to the
/// target when there is none yet, and the temporary name, which now holds the old set, is
/// removed. POSIX `rename` cannot replace a non-empty folder, which is why the exchange is needed.
///
/// Why an exchange rather than versioned folders behind a symlink that is flipped: the report
/// folder stays a plain folder (paths printed, committed baselines, `compare A B` and CI
/// artefact uploads see no link), and there is no version history to garbage-collect. Where the
/// exchange is not supported (ENOSYS, or EINVAL from a file system without it), the old folder
/// is first renamed aside and the new one renamed in: a reader may briefly find no folder, but
/// never a mixed one, and the old set is renamed back when the second rename fails.
///
/// Temporaries of a process that was killed (SIGKILL, power loss) are removed by the next write
/// into the same parent folder: names with the prefix ``temporaryPrefix`` whose process id is
/// not running. SIGINT and SIGTERM are handled through ``OutputGuard``.
///
/// - Complexity: one file-system operation per file and folder written, one swap, then one per
///   entry removed from the old set.
public enum ReportSetWriter {
    /// The prefix of every temporary file and folder capsim makes.
    public static let temporaryPrefix = ".capsim-tmp-"

    /// The file system writers use by default: the real one, or, with
    /// `CAPSIM_TEST_PAUSE_WRITE_AT=k` in the environment, one that pauses before its k-th
    /// operation (for the tests that kill a run while it writes).
    public static let defaultFileSystem: FileSystem = PausingFileSystem.fromEnvironment(PosixFileSystem())

    /// A report set refused before anything was written.
    public struct TargetError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `files` (paths relative to `directory`, "a.json" or "points/0/report.json") as the
    /// complete contents of `directory`, creating its parents.
    ///
    /// An existing `directory` is replaced as a whole, so it must look like an earlier set: each
    /// of its entries must be a top-level name of `files` or one of `alsoReplaces` (names an
    /// earlier set may have had, such as another policy's folder). Otherwise the write is refused
    /// (``TargetError``) before anything is written: a scenario named like a folder of the user's
    /// inside `--out` never has that folder deleted.
    public static func write(_ files: [(path: String, contents: String)], to directory: String,
                             alsoReplaces: Set<String> = [], fileSystem fs: FileSystem = defaultFileSystem) throws {
        let target = trimmed(directory)
        let name = lastComponent(target)
        guard !name.isEmpty, name != ".", name != "..", name != "/" else {
            throw TargetError(description: "\(directory): not a folder name capsim can write a report set to")
        }
        let parent = parentPath(target)
        try OutputGuard.exclusive {
            try makeDirectories(parent, fs)
            removeStaleTemporaries(in: parent, fileSystem: fs)
            switch fs.kind(target, followingLinks: false) {
            case nil: break
            case .directory?:
                let known = alsoReplaces.union(files.map { String($0.path.split(separator: "/").first ?? "") })
                try OutputGuard.checkpoint()
                if let problem = foreignEntriesProblem(target, try fs.list(target).filter { !known.contains($0) }) {
                    throw TargetError(description: problem)
                }
            case .symbolicLink?:
                throw TargetError(description: "\(target) is a symbolic link; capsim does not replace it: remove it or choose another --out")
            default:
                throw TargetError(description: "\(target) exists and is not a folder: remove it or choose another --out")
            }
            let tmp = join(parent, temporaryName(name))
            do {
                try OutputGuard.checkpoint()
                try fs.makeDirectory(tmp)
                var folders: Set<String> = []
                for (rel, text) in files {
                    let sub = rel.contains("/") ? parentPath(rel) : ""
                    if !sub.isEmpty && !folders.contains(sub) {
                        var path = ""
                        for part in sub.split(separator: "/") {
                            path = path.isEmpty ? String(part) : path + "/" + part
                            if folders.insert(path).inserted {
                                try OutputGuard.checkpoint()
                                try fs.makeDirectory(tmp + "/" + path)
                            }
                        }
                    }
                    try OutputGuard.checkpoint()
                    try fs.writeFile(tmp + "/" + rel, Array(text.utf8))
                }
                try OutputGuard.checkpoint()
                if fs.kind(target, followingLinks: false) == nil {
                    try fs.rename(tmp, target)
                    return
                }
                try swap(tmp, target, parent: parent, name: name, fs)
            } catch {
                removeTree(tmp, fs)
                throw error
            }
            // The temporary name now holds the old set.
            removeTree(tmp, fs)
        }
    }

    /// Why `target` (an existing folder) cannot be replaced by a set whose top-level names are
    /// `names`: the entries it holds that the set would not write (nil when none, or when there
    /// is no folder). For checks before a command runs; the write checks again.
    public static func refusal(replacing target: String, with names: Set<String>, fileSystem fs: FileSystem = defaultFileSystem) -> String? {
        guard fs.kind(target, followingLinks: false) == .directory, let entries = try? fs.list(target) else { return nil }
        return foreignEntriesProblem(target, entries.filter { !names.contains($0) })
    }

    static func foreignEntriesProblem(_ target: String, _ foreign: [String]) -> String? {
        if foreign.isEmpty { return nil }
        return "\(target) holds entries capsim did not write there (\(foreign.prefix(5).joined(separator: ", "))"
            + "\(foreign.count > 5 ? ", …" : "")); a report folder is replaced only as a whole: "
            + "move them away, or choose another --out or scenario name"
    }

    /// Exchanges `tmp` and `target`, or, without exchange support, renames the old folder aside
    /// and the new one in (restoring the old one if that fails).
    static func swap(_ tmp: String, _ target: String, parent: String, name: String, _ fs: FileSystem) throws {
        do {
            try fs.exchange(tmp, target)
            return
        } catch let e as FileSystemError where e.code == ENOSYS || e.code == EINVAL || e.code == ENOTSUP {
            // fall through to the two renames
        }
        let aside = join(parent, temporaryName(name + ".old"))
        removeTree(aside, fs)
        try fs.rename(target, aside)
        do {
            try fs.rename(tmp, target)
        } catch {
            try? fs.rename(aside, target)
            throw error
        }
        removeTree(aside, fs)
    }

    /// `.capsim-tmp-<name>-<pid>`.
    public static func temporaryName(_ name: String) -> String { "\(temporaryPrefix)\(name)-\(getpid())" }

    /// Removes the temporaries of processes that no longer run (and this process' own, which no
    /// write holds while the lock is held) from `directory`. Best effort: failures are ignored.
    public static func removeStaleTemporaries(in directory: String, fileSystem fs: FileSystem = defaultFileSystem) {
        guard fs.kind(directory, followingLinks: true) == .directory, let names = try? fs.list(directory) else { return }
        for n in names where n.hasPrefix(temporaryPrefix) {
            guard let dash = n.lastIndex(of: "-"), let pid = Int32(n[n.index(after: dash)...]) else { continue }
            if pid == getpid() || !processIsRunning(pid) {
                removeTree(join(directory, n), fs)
            }
        }
    }

    static func processIsRunning(_ pid: Int32) -> Bool { pid > 0 && (kill(pid, 0) == 0 || errno == EPERM) }

    /// Removes a file or folder tree, best effort: one retry of a failed step, then give up (a
    /// leftover is a stale temporary the next write removes).
    static func removeTree(_ path: String, _ fs: FileSystem) {
        func attempt(_ op: () throws -> Void) { if (try? op()) == nil { try? op() } }
        guard let kind = fs.kind(path, followingLinks: false) else { return }
        if kind == .directory {
            var names: [String]? = try? fs.list(path)
            if names == nil { names = try? fs.list(path) }
            for n in names ?? [] { removeTree(path + "/" + n, fs) }
            attempt { try fs.removeDirectory(path) }
        } else {
            attempt { try fs.removeFile(path) }
        }
    }

    /// `mkdir -p`, following links to folders.
    static func makeDirectories(_ path: String, _ fs: FileSystem) throws {
        if path.isEmpty || fs.kind(path, followingLinks: true) == .directory { return }
        if fs.kind(path, followingLinks: false) != nil {
            throw TargetError(description: "\(path) exists and is not a folder: remove it or choose another --out")
        }
        try makeDirectories(parentPath(path), fs)
        try OutputGuard.checkpoint()
        do { try fs.makeDirectory(path) } catch let e as FileSystemError where e.code == EEXIST {}
    }

    /// `path` without trailing slashes ("/" stays "/").
    static func trimmed(_ path: String) -> String {
        var p = path
        while p.utf8.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }

    /// The folder holding `path` ("." for a bare name, "/" for "/x"). Plain string work:
    /// Foundation's `deletingLastPathComponent` traps on some short paths on Linux.
    public static func parentPath(_ path: String) -> String {
        let p = trimmed(path)
        guard let slash = p.lastIndex(of: "/") else { return "." }
        if slash == p.startIndex { return "/" }
        return trimmed(String(p[..<slash]))
    }

    /// The last component of `path` ("/" for "/").
    public static func lastComponent(_ path: String) -> String {
        let p = trimmed(path)
        guard p != "/", let slash = p.lastIndex(of: "/") else { return p }
        return String(p[p.index(after: slash)...])
    }

    /// `folder/name`.
    public static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
