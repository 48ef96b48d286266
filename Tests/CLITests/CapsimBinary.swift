import CapsimTestSupport
import Foundation
import Testing

/// The built `capsim` executable, run as a user would run it.
///
/// Found (in order) at `$CAPSIM_BINARY`; beside the running test executable (the build
/// folder of the configuration under test, whatever its scratch path); then under the
/// repository's .build/release and .build/debug. scripts/test builds it, the library and the
/// tests in one `swift build -c release --build-tests` before `swift test --skip-build`.
enum CapsimBinary {
    static let path: String? = {
        let fm = FileManager.default
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["CAPSIM_BINARY"], !env.isEmpty { candidates.append(env) }
        // The test executable (…/<config>/capsimPackageTests.xctest, or inside that bundle on
        // macOS): capsim is built into the same <config> folder.
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        if let bundle = exe.range(of: ".xctest") {
            candidates.append((String(exe[..<bundle.lowerBound]) as NSString).deletingLastPathComponent + "/capsim")
        } else {
            candidates.append((exe as NSString).deletingLastPathComponent + "/capsim")
        }
        let root = RealSystems.repositoryRoot
        candidates += [root + "/.build/release/capsim", root + "/.build/debug/capsim"]
        return candidates.first { fm.isExecutableFile(atPath: $0) && !$0.hasSuffix(".xctest") }
    }()

    /// Runs capsim with `arguments` in `directory`.
    static func run(_ arguments: [String], in directory: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let exe = try #require(path, "capsim is not built; run `swift build -c release --product capsim` first", sourceLocation: sourceLocation)
        return try Subprocess.run(exe, arguments, currentDirectory: directory, timeout: 600)
    }
}

/// A temporary folder with scenario files, removed by `remove()`.
struct Workspace {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory(prefix: "capsim-cli") }

    var path: String { dir.path }

    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: dir.file(name), atomically: true, encoding: .utf8)
    }

    func read(_ name: String) throws -> String { try String(contentsOfFile: dir.file(name), encoding: .utf8) }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: dir.file(name)) }

    func remove() { dir.remove() }

    func capsim(_ args: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        try CapsimBinary.run(args, in: path, sourceLocation: sourceLocation)
    }

    /// An M/M/4 at ρ = 0.75 with three SLOs that hold with room to spare: a small, fast
    /// scenario whose numbers move clearly when the service slows down.
    static let gate = """
        name: gate
        seed: 7
        model: queueing
        queueing:
          customers: 6000
          warmup_customers: 500
          arrivals:
            - { to: server, rate: 3/s }
          stations:
            server:
              servers: 4
              service: { exponential: { mean: 1s } }
        slos:
          - { metric: server.wait.p99, max: 8s }
          - { metric: network.sojourn, stat: p50, max: 3s }
          - { metric: server.p_wait, stat: ratio, max: 0.9 }

        """

    /// Service 1.3 s instead of 1 s: ρ goes from 0.75 to 0.975 and the waits explode.
    static let slowService = "queueing.stations.server.service={exponential: {mean: 1.3s}}"
}
