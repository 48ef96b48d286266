import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore
import World

extension Capsim {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run scenarios and write their reports.",
            discussion: "Writes <out>/<scenario name>/report.json (canonical), report.md, series.csv and summary.csv.")

        @Argument(help: "Scenario files (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var files: [String]

        @Option(help: "Master seed (overrides the scenario's seed).")
        var seed: UInt64?

        @Option(help: "Independent replications with derived seeds (overrides the scenario).")
        var replications: Int?

        @Option(help: "Threads for replications (default: all cores). Does not change results.")
        var threads: Int?

        @Option(help: "Folder that receives one report folder per scenario.")
        var out: String = "reports"

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value: path=value (repeatable).", valueName: "path=value"))
        var overrides: [String] = []

        @Flag(help: "No summary on stdout.")
        var quiet = false

        func validate() throws {
            if let r = replications, r < 1 { throw ValidationError("--replications must be at least 1 (got \(r))") }
            if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1 (got \(t))") }
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

    /// Evaluates a scenario's units (its replications, in index order) and merges them.
    static func execute(_ config: ScenarioConfig, units: [WorkUnit], from source: UnitSource) throws -> ReplicatedRun {
        let reps = units.count
        var progress: (@Sendable (Int, Int, Double) -> Void)?
        if Console.stderrIsTerminal, case .local = source {
            let name = config.name
            progress = { @Sendable (_: Int, rep: Int, fraction: Double) in
                let line = "\r\(name): replication \(rep + 1)/\(reps) \(Int(fraction * 100))%   "
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        let seed = units.first?.seed ?? config.seed
        let runs = try UnitEvaluation.evaluate([units.map { (config, $0) }], from: source, progress: progress) { _, runs in
            Runner.merge(config, seed: seed, runs: runs)
        }
        if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        return runs[0]
    }

    /// The report header of a scenario run with `seed` and `replications`.
    static func header(_ config: ScenarioConfig, seed: UInt64, replications: Int) -> Report.Header {
        Report.Header(scenarioName: config.name, scenarioFile: config.file, description: config.description,
                      resolvedScenario: config.document.toJSONValue(), seed: seed, replications: replications,
                      model: config.model.rawValue)
    }

    /// Milliseconds as a duration with a fitting unit ("1.44e6 ms" reads as "24.1min").
    static func readable(_ ms: Double) -> String { DurationFormat.short(SimTime((ms * 1e6).rounded())) }

    /// The run in a few lines: the metrics the scenario's SLOs name first, then the others
    /// (eight in all), the invariants, and the advisor's errors and warnings.
    static func summary(_ r: Report, dir: String, first: [String] = []) -> String {
        var lines = ["\(r.header.scenarioName): \(r.events) events, \(DurationFormat.short(r.simulatedTime)) simulated, \(r.header.replications) replication(s)"]
        let named = r.latencies.filter { $0.1.count > 0 }
        let ordered = named.filter { first.contains($0.0) } + named.filter { !first.contains($0.0) }
        for (name, s) in ordered.prefix(8) {
            lines.append("  \(name): mean \(readable(s.mean)), p99 \(readable(s.p99)) (n=\(s.count))")
        }
        if ordered.count > 8 { lines.append("  … \(ordered.count - 8) more metrics in the report") }
        if !r.invariants.isEmpty {
            let broken = r.invariants.filter { !$0.holds }.count
            lines.append(broken == 0 ? "  invariants: all \(r.invariants.count) hold" : "  invariants: \(broken) of \(r.invariants.count) VIOLATED")
        }
        let serious = r.findings.filter { $0.severity == "error" || $0.severity == "warning" }
        if !r.findings.isEmpty {
            lines.append("  findings: \(r.findings.count) (\(serious.count) errors or warnings)")
            for f in serious.prefix(4) { lines.append("    \(f.severity) \(f.code): \(f.message)") }
            if serious.count > 4 { lines.append("    … \(serious.count - 4) more in the report") }
        }
        lines.append("  report: \(dir)/report.html (and report.md, report.json, series.csv, summary.csv)")
        return lines.joined(separator: "\n")
    }
}
