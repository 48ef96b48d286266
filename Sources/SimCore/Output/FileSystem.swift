import Foundation

/// What a path names, as `lstat` (or `stat`, following links) sees it.
public enum FileKind: Sendable, Equatable {
    case directory, regular, symbolicLink, other
}

/// A failed file-system call: the operation, the path and the `errno`.
public struct FileSystemError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var path: String
    public var code: Int32

    public init(_ operation: String, _ path: String, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
    /// The device is full (or over quota).
    public var isNoSpace: Bool { code == ENOSPC || code == EDQUOT }
}

/// The file-system calls the report writers make, one method per system call, so a test can
/// make any one of them fail (see ``ReportSetWriter``) and a test build can pause before one.
///
/// Counted operations: every method except ``kind(_:followingLinks:)`` (a read-only `lstat`).
public protocol FileSystem: AnyObject, Sendable {
    /// `lstat` (or `stat` when `followingLinks`); nil when nothing is there.
    func kind(_ path: String, followingLinks: Bool) -> FileKind?
    /// The entry names of a folder (without "." and ".."), sorted.
    func list(_ directory: String) throws -> [String]
    /// `mkdir` of one level (fails with EEXIST when something is there).
    func makeDirectory(_ path: String) throws
    /// Creates a new file (`O_EXCL`), writes `bytes`, `fsync`s and closes it.
    func writeFile(_ path: String, _ bytes: [UInt8]) throws
    /// `rename`: atomic, replaces a file or an empty folder at `to`.
    func rename(_ from: String, _ to: String) throws
    /// Swaps two existing paths atomically (Linux `renameat2(RENAME_EXCHANGE)`, Darwin
    /// `renamex_np(RENAME_SWAP)`); ENOSYS or EINVAL when the system or file system cannot.
    func exchange(_ a: String, _ b: String) throws
    /// `unlink`.
    func removeFile(_ path: String) throws
    /// `rmdir` of an empty folder.
    func removeDirectory(_ path: String) throws
}
