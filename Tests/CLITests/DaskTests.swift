import CapsimTestSupport
import Foundation
import Testing

/// The Python package capsim-dask (python/), tested by its own pytest suite against the
/// built binary: a two-worker LocalCluster on loopback runs a sweep and a replicated run
/// (byte-identical to the local commands), survives a worker killed mid-sweep, and refuses
/// bad input with exit 2. Needs dask, distributed and pytest in $CAPSIM_PYTHON (scripts/test
/// installs them); without them the suite is skipped, or fails under
/// CAPSIM_REQUIRE_REAL_SYSTEMS=1.
@Suite(.serialized) struct DaskTests {
    @Test func pythonSuiteAgainstTheBuiltBinary() throws {
        let python = RealSystems.python
        let probe = try? Subprocess.run(python, ["-c", "import dask, distributed, pytest"], timeout: 60)
        guard let probe, probe.succeeded else {
            let msg = "dask, distributed or pytest not importable by \(python) (pip install dask==2026.8.0 distributed==2026.8.0 pytest==9.2.0; set CAPSIM_PYTHON)"
            if RealSystems.required { Issue.record(Comment(rawValue: msg)) } else { print("skipped: " + msg) }
            return
        }
        let exe = try #require(CapsimBinary.path, "capsim is not built")
        var env = ProcessInfo.processInfo.environment
        env["CAPSIM_BIN"] = exe
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        let root = RealSystems.repositoryRoot
        let r = try Subprocess.run(python, ["-m", "pytest", "-q", "-p", "no:cacheprovider", root + "/python/tests"],
                                   environment: env, currentDirectory: root, timeout: 900)
        #expect(r.status == 0, "pytest exited \(r.status)\n\(r.stdout.suffix(6000))\n\(r.stderr.suffix(3000))")
    }
}
