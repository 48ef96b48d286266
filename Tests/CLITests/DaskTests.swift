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
    static let importable: Bool = {
        let probe = try? Subprocess.run(RealSystems.python, ["-c", "import dask, distributed, pytest"], timeout: 60)
        return probe?.succeeded ?? false
    }()

    /// Skipped (not passed) without dask; under CAPSIM_REQUIRE_REAL_SYSTEMS=1 it runs and fails.
    @Test(.enabled(if: RealSystems.required || DaskTests.importable, "dask, distributed and pytest are not importable by $CAPSIM_PYTHON"))
    func pythonSuiteAgainstTheBuiltBinary() throws {
        guard DaskTests.importable else {
            Issue.record("dask, distributed or pytest not importable by \(RealSystems.python) (pip install dask==2026.8.0 distributed==2026.8.0 pytest==9.2.0; set CAPSIM_PYTHON)")
            return
        }
        let exe = try #require(CapsimBinary.path, "capsim is not built")
        var env = ProcessInfo.processInfo.environment
        env["CAPSIM_BIN"] = exe
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        let root = RealSystems.repositoryRoot
        let r = try Subprocess.run(RealSystems.python, ["-m", "pytest", "-q", "-p", "no:cacheprovider", root + "/python/tests"],
                                   environment: env, currentDirectory: root, timeout: 900)
        #expect(r.status == 0, "pytest exited \(r.status)\n\(r.stdout.suffix(6000))\n\(r.stderr.suffix(3000))")
    }
}
