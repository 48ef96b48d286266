import Foundation
import Reports
import Scenario
import SimCore
import World

/// Evaluates configurations for the plan: runs a configuration's replications as units,
/// merges them into a report (for its costs) and judges each SLO with `SLOHolds`.
final class PlanEvaluator: @unchecked Sendable {
    let file: String
    let seed: UInt64
    let replications: Int
    let confidence: Double
    let threads: Int
    var objectives: [ResolvedObjective] = []
    /// The first error a unit raised (a scenario the overrides made invalid); the command
    /// reports it as bad input after the search. Guarded by `lock`.
    private var error: String?
    private let lock = NSLock()

    init(file: String, seed: UInt64, replications: Int, confidence: Double, threads: Int) {
        self.file = file; self.seed = seed; self.replications = replications; self.confidence = confidence; self.threads = threads
    }

    var firstError: String? { lock.lock(); defer { lock.unlock() }; return error }

    /// The replications of one configuration, merged: the merged report and each
    /// replication's figures (index order). The replications are units of work, evaluated
    /// and merged on the same path as run, sweep and `capsim merge` (`UnitEvaluation`,
    /// `Runner.merge`), so replication i is replication i of `capsim run --seed seed`.
    func runAll(_ overrides: [String], threads: Int) throws -> (Report, [FigureTable]) {
        let config: ScenarioConfig
        do { config = try ScenarioConfig.load(path: file, overrides: overrides) }
        catch { throw PlanUnitError(message: "\(error)") }
        let units = UnitEvaluation.units(config, overrides: overrides, seed: seed, replications: replications)
        let run = try UnitEvaluation.evaluate([units.map { (config, $0) }], from: .local(threads: threads)) { [seed] _, runs in
            Runner.merge(config, seed: seed, runs: runs)
        }[0]
        return (run.report, run.perReplication.map { FigureTable(report: $0) })
    }

    /// The evaluation of a configuration (SLO verdicts, costs). A failing unit records its
    /// error and counts as not holding.
    func evaluate(_ overrides: [String], threads: Int) -> PlanEvaluation {
        do {
            let (report, tables) = try runAll(overrides, threads: threads)
            let costs = report.costs
            return PlanEvaluation(verdicts: SLOHolds.all(objectives, tables, confidence: confidence),
                                  costPerHour: costs?.perHour ?? .nan, costPerOrder: costs?.perOrder ?? .nan,
                                  invariantsHold: report.invariantsHold, runs: replications)
        } catch {
            lock.lock()
            if self.error == nil { self.error = "with \(overrides.joined(separator: " ")): \(error)" }
            lock.unlock()
            return PlanEvaluation(verdicts: [], costPerHour: .nan, costPerOrder: .nan, invariantsHold: false, runs: 0)
        }
    }
}

struct PlanUnitError: Error, CustomStringConvertible { var message: String; var description: String { message } }

/// How a peak-hour demand level maps onto the scenario.
struct PlanDemand: Sendable {
    /// The scenario's own peak-hour demand, per hour.
    var current: Double
    /// `orders/h` or `arrivals/h`.
    var unit: String
    var note: String
    /// Key paths the level sets (and the demand assumption's names).
    var paths: [String]
    private var assign: @Sendable (Double) -> [String]

    func overrides(_ level: Double) -> [String] { assign(level) }

    /// - Throws: `CLIError.badInput` when the scenario's demand cannot be scaled.
    static func of(_ config: ScenarioConfig) throws -> PlanDemand {
        switch config.model {
        case .platform:
            var errors: [ScenarioError] = []
            guard let p = PlatformConfig.decode(config.document, errors: &errors) else { throw CLIError.badInput(ScenarioErrors(errors).description) }
            let peak = p.profile.max() ?? 1
            let current = p.ordersPerHour * peak
            return PlanDemand(current: current, unit: "orders/h",
                              note: "the peak-hour order rate of the scenario's daily profile (demand.orders_per_hour × \(Report.num(peak)), "
                                  + "the profile's busiest hour over its mean); each level sets demand.orders_per_hour = level ÷ \(Report.num(peak))",
                              paths: ["demand.orders_per_hour"],
                              assign: { ["demand.orders_per_hour=\(PlanDemand.number($0 / peak))/h"] })
        case .queueing:
            guard let q = config.queueing else { throw CLIError.badInput("\(config.file): the scenario has no queueing section") }
            var rates: [(Int, Double)] = []
            var peak = 0.0
            for (i, a) in q.arrivals.enumerated() {
                guard case .poisson(let rate, let profile) = a.process else {
                    throw CLIError.badInput("\(config.file): queueing.arrivals.\(i) has an interarrival distribution; plan scales demand through Poisson rates\n    fix: write `rate: …/s` for this stream")
                }
                rates.append((i, rate))
                peak += rate * max(1, profile.map(\.multiplier).max() ?? 1)
            }
            let current = peak * 3600
            let streams = rates
            return PlanDemand(current: current, unit: "arrivals/h",
                              note: "the peak-hour external arrival rate (every Poisson stream's rate × its largest profile multiplier, summed); "
                                  + "each level scales every stream's rate by level ÷ \(Report.num(current))",
                              paths: rates.map { "queueing.arrivals.\($0.0).rate" },
                              assign: { level in streams.map { "queueing.arrivals.\($0.0).rate=\(PlanDemand.number($0.1 * level / current))/s" } })
        }
    }

    /// A number for an override: full precision, no exponent surprises for YAML.
    static func number(_ x: Double) -> String { String(format: "%.10g", x) }

    /// `LO..HI` of rates (or one rate) into `steps` levels per hour, evenly spaced.
    static func levels(_ text: String, steps: Int) throws(PlanInputError) -> [Double] {
        let parts = text.components(separatedBy: "..").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count <= 2, let lo = try? Units.rate(parts[0]).get(), let hi = try? Units.rate(parts.last!).get() else {
            throw .demand(text, "write a rate range such as 8000/h..32000/h (or one rate)")
        }
        guard lo > 0, lo <= hi else { throw .demand(text, "the range is empty or not positive; write LO..HI with 0 < LO ≤ HI, e.g. 8000/h..32000/h") }
        if parts.count == 1 || lo == hi || steps == 1 { return [lo * 3600] }
        return (0..<steps).map { (lo + (hi - lo) * Double($0) / Double(steps - 1)) * 3600 }
    }
}
