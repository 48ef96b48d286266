import Foundation

/// Tests that compare capsim against a real program (redis-server, PostgreSQL,
/// kafka-python) ask here whether that program must be present.
///
/// `scripts/test` installs the programs and sets `CAPSIM_REQUIRE_REAL_SYSTEMS=1`, so in
/// CI a missing program is a failure. A developer running `swift test` by hand without
/// them sees the comparison skipped instead.
public enum RealSystems {
    public static var required: Bool {
        ProcessInfo.processInfo.environment["CAPSIM_REQUIRE_REAL_SYSTEMS"] == "1"
    }

    /// Whether a test that needs `programs` should run: all are installed, or real systems are
    /// required (then the test runs and fails on the missing one instead of being skipped).
    /// For `.enabled(if:)`, so a missing program shows as a skip, never as a pass.
    public static func canRun(_ programs: String...) -> Bool {
        required || programs.allSatisfy { Subprocess.which($0) != nil }
    }

    /// Whether `python` can `import modules` ("numpy, scipy").
    public static func pythonImports(_ modules: String) -> Bool {
        (try? Subprocess.run(python, ["-c", "import \(modules)"], timeout: 120))?.succeeded == true
    }

    /// Whether a test that needs python `modules` should run (see ``canRun(_:)``).
    public static func canRunPython(_ modules: String) -> Bool { required || pythonImports(modules) }

    /// A python3 that has the test's pip packages (scripts/test makes the venv and
    /// exports CAPSIM_PYTHON); falls back to python3 on PATH.
    public static var python: String {
        ProcessInfo.processInfo.environment["CAPSIM_PYTHON"] ?? "python3"
    }

    /// The repository root, found from this source file's location.
    public static var repositoryRoot: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }

    /// `../shared` beside the repository, when present.
    public static var sharedDirectory: String? {
        let p = (repositoryRoot as NSString).appendingPathComponent("../shared")
        return FileManager.default.fileExists(atPath: p) ? (p as NSString).standardizingPath : nil
    }
}

/// Finds a TCP port on 127.0.0.1 that nothing listens on right now.
public func freeLoopbackPort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestSupportError.notFound("socket") }
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
    }
    guard bound == 0 else { throw TestSupportError.notFound("bind") }
    let named = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    guard named == 0 else { throw TestSupportError.notFound("getsockname") }
    return UInt16(bigEndian: addr.sin_port)
}
