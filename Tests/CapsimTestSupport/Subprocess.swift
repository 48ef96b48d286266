import Foundation

/// The outcome of running a program to completion.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var succeeded: Bool { status == 0 }
}

public enum TestSupportError: Error, CustomStringConvertible {
    case notFound(String)
    case failed(String, ProcessResult)
    case timedOut(String)

    public var description: String {
        switch self {
        case .notFound(let name): return "program not found on PATH: \(name)"
        case .failed(let cmd, let r): return "\(cmd) exited \(r.status)\nstdout: \(r.stdout.prefix(2000))\nstderr: \(r.stderr.prefix(2000))"
        case .timedOut(let what): return "timed out waiting for \(what)"
        }
    }
}

/// Runs external programs for tests. Output goes to temporary files rather than pipes,
/// so a chatty program can never block on a full pipe buffer.
public enum Subprocess {
    /// Directories searched besides PATH: Debian puts server binaries outside it.
    public static let extraSearchPaths = [
        "/usr/sbin", "/sbin", "/usr/local/sbin",
        "/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin",
        "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/14/bin",
    ]

    /// The absolute path of `name`, or nil when it is not installed.
    public static func which(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":").map(String.init) + extraSearchPaths {
            let candidate = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments` and waits for it.
    ///
    /// - Parameters:
    ///   - input: written to the program's standard input, then closed.
    ///   - timeout: seconds before the program is killed and `.timedOut` is thrown.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String] = [], input: String? = nil,
        environment: [String: String]? = nil, currentDirectory: String? = nil,
        timeout: Double = 300
    ) throws -> ProcessResult {
        guard let exe = which(executable) else { throw TestSupportError.notFound(executable) }
        let dir = try TemporaryDirectory(prefix: "capsim-proc")
        defer { dir.remove() }
        let outURL = URL(fileURLWithPath: dir.path + "/stdout")
        let errURL = URL(fileURLWithPath: dir.path + "/stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.standardOutput = outHandle
        process.standardError = errHandle
        var inPipe: Pipe?
        if input != nil {
            inPipe = Pipe()
            process.standardInput = inPipe
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        if let input, let inPipe {
            // Write on another thread: a large input must not deadlock against a child
            // that has not started reading.
            let data = Data(input.utf8)
            let writer = inPipe.fileHandleForWriting
            Thread.detachNewThread {
                writer.write(data)
                try? writer.close()
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw TestSupportError.timedOut("\(executable) \(arguments.joined(separator: " "))")
            }
            usleep(2_000)
        }
        try outHandle.close()
        try errHandle.close()
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ProcessResult(status: process.terminationStatus, stdout: out, stderr: err)
    }

    /// Like `run`, but throws unless the program exits 0.
    @discardableResult
    public static func check(
        _ executable: String, _ arguments: [String] = [], input: String? = nil,
        environment: [String: String]? = nil, currentDirectory: String? = nil,
        timeout: Double = 300
    ) throws -> ProcessResult {
        let r = try run(executable, arguments, input: input, environment: environment,
                        currentDirectory: currentDirectory, timeout: timeout)
        guard r.succeeded else {
            throw TestSupportError.failed(([executable] + arguments).joined(separator: " "), r)
        }
        return r
    }
}
