import Foundation

/// Writes one file so a reader never sees half of it: the bytes go to a temporary file
/// `.capsim-tmp-<name>-<pid>` in the same folder, which is then renamed over the target (rename
/// is atomic on POSIX). On failure or SIGINT/SIGTERM (``OutputGuard``) the temporary is removed;
/// a killed process' temporary is removed by the next write into the folder. For a folder of
/// files that must change together use ``ReportSetWriter``.
public enum AtomicFile {
    /// Writes `text` to `path`, creating its folder. Refuses (``ReportSetWriter/TargetError``)
    /// a path that is a folder, a symbolic link, a device, a FIFO or a socket: those are never
    /// replaced by a regular file.
    public static func write(_ text: String, to path: String, fileSystem fs: FileSystem = ReportSetWriter.defaultFileSystem) throws {
        if let problem = refusal(path, fs) { throw ReportSetWriter.TargetError(description: problem) }
        let dir = ReportSetWriter.parentPath(path)
        let name = ReportSetWriter.lastComponent(path)
        try OutputGuard.exclusive {
            try ReportSetWriter.makeDirectories(dir, fs)
            ReportSetWriter.removeStaleTemporaries(in: dir, fileSystem: fs)
            let tmp = ReportSetWriter.join(dir, ReportSetWriter.temporaryName(name))
            do {
                try OutputGuard.checkpoint()
                try fs.writeFile(tmp, Array(text.utf8))
                try OutputGuard.checkpoint()
                try fs.rename(tmp, path)
            } catch {
                ReportSetWriter.removeTree(tmp, fs)
                throw error
            }
        }
    }

    /// Why `path` cannot receive a file (nil when it can: missing, or a regular file).
    /// `example` is a file name the message suggests.
    public static func refusal(_ path: String, example: String = "capsim.out",
                               _ fs: FileSystem = ReportSetWriter.defaultFileSystem) -> String? {
        if path.isEmpty { return "the file path is empty: give a file name" }
        if path.hasSuffix("/") { return "\(path) names a folder: give a file path such as \(path)\(example)" }
        switch fs.kind(path, followingLinks: false) {
        case nil, .regular?: return nil
        case .directory?: return "\(path) is a folder: give a file path inside it, such as \(path)/\(example)"
        case .symbolicLink?: return "\(path) is a symbolic link; capsim does not replace it: give the path of a regular file"
        case .other?: return "\(path) is a device, FIFO or socket; capsim does not replace it: give the path of a regular file"
        }
    }
}
