import Foundation
import Synchronization

/// A test hook: with `CAPSIM_TEST_PAUSE_WRITE_AT=k` in the environment, the process' file system
/// counts its operations (every ``FileSystem`` method but `kind`) and, before the k-th, writes
/// `capsim-test: paused before write operation k (<op> <path>)` to stderr and sleeps
/// `CAPSIM_TEST_PAUSE_SECONDS` (default 5). A test then kills the process at exactly that point
/// of its write phase. Without the variable the real file system is used directly.
final class PausingFileSystem: FileSystem {
    let base: FileSystem
    let pauseAt: Int
    let seconds: Double
    let count = Atomic<Int>(0)

    init(base: FileSystem, pauseAt: Int, seconds: Double) {
        self.base = base
        self.pauseAt = pauseAt
        self.seconds = seconds
    }

    static func fromEnvironment(_ base: FileSystem) -> FileSystem {
        let env = ProcessInfo.processInfo.environment
        guard let k = env["CAPSIM_TEST_PAUSE_WRITE_AT"].flatMap(Int.init), k > 0 else { return base }
        return PausingFileSystem(base: base, pauseAt: k, seconds: env["CAPSIM_TEST_PAUSE_SECONDS"].flatMap(Double.init) ?? 5)
    }

    func tick(_ op: String, _ path: String) {
        let n = count.add(1, ordering: .relaxed).newValue
        guard n == pauseAt else { return }
        let line = "capsim-test: paused before write operation \(n) (\(op) \(path))\n"
        _ = line.withCString { Foundation.write(2, $0, strlen($0)) }
        usleep(UInt32(seconds * 1e6))
    }

    func kind(_ path: String, followingLinks: Bool) -> FileKind? { base.kind(path, followingLinks: followingLinks) }
    func list(_ directory: String) throws -> [String] { tick("list", directory); return try base.list(directory) }
    func makeDirectory(_ path: String) throws { tick("mkdir", path); try base.makeDirectory(path) }
    func writeFile(_ path: String, _ bytes: [UInt8]) throws { tick("write", path); try base.writeFile(path, bytes) }
    func rename(_ from: String, _ to: String) throws { tick("rename", from); try base.rename(from, to) }
    func exchange(_ a: String, _ b: String) throws { tick("exchange", a); try base.exchange(a, b) }
    func removeFile(_ path: String) throws { tick("unlink", path); try base.removeFile(path) }
    func removeDirectory(_ path: String) throws { tick("rmdir", path); try base.removeDirectory(path) }
}
