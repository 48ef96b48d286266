import CapsimTestSupport
import Foundation
import Testing
import World

/// Cross-checks against Grubhub's own evaluator, grubhub/mdrplib
/// `MDRP_code/compute_performance_summary.py`, when a copy is available.
///
/// The script has no licence, so the repository does not ship it. Point
/// `CAPSIM_MDRP_EVALUATOR` at a copy (it needs python3 with pandas and numpy, see
/// `RealSystems.python`) to run these tests; without it they are skipped, even when
/// `CAPSIM_REQUIRE_REAL_SYSTEMS=1`, because no package manager can install the script.
/// With the variable set, a missing pandas is a failure under `CAPSIM_REQUIRE_REAL_SYSTEMS=1`.
@Suite(.enabled(if: MDRPTestSupport.evaluatorRunnable,
                "CAPSIM_MDRP_EVALUATOR not set (or python3 lacks pandas/numpy): comparison with compute_performance_summary.py skipped"))
struct MDRPEvaluatorTests {
    typealias S = MDRPTestSupport

    static var script: String? { MDRPTestSupport.evaluatorScript }

    /// The evaluator's verdict and, when feasible, its performance file.
    func evaluate(_ script: String, instance: String, solution: String) throws -> (feasible: Bool, performance: String) {
        let out = try TemporaryDirectory(prefix: "capsim-mdrp-eval")
        defer { out.remove() }
        try Subprocess.check(
            RealSystems.python, [script, "instance_dir=\(instance)", "input_dir=\(solution)", "output_dir=\(out.path)"],
            timeout: 600)
        let verdict = try String(contentsOfFile: out.file("feasibility_check.txt"), encoding: .utf8)
        let lines = verdict.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let feasible = lines.last == "FEASIBLE"
        let perf = feasible ? try String(contentsOfFile: out.file("solution_performance.txt"), encoding: .utf8) : ""
        return (feasible, perf)
    }

    /// The evaluator script; the suite runs only when it is set (``MDRPTestSupport/evaluatorRunnable``),
    /// so a missing pandas here means real systems are required: a failure.
    func ready() throws -> String {
        let script = try #require(Self.script, "CAPSIM_MDRP_EVALUATOR not set")
        try #require(RealSystems.pythonImports("pandas, numpy"), "python3 with pandas and numpy is required for the MDRP evaluator")
        return script
    }

    /// "number of orders delivered: N out of M" and the click-to-door mean of the
    /// `describe()` table (first numeric column of the "mean" row).
    func parse(_ perf: String) -> (delivered: Int, total: Int, meanClickToDoor: Double)? {
        var delivered: Int?, total: Int?, mean: Double?
        for line in perf.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            if line.hasPrefix("number of orders delivered:"), f.count >= 8 {
                delivered = Int(f[4])
                total = Int(f[7])
            }
            if f.first == "mean", mean == nil, f.count > 1 { mean = Double(f[1]) }
        }
        guard let delivered, let total, let mean else { return nil }
        return (delivered, total, mean)
    }

    @Test func evaluatorAcceptsEveryPolicyAndAgreesOnMetrics() throws {
        let script = try ready()
        for dir in [S.fixture] + S.sharedInstances {
            for policy in MDRPPolicy.allCases {
                let r = try MDRPReplay.run(instanceDirectory: dir, policy: policy)
                let out = try TemporaryDirectory(prefix: "capsim-mdrp-sol")
                defer { out.remove() }
                try MDRPSolutionWriter.write(r, to: out.path)
                let (feasible, perf) = try evaluate(script, instance: dir, solution: out.path)
                #expect(feasible, "\(r.instance.name) \(policy)")
                guard let p = parse(perf) else {
                    Issue.record("cannot read solution_performance.txt: \(perf.prefix(500))")
                    continue
                }
                let m = MDRPMetrics(r)
                #expect(p.delivered == m.ordersDelivered && p.total == m.ordersTotal, "\(r.instance.name) \(policy)")
                // The script prints two decimals.
                #expect(abs(p.meanClickToDoor - m.clickToDoor.mean) <= 0.005 + 1e-9, "\(r.instance.name) \(policy)")
            }
        }
    }

    @Test func evaluatorAgreesWithTheValidatorOnHandBrokenSolutions() throws {
        let script = try ready()
        func verdict(_ instance: [String: String], _ a: String, _ o: String, _ c: String) throws -> Bool {
            let inst = try S.write(instance)
            let sol = try S.write([
                "solution_info_assignments.txt": a, "solution_info_orders.txt": o, "solution_info_couriers.txt": c,
            ])
            defer { inst.remove(); sol.remove() }
            return try evaluate(script, instance: inst.path, solution: sol.path).feasible
        }
        #expect(try verdict(S.tinyInstance(), S.tinyAssignments, S.tinyOrders, S.tinyCouriers))
        for b in S.brokenVariants where b.evaluatorChecks {
            #expect(try !verdict(b.instance, b.assignments, b.orders, b.couriers), "\(b.name)")
        }
    }
}
