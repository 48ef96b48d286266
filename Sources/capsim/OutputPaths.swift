import Foundation
import Scenario
import SimCore

/// Where reports go: folder names derived safely from scenario and instance names, and checks of
/// the output flags before anything runs (bad ones are bad input, exit 2, with a fix).
enum OutputPaths {
    /// The report folder name for a scenario (or instance) name: one path component that stays
    /// inside `--out`. Path separators, NUL and other control characters become "_", surrounding
    /// white space is dropped, leading dots become "_" (so ".." and ".hidden" cannot escape or
    /// hide), an empty result is "scenario", and the name is cut to 200 bytes (file systems allow
    /// 255; the temporary name adds a prefix and a process id).
    static func folderName(_ name: String) -> String {
        var out = ""
        for ch in name.trimmingCharacters(in: .whitespacesAndNewlines) {
            if ch == "/" || ch == "\\" || ch.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                out.append("_")
            } else {
                out.append(ch)
            }
        }
        var chars = Array(out)
        var i = 0
        while i < chars.count && chars[i] == "." { chars[i] = "_"; i += 1 }
        out = String(chars)
        while out.utf8.count > 200 { out.removeLast() }
        return out.isEmpty ? "scenario" : out
    }

    /// `out`/`folderName(name)`.
    static func reportFolder(_ out: String, _ name: String) -> String {
        ReportSetWriter.join(out, folderName(name))
    }

    /// A folder flag (`--out`, `--dir`): not empty, and not something other than a folder.
    static func checkFolderOption(_ path: String, flag: String) throws {
        if path.trimmingCharacters(in: .whitespaces).isEmpty {
            throw CLIError.badInput("\(flag) is empty: give a folder, such as \(flag) reports")
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
            throw CLIError.badInput("\(flag) \(path) is a file, not a folder: give a folder (it is created when missing)")
        }
    }

    /// A file flag (`schema --out`, `check --junit`, `--markdown`, `compare --html`): not a folder,
    /// a symbolic link, a device, a FIFO or a socket (never replaced), not empty.
    static func checkFileOption(_ path: String, flag: String, example: String) throws {
        if let problem = AtomicFile.refusal(path, example: example) {
            throw CLIError.badInput("\(flag) \(path.isEmpty ? "\"\"" : path): \(problem)")
        }
    }

    /// Scenarios whose report folders would be the same (the same name, or names that map to the
    /// same folder): bad input before anything runs, naming both files.
    static func checkDistinctFolders(_ configs: [ScenarioConfig]) throws {
        var seen: [String: ScenarioConfig] = [:]
        var problems: [String] = []
        for c in configs {
            let folder = folderName(c.name)
            if let first = seen[folder] {
                problems.append("\(first.file) and \(c.file) are both named '\(c.name)' (report folder '\(folder)'): "
                                + "give one of them another `name:` (or --set name=...), or run them separately")
            } else {
                seen[folder] = c
            }
        }
        if !problems.isEmpty { throw CLIError.badInput(problems.joined(separator: "\n")) }
    }

    /// Report folders that exist but hold entries a report set would not replace: bad input
    /// before anything runs (the write would refuse them after the run).
    static func checkReplaceable(_ folders: [String], names: Set<String>) throws {
        let problems = folders.compactMap { ReportSetWriter.refusal(replacing: $0, with: names) }
        if !problems.isEmpty { throw CLIError.badInput(problems.joined(separator: "\n")) }
    }

    /// A write that failed: exit 1, saying that the previous contents are unchanged.
    static func writeFailure(_ what: String, _ error: Error) -> CLIError {
        if let e = error as? ReportSetWriter.TargetError { return .badInput(e.description) }
        var reason = (error as? FileSystemError)?.description ?? "\(error)"
        if (error as? FileSystemError)?.isNoSpace == true { reason = "the disk is full (\(reason))" }
        return .failure("cannot write \(what): \(reason); nothing was changed there (the previous contents, if any, are intact)")
    }
}

extension OutputPaths {
    /// The report folder name of each MDRP instance folder: its real last path component (so
    /// `..` or `.` name the folder they point to), made safe by ``folderName(_:)``. Two
    /// instances with the same folder name are bad input.
    static func instanceFolderNames(_ dirs: [String]) throws -> [String] {
        var names: [String] = []
        var first: [String: String] = [:]
        for dir in dirs {
            let url = URL(fileURLWithPath: dir).standardizedFileURL.resolvingSymlinksInPath()
            let last = url.path == "/" ? "instance" : url.lastPathComponent
            let name = folderName(last)
            if let other = first[name] {
                throw CLIError.badInput("instances \(other) and \(dir) would both be written to '\(name)': replay them with different --out folders")
            }
            first[name] = dir
            names.append(name)
        }
        return names
    }
}
