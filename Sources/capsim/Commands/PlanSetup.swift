import Foundation
import Reports
import Scenario
import SimCore

/// Everything `capsim plan` checks before the first configuration runs: the scenario, its
/// SLOs (resolved against a pilot run), the resources, the demand levels and the inputs of
/// the sensitivity table. A problem with any of them is bad input (exit 2) and no report
/// is written.
struct PlanSetup {
    let config: ScenarioConfig
    let file: String
    let baseOverrides: [String]
    let resources: [PlanResource]
    let levels: [Double]
    let demand: PlanDemand
    let assumptions: [String]
    let evaluator: PlanEvaluator
    let threads: Int
    let currentValues: [Int?]

    init(command c: Capsim.Plan) throws {
        file = c.file
        baseOverrides = c.overrides
        do { config = try ScenarioConfig.load(path: c.file, overrides: c.overrides) }
        catch { throw CLIError.badInput(error.description) }
        let plan = config.plan
        if config.slos.isEmpty {
            throw CLIError.badInput("\(c.file): the scenario has no slos:, so every configuration \"holds\" and the plan would be the smallest one\n    fix: add e.g. `slos: [{ metric: server.wait, stat: p99, max: 5s }]`")
        }
        let varyArgs = c.vary.isEmpty ? (plan?.vary ?? []) : c.vary
        if varyArgs.isEmpty {
            throw CLIError.badInput("\(c.file): nothing to size\n    fix: give --vary path=LO..HI (e.g. --vary services.order_service.replicas=1..40) or list them under `plan: { vary: [...] }`")
        }
        var resources: [PlanResource] = []
        do {
            for v in varyArgs { resources.append(try PlanResource.parse(v)) }
        } catch { throw CLIError.badInput("\(c.file): \(error.description)") }
        for (i, r) in resources.enumerated() where resources[..<i].contains(where: { $0.path == r.path }) {
            throw CLIError.badInput("\(c.file): --vary \(r.path) is given twice\n    fix: give each resource once")
        }
        self.resources = resources
        demand = try PlanDemand.of(config)
        let steps = c.steps ?? plan?.steps ?? 5
        let demandText = c.demand ?? plan?.demand ?? "\(PlanDemand.number(demand.current * 0.5))/h..\(PlanDemand.number(demand.current * 2))/h"
        do { levels = try PlanDemand.levels(demandText, steps: steps) }
        catch { throw CLIError.badInput("\(c.file): \(error.description)") }
        assumptions = c.noSensitivity ? [] : (c.sensitivity.isEmpty ? (plan?.assumptions ?? []) : c.sensitivity)
        threads = c.threads ?? Replications.availableThreads
        let reps = max(1, c.replications ?? plan?.replications ?? config.replications)
        evaluator = PlanEvaluator(file: c.file, seed: c.seed ?? config.seed, replications: reps,
                                  confidence: Capsim.Plan.confidenceLevel(c.confidence) ?? 0.95, threads: threads)

        // Every resource's path must exist and its extreme values must load at the extreme levels.
        var current: [Int?] = []
        for r in resources {
            let parts = r.path.split(separator: ".").map(String.init)
            let pinned = parts.count == 3 && parts[0] == "services" && parts[2] == "replicas"
            let node = PlanSetup.node(config.document, pinned ? [parts[0], parts[1], "min"] : parts)
            if node == nil {
                throw CLIError.badInput("\(c.file): --vary \(r.path): the scenario has no value at '\(r.path)'\n    fix: name a whole-number key the scenario sets, e.g. queueing.stations.<name>.servers, services.<name>.replicas, couriers.count, database.shards")
            }
            current.append(node?.intValue)
        }
        currentValues = current
        for level in Set([levels.first!, levels.last!]).sorted() {
            for r in resources {
                for v in Set([r.values.first!, r.values.last!]).sorted() {
                    let o = c.overrides + demand.overrides(level) + r.assignments(v)
                    do { _ = try ScenarioConfig.load(path: c.file, overrides: o) }
                    catch { throw CLIError.badInput("--vary \(r.path) at \(v), demand \(Report.num(level)) \(demand.unit):\n\(error.description)") }
                }
            }
        }
        for a in assumptions where !demand.paths.contains(a) {
            _ = try PlanSensitivity.override(config, path: a, factor: 1.25)
        }
    }

    static func node(_ root: ConfigNode, _ parts: [String]) -> ConfigNode? {
        var n: ConfigNode? = root
        for k in parts { n = n.flatMap { x in x.items.map { l in Int(k).flatMap { l.indices.contains($0) ? l[$0] : nil } } ?? x[k] } }
        return n
    }

    /// Overrides of a configuration at a demand level (with an optional extra input override).
    func overrides(level: Double, values: [Int]?, extra: [String] = []) -> [String] {
        var o = baseOverrides + demand.overrides(level)
        if let values { for (r, v) in zip(resources, values) { o += r.assignments(v) } }
        return o + extra
    }

    /// Resolves the SLOs against a pilot run of the scenario as written at the first level.
    /// - Throws: `CLIError.badInput` naming the SLO, the file and a fix (unknown metric, ...).
    func resolveObjectives() throws {
        let (report, _) : (Report, [FigureTable])
        do {
            let one = PlanEvaluator(file: file, seed: evaluator.seed, replications: 1, confidence: evaluator.confidence, threads: 1)
            (report, _) = try one.runAll(overrides(level: levels[0], values: nil), threads: 1)
        } catch { throw CLIError.badInput("\(file): \(error)") }
        let table = FigureTable(report: report)
        var out: [ResolvedObjective] = []
        for slo in config.slos {
            do { out.append(try Objective(slo).resolve(in: table)) }
            catch { throw CLIError.badInput(error.description) }
        }
        evaluator.objectives = out
    }
}
