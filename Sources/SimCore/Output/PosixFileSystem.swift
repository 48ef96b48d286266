import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ``FileSystem`` on the real system calls. Stateless.
public final class PosixFileSystem: FileSystem {
    public init() {}

    public func kind(_ path: String, followingLinks: Bool) -> FileKind? {
        var st = stat()
        guard (followingLinks ? stat(path, &st) : lstat(path, &st)) == 0 else { return nil }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regular
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    public func list(_ directory: String) throws -> [String] {
        guard let dir = opendir(directory) else { throw FileSystemError("list", directory, code: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 { throw FileSystemError("mkdir", path, code: errno) }
    }

    public func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileSystemError("create", path, code: errno) }
        var written = 0
        let failure: Int32? = bytes.withUnsafeBytes { buf -> Int32? in
            while written < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + written, buf.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return fsync(fd) == 0 ? nil : errno
        }
        let closed = close(fd) == 0 ? nil : errno
        if let code = failure ?? closed { throw FileSystemError("write", path, code: code) }
    }

    public func rename(_ from: String, _ to: String) throws {
        if Foundation.rename(from, to) != 0 { throw FileSystemError("rename", "\(from) -> \(to)", code: errno) }
    }

    public func exchange(_ a: String, _ b: String) throws {
        #if os(Linux)
        // glibc >= 2.28 has renameat2, but its header hides it from Swift (_GNU_SOURCE), and the
        // variadic syscall(2) cannot be called from Swift: look the function up instead.
        guard let f = Self.renameat2 else { throw FileSystemError("renameat2", a, code: ENOSYS) }
        if f(AT_FDCWD, a, AT_FDCWD, b, Self.renameExchange) != 0 {
            throw FileSystemError("renameat2(RENAME_EXCHANGE)", "\(a) <-> \(b)", code: errno)
        }
        #elseif canImport(Darwin)
        if renamex_np(a, b, UInt32(RENAME_SWAP)) != 0 {
            throw FileSystemError("renamex_np(RENAME_SWAP)", "\(a) <-> \(b)", code: errno)
        }
        #else
        throw FileSystemError("exchange", a, code: ENOSYS)
        #endif
    }

    public func removeFile(_ path: String) throws {
        if unlink(path) != 0 { throw FileSystemError("unlink", path, code: errno) }
    }

    public func removeDirectory(_ path: String) throws {
        if rmdir(path) != 0 { throw FileSystemError("rmdir", path, code: errno) }
    }

    #if os(Linux)
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// `RENAME_EXCHANGE` from linux/fs.h.
    static let renameExchange: UInt32 = 1 << 1
    /// glibc's `renameat2` (RTLD_DEFAULT is the null handle on glibc), nil on a libc without it.
    static let renameat2: RenameAt2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2")
        .map { unsafeBitCast($0, to: RenameAt2.self) }
    #endif
}
