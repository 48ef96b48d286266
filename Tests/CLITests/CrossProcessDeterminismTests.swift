import CapsimTestSupport
import Foundation
import Testing

/// Byte-identical reports across processes. Swift seeds `Hasher` once per process, so two
/// renders in one process iterate every Dictionary and Set in the same order and cannot catch
/// an iteration order that reaches an output. Here the same command runs in two processes, one
/// with `SWIFT_DETERMINISTIC_HASHING=1` (a fixed seed) and one with the per-process random seed,
/// and every file written must be the same bytes.
@Suite(.serialized) struct CrossProcessDeterminismTests {
    /// Every file under `dir` by relative path.
    static func files(_ dir: String) -> [String: Data] {
        var out: [String: Data] = [:]
        let e = FileManager.default.enumerator(atPath: dir)
        while let rel = e?.nextObject() as? String {
            if let d = FileManager.default.contents(atPath: dir + "/" + rel) { out[rel] = d }
        }
        return out
    }

    func twice(_ args: [String], out: (String) -> [String], in dir: String) throws -> ([String: Data], [String: Data]) {
        let exe = try #require(CapsimBinary.path, "capsim is not built")
        let a = try Subprocess.run(exe, args + out("a"), environment: ["SWIFT_DETERMINISTIC_HASHING": "1"], currentDirectory: dir, timeout: 900)
        let b = try Subprocess.run(exe, args + out("b"), environment: ["SWIFT_DETERMINISTIC_HASHING": "0"], currentDirectory: dir, timeout: 900)
        #expect(a.status == 0 && b.status == 0, "\(a.stderr)\n\(b.stderr)")
        return (Self.files(dir + "/a"), Self.files(dir + "/b"))
    }

    /// The bundled platform scenario (every platform component: balancers, caches, shards, Kafka,
    /// couriers, findings), shortened: report.json, .md, .html, both CSVs and replications.json.
    @Test func platformReportIsIdenticalAcrossProcesses() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let scenario = RealSystems.repositoryRoot + "/scenarios/baseline.yaml"
        let (a, b) = try twice(["run", scenario, "--set", "duration=2min", "--set", "warmup=30s", "--quiet", "--replications", "2"],
                               out: { ["--out", $0] }, in: ws.path)
        #expect(a.count == 6)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, data) in a { #expect(data == b[name], "\(name) differs between two processes") }
    }

    /// A sweep: sweep.html, .md, .csv, .json and every point's report.
    @Test func sweepIsIdenticalAcrossProcesses() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        let (a, b) = try twice(["sweep", "gate.yaml", "--param", "queueing.arrivals.0.rate=2/s,3/s,3.6/s",
                                "--param", "queueing.stations.server.servers=4,5", "--quiet"],
                               out: { ["--out", $0] }, in: ws.path)
        #expect(a.count == 4 + 6 * 5)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, data) in a { #expect(data == b[name], "\(name) differs between two processes") }
    }
}
