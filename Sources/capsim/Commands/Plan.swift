import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore

extension Capsim {
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Capacity plan: per demand level, the cheapest configuration for which every SLO holds, its cost, and what breaks first.",
            discussion: """
                A demand level is the peak-hour rate of the scenario's profile (platform: orders/h in the \
                profile's busiest hour; queueing: external arrivals/h at the largest profile multiplier). \
                For each level plan finds the cheapest values of the --vary resources for which every SLO \
                holds, where an SLO holds when the one-sided --confidence bound of its figure across the \
                common-random-number replications is within the limit (with one replication, the point \
                value). The search bisects each resource and descends across resources, caches every \
                configuration, checks that one step less of the binding resource fails, and falls back to \
                a local grid where monotonicity fails. It also gives the headroom of the scenario as \
                written and, for inputs listed under `plan: { assumptions: [...] }` (or --sensitivity), \
                the answer with each at ±25 %. Defaults for --vary, --demand, --steps and --replications \
                come from the scenario's `plan:` section. Writes <out>/<name>-plan/plan.json (canonical), \
                plan.md, plan.html and plan.csv. Exit 2 on bad input (no report written); 0 otherwise, \
                infeasible levels included.
                """)

        @Argument(help: "Scenario file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        @Option(help: ArgumentHelp("Peak-hour demand levels: LO..HI (rates, e.g. 8000/h..32000/h) or one rate.", valueName: "LO..HI"))
        var demand: String?

        @Option(help: "Demand levels from LO to HI, evenly spaced (default: the scenario's plan.steps, else 5).")
        var steps: Int?

        @Option(name: .customLong("vary"), help: ArgumentHelp("A resource to size: path=LO..HI[:STEP] or path=v1,v2,... increasing (repeatable). services.<name>.replicas pins a pool (min = max).", valueName: "path=LO..HI"))
        var vary: [String] = []

        @Option(name: .customLong("sensitivity"), help: ArgumentHelp("An input to vary by ±25 % (repeatable; default: the scenario's plan.assumptions).", valueName: "path"))
        var sensitivity: [String] = []

        @Flag(name: .customLong("no-sensitivity"), help: "Skip the sensitivity table.")
        var noSensitivity = false

        @Option(help: "Replications per configuration (default: plan.replications, else the scenario's, at least 1).")
        var replications: Int?

        @Option(help: "One-sided confidence of the SLO bound: 95% or 0.95.")
        var confidence: String = "95%"

        @Option(help: "Master seed (overrides the scenario's seed).")
        var seed: UInt64?

        @Option(help: "Threads (default: all cores). Does not change results.")
        var threads: Int?

        @Option(help: "Folder that receives <scenario name>-plan/.")
        var out: String = "reports"

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value everywhere: path=value (repeatable).", valueName: "path=value"))
        var overrides: [String] = []

        @Flag(help: "No summary on stdout.")
        var quiet = false

        func validate() throws {
            if let s = steps, s < 1 { throw ValidationError("--steps must be at least 1 (got \(s))") }
            if let r = replications, r < 1 { throw ValidationError("--replications must be at least 1 (got \(r))") }
            if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1 (got \(t))") }
            guard let c = Plan.confidenceLevel(confidence) else {
                throw ValidationError("--confidence '\(confidence)': write a level between 50% and 99.99%, e.g. 95% or 0.95")
            }
            _ = c
        }

        static func confidenceLevel(_ text: String) -> Double? {
            guard let t = Tolerance(text), t.fraction > 0.5, t.fraction < 1 else { return nil }
            return t.fraction
        }

        func run() throws {
            try OutputPaths.checkFolderOption(out, flag: "--out")
            let setup = try PlanSetup(command: self)
            let root = OutputPaths.reportFolder(out, "\(setup.config.name)-plan")
            let names: Set<String> = ["plan.json", "plan.md", "plan.html", "plan.csv"]
            try OutputPaths.checkReplaceable([root], names: names)
            let report = try setup.execute()
            let files: [(path: String, contents: String)] = [("plan.json", report.json.serialized(sortedKeys: true)), ("plan.md", report.markdown),
                                                             ("plan.html", report.html), ("plan.csv", report.csv)]
            // One set, swapped in whole (a killed plan leaves the old report or the new one).
            do { try ReportSetWriter.write(files, to: root, alsoReplaces: names) }
            catch { throw OutputPaths.writeFailure(root, error) }
            if !quiet {
                print(report.summary, terminator: "")
                print("  report: \(root)/plan.html (and plan.md, plan.json, plan.csv)")
            }
        }
    }
}
