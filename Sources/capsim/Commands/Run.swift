import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore
import World

extension Capsim {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run scenarios and write their reports.",
            discussion: "Writes <out>/<scenario name>/report.json (canonical), report.md, series.csv and summary.csv.")

        @Argument(help: "Scenario files (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var files: [String]

        @Option(help: "Master seed (overrides the scenario's seed).")
        var seed: UInt64?

        @Option(help: "Independent replications with derived seeds (overrides the scenario).")
        var replications: Int?

        @Option(help: "Threads for replications, and for the regions of one run when the scenario sets parallel_regions (default: all cores). Does not change results.")
        var threads: Int?

        @Option(help: "Folder that receives one report folder per scenario.")
        var out: String = "reports"

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value: path=value (repeatable).", valueName: "path=value"))
        var overrides: [String] = []

        @Flag(help: "No summary on stdout.")
        var quiet = false

        func validate() throws {
            if let r = replications, !(1...CLILimits.maxReplications).contains(r) {
                throw ValidationError("--replications must be from 1 to \(CLILimits.maxReplications) (got \(r)); for more, merge several runs with different --seed")
            }
            if let t = threads, !(1...CLILimits.maxThreads).contains(t) {
                throw ValidationError("--threads must be from 1 to \(CLILimits.maxThreads) (got \(t)); omit it to use every core")
            }
        }

        func run() throws { try run(from: .local(threads: threads ?? Replications.availableThreads)) }

        /// The scenarios and each one's units (replications), all loaded before anything runs:
        /// a bad file stops the command before any run starts. `capsim units run` prints these.
        func plan() throws -> [(config: ScenarioConfig, units: [WorkUnit])] {
            try OutputPaths.checkFolderOption(out, flag: "--out")
            var configs: [ScenarioConfig] = []
            var problems: [String] = []
            for f in files {
                do { configs.append(try ScenarioConfig.load(path: f, overrides: overrides)) }
                catch { problems.append(error.description) }
            }
            if !problems.isEmpty { throw CLIError.badInput(problems.joined(separator: "\n")) }
            try SLOPreflight.require(configs)
            try OutputPaths.checkDistinctFolders(configs)
            try OutputPaths.checkReplaceable(configs.map { OutputPaths.reportFolder(out, $0.name) }, names: ReportWriter.replaceableNames)
            return configs.map { c in
                (c, UnitEvaluation.units(c, overrides: overrides, seed: seed ?? c.seed, replications: replications ?? c.replications))
            }
        }

        /// Runs the plan with replications evaluated here or read from parts (`capsim merge`).
        func run(from source: UnitSource) throws {
            var failed = false
            for (config, units) in try plan() {
                let run = try Runner.execute(config, units: units, from: source)
                let report = run.report
                let dir = OutputPaths.reportFolder(out, config.name)
                // replications.json belongs to the set: written and swapped in with the report.
                do { try ReportWriter.write(report, to: dir, extra: [Runner.replicationRecord(run)]) }
                catch { throw OutputPaths.writeFailure("the report to \(dir)", error) }
                if !quiet { print(Runner.summary(report, dir: dir, first: config.slos.map(\.metric) + ["click_to_door", "matching_delay"])) }
                if !report.invariantsHold {
                    failed = true
                    Console.error("\(config.name): invariants violated: " + report.invariants.filter { !$0.holds }.map { "\($0.name) (\($0.detail))" }.joined(separator: "; "))
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}

/// Shared by run, check and sweep: executes one scenario into a report.
enum Runner {
    static func execute(_ config: ScenarioConfig, seed: UInt64?, replications: Int?, threads: Int?) throws -> Report {
        let units = UnitEvaluation.units(config, overrides: [], seed: seed ?? config.seed, replications: replications ?? config.replications)
        return try execute(config, units: units, from: .local(threads: threads ?? Replications.availableThreads)).report
    }

    /// Evaluates a scenario's units (its replications, in index order), merges them and
    /// resolves the scenario's SLOs against the result. Progress (local evaluation on a
    /// terminal) goes to `line` when given, unit k as `offset + k`, else to a line of its own.
    static func execute(_ config: ScenarioConfig, units: [WorkUnit], from source: UnitSource,
                        progress shared: ProgressLine? = nil, offset: Int = 0) throws -> ReplicatedRun {
        var line = shared
        var own = false
        if line == nil, case .local = source {
            line = ProgressLine.onTerminal(config.name, units: units.count)
            own = line != nil
        }
        let progress: (@Sendable (Int, Int, Double) -> Void)? = line.map { l in { @Sendable (_: Int, rep: Int, f: Double) in l.update(offset + rep, f) } }
        let seed = units.first?.seed ?? config.seed
        let runs: [ReplicatedRun]
        do {
            runs = try UnitEvaluation.evaluate([units.map { (config, $0) }], from: source, progress: progress) { _, runs in
                Runner.merge(config, seed: seed, runs: runs)
            }
        } catch {
            if own { line?.finish() }
            throw error
        }
        if own { line?.finish() }
        var run = runs[0]
        try attachObjectives(&run.report, config)
        return run
    }

    /// Resolves the scenario's SLOs against the report, so every output opens with them.
    /// An SLO naming a metric the run does not have is bad input (exit 2).
    static func attachObjectives(_ report: inout Report, _ config: ScenarioConfig) throws {
        let table = FigureTable(report: report)
        var out: [ResolvedObjective] = []
        for slo in config.slos {
            do { out.append(try Objective(slo).resolve(in: table)) } catch { throw CLIError.badInput(error.description) }
        }
        report.objectives = out
    }

    /// The report header of a scenario run with `seed` and `replications`.
    static func header(_ config: ScenarioConfig, seed: UInt64, replications: Int) -> Report.Header {
        Report.Header(scenarioName: config.name, scenarioFile: config.file, description: config.description,
                      resolvedScenario: config.document.toJSONValue(), seed: seed, replications: replications,
                      model: config.model.rawValue, capsimVersion: Capsim.configuration.version, modelVersion: ModelVersion.current)
    }

    /// Milliseconds as a duration with a fitting unit ("1.44e6 ms" reads as "24.1min").
    static func readable(_ ms: Double) -> String { DurationFormat.short(SimTime((ms * 1e6).rounded())) }

    /// The run in a few lines, verdicts first: the SLOs (failures and their causes before
    /// passes), the invariants, the findings grouped by cause (errors and warnings), then
    /// the metrics the SLOs name and the others (eight in all).
    static func summary(_ r: Report, dir: String, first: [String] = []) -> String {
        var lines = ["\(r.header.scenarioName): \(r.events) events, \(DurationFormat.short(r.simulatedTime)) simulated, \(r.header.replications) replication(s)"]
        let evaluations = r.sloEvaluations()
        if !evaluations.isEmpty {
            let failed = evaluations.filter { !$0.evaluation.passed }
            lines.append(failed.isEmpty ? "  SLOs: all \(evaluations.count) met" : "  SLOs: \(failed.count) of \(evaluations.count) NOT met")
            for (o, e) in evaluations {
                var line = "    \(e.verdict == .pass ? "pass" : e.verdict == .fail ? "FAIL" : "NO DATA") \(o.label) = \(o.formatted(e.value)), limit \(o.limitText)"
                if let m = e.margin { line += " (margin \(m >= 0 ? "" : "−")\(Report.num(abs(m) * 100)) %)" }
                lines.append(line)
                if e.verdict == .noData { lines.append("      cause: no samples after the warm-up; lengthen the run or shorten the warm-up") }
                if e.verdict == .fail { for c in r.causes(of: o) { lines.append("      cause: \(c)") } }
            }
        }
        if !r.invariants.isEmpty {
            let broken = r.invariants.filter { !$0.holds }.count
            lines.append(broken == 0 ? "  invariants: all \(r.invariants.count) hold" : "  invariants: \(broken) of \(r.invariants.count) VIOLATED")
        }
        let serious = r.findingGroups.filter { $0.severity == "error" || $0.severity == "warning" }
        if !r.findings.isEmpty {
            lines.append("  findings: \(r.findings.count) (\(serious.reduce(0) { $0 + $1.findings.count }) errors or warnings)")
            for g in serious.prefix(4) {
                lines.append("    \(g.severity) — \(g.title):")
                for f in g.findings.prefix(3) { lines.append("      \(f.message)") }
                if g.findings.count > 3 { lines.append("      … \(g.findings.count - 3) more in the report") }
            }
            if serious.count > 4 { lines.append("    … \(serious.count - 4) more causes in the report") }
        }
        let named = r.latencies.filter { $0.1.count > 0 }
        let ordered = named.filter { first.contains($0.0) } + named.filter { !first.contains($0.0) }
        for (name, s) in ordered.prefix(8) {
            lines.append("  \(name): mean \(readable(s.mean)), p99 \(readable(s.p99)) (n=\(s.count))")
        }
        if ordered.count > 8 { lines.append("  … \(ordered.count - 8) more metrics in the report") }
        let empty = r.latencies.filter { $0.1.count == 0 }.map(\.0)
        if !empty.isEmpty { lines.append("  no data (no samples after the warm-up): " + empty.joined(separator: ", ")) }
        lines.append("  report: \(dir)/report.html (and report.md, report.json, series.csv, summary.csv)")
        return lines.joined(separator: "\n")
    }
}
