import Foundation
import Reports
import Scenario
import SimCore

extension PlanSetup {
    /// Runs the plan: per level (in parallel) the search and the scenario as written; then
    /// the headroom (bisection on demand between the last level that holds and the first
    /// that fails); then the sensitivity table (in parallel). Every parallel task is a
    /// deterministic sequence of evaluations, so the report does not depend on `threads`.
    func execute() throws -> PlanReport {
        try resolveObjectives()
        var runs = 1
        let outer = max(1, min(threads, levels.count))
        let inner = max(1, threads / outer)
        let tasks = Replications.run(count: levels.count, threads: outer) { [self] i -> (PlanSearch.Result, PlanEvaluation) in
            let level = levels[i]
            var search = PlanSearch(resources: resources) { values in
                self.evaluator.evaluate(self.overrides(level: level, values: values), threads: inner)
            }
            let result = search.run()
            let current = evaluator.evaluate(overrides(level: level, values: nil), threads: inner)
            return (result, current)
        }
        if let e = evaluator.firstError { throw CLIError.badInput("\(file): \(e)") }
        var planLevels: [PlanReport.Level] = []
        for (i, (result, current)) in tasks.enumerated() {
            planLevels.append(PlanReport.Level(demand: levels[i], result: result, resources: resources, current: current))
            runs += result.runs + current.runs
        }

        // Headroom of the scenario as written.
        var notes: [String] = []
        var headroom: Double?
        var failsAt: Double?
        var failing: PlanEvaluation?
        if let f = planLevels.firstIndex(where: { !$0.current.holds }) {
            failsAt = levels[f]
            failing = tasks[f].1
            if f > 0 {
                var lo = levels[f - 1], hi = levels[f]
                for _ in 0..<3 {
                    let mid = (lo + hi) / 2
                    let e = evaluator.evaluate(overrides(level: mid, values: nil), threads: threads)
                    runs += e.runs
                    if e.feasible { lo = mid } else { hi = mid; failing = e }
                }
                headroom = lo
                failsAt = hi
                notes.append("Headroom refined by 3 bisection steps on demand between the levels \(Report.num(levels[f - 1])) and \(Report.num(levels[f])) \(demand.unit).")
            }
            if planLevels[(f + 1)...].contains(where: \.current.holds) {
                notes.append("The scenario as written fails at \(Report.num(levels[f])) \(demand.unit) but holds at a higher level: demand is not monotone for it (replication noise or a non-monotone model); headroom is the last level before the first failure.")
            }
        } else {
            headroom = levels.last
        }
        var failingResources: [String] = []
        if let f = planLevels.firstIndex(where: { !$0.current.holds }) {
            let l = planLevels[f]
            if !l.feasible { failingResources = ["(beyond the varied ranges)"] }
            for (k, r) in resources.enumerated() where l.feasible {
                if let cur = currentValues[k], l.values[k] > cur { failingResources.append("\(r.label) (\(cur) → \(l.values[k]))") }
            }
        }
        let failingSLO = failing.flatMap { e in e.verdicts.filter { !$0.holds }.min { $0.margin < $1.margin } }.map {
            PlanReport.describe(PlanReport.Margin($0))
        }
        if let e = evaluator.firstError { throw CLIError.badInput("\(file): \(e)") }

        // Sensitivity at the level nearest the scenario's own demand.
        let base = levels.min { abs($0 - demand.current) < abs($1 - demand.current) }!
        var rows: [PlanReport.Sensitivity] = []
        if !assumptions.isEmpty {
            let jobs = assumptions.flatMap { a in [0.75, 1.25].map { (a, $0) } }
            let outerS = max(1, min(threads, jobs.count)), innerS = max(1, threads / outerS)
            var extras: [[String]] = []
            var levelsFor: [Double] = []
            for (a, f) in jobs {
                if demand.paths.contains(a) { extras.append([]); levelsFor.append(base * f) }
                else { extras.append([try PlanSensitivity.override(config, path: a, factor: f)]); levelsFor.append(base) }
            }
            let frozenExtras = extras, frozenLevels = levelsFor
            let results = Replications.run(count: jobs.count, threads: outerS) { [self] j -> PlanSearch.Result in
                var search = PlanSearch(resources: resources) { values in
                    self.evaluator.evaluate(self.overrides(level: frozenLevels[j], values: values, extra: frozenExtras[j]), threads: innerS)
                }
                return search.run()
            }
            if let e = evaluator.firstError { throw CLIError.badInput("\(file): \(e)") }
            for (j, r) in results.enumerated() {
                rows.append(PlanReport.Sensitivity(input: jobs[j].0, factor: jobs[j].1, result: r, resources: resources))
                runs += r.runs
            }
        }
        // More demand should never need less: say so where the answers disagree (noise in
        // the bounds, or a model that is not monotone in demand).
        for (i, a) in planLevels.enumerated() where a.feasible {
            for b in planLevels[(i + 1)...] where b.feasible && zip(b.values, a.values).allSatisfy({ $0 <= $1 }) && b.values != a.values {
                notes.append("More demand needed less: \(Report.num(b.demand)) \(demand.unit) needs \(configurationText(b.values)) but \(Report.num(a.demand)) needs \(configurationText(a.values)); "
                             + "the SLO margins there are within the replication noise, so add replications (--replications) or lengthen the run.")
                break
            }
        }
        if planLevels.contains(where: { $0.answer.costPerHour.isNaN }) {
            notes.append("The scenario has no costs: section; \"cheapest\" means the fewest resource units.")
        }
        if evaluator.replications == 1 {
            notes.append("One replication per configuration: an SLO holds on its point value (no confidence bound).")
        }
        return PlanReport(scenarioName: config.name, scenarioFile: config.file, model: config.model.rawValue, seed: evaluator.seed,
                          replications: evaluator.replications, confidence: evaluator.confidence, currency: config.costs?.currency ?? "",
                          demandUnit: demand.unit, demandNote: demand.note, resources: resources, currentValues: currentValues,
                          currentDemand: demand.current, levels: planLevels,
                          headroom: PlanReport.Headroom(demand: headroom, failsAt: failsAt, failingSLO: failingSLO, failingResources: failingResources),
                          sensitivityBase: assumptions.isEmpty ? nil : base, sensitivity: rows, runs: runs, notes: notes)
    }

    func configurationText(_ values: [Int]) -> String {
        zip(resources, values).map { "\($0.label)=\($1)" }.joined(separator: ", ")
    }
}
