import CapsimTestSupport
import Foundation

/// When the MDRP tests that need something from outside the repository can run; used with
/// `.enabled(if:)` so they show as skipped, never as passed, when they cannot.
extension MDRPTestSupport {
    /// `CAPSIM_MDRP_EVALUATOR`: a copy of grubhub/mdrplib's compute_performance_summary.py.
    static var evaluatorScript: String? {
        guard let p = ProcessInfo.processInfo.environment["CAPSIM_MDRP_EVALUATOR"], !p.isEmpty else { return nil }
        return p
    }

    /// The evaluator is set, and python has pandas and numpy (or real systems are required, so
    /// their absence fails). Without the script the tests skip even under
    /// CAPSIM_REQUIRE_REAL_SYSTEMS=1: no package manager can install it (it has no licence).
    static var evaluatorRunnable: Bool {
        evaluatorScript != nil && RealSystems.canRunPython("pandas, numpy")
    }
}
