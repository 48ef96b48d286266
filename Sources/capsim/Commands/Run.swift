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
            if let r = replications, !(1...CLILimits.maxReplications).contains(r) {
                throw ValidationError("--replications must be from 1 to \(CLILimits.maxReplications) (got \(r)); for more, merge several runs with different --seed")
            }
            if let t = threads, !(1...CLILimits.maxThreads).contains(t) {
                throw ValidationError("--threads must be from 1 to \(CLILimits.maxThreads) (got \(t)); omit it to use every core")
            }
        }

        func run() throws {
            // Load everything first: a bad file stops the command before any run starts.
            var configs: [ScenarioConfig] = []
            var problems: [String] = []
            for f in files {
                do { configs.append(try ScenarioConfig.load(path: f, overrides: overrides)) }
                catch { problems.append(error.description) }
            }
            if !problems.isEmpty { throw CLIError.badInput(problems.joined(separator: "\n")) }
            var failed = false
            for config in configs {
                let report = try Runner.execute(config, seed: seed, replications: replications, threads: threads)
                let dir = (out as NSString).appendingPathComponent(config.name)
                do { try ReportWriter.write(report, to: dir) }
                catch { throw CLIError.failure("cannot write the report to \(dir): \(error.localizedDescription)") }
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
        let seed = seed ?? config.seed
        let reps = replications ?? config.replications
        let threads = threads ?? Replications.availableThreads
        var progress: ScenarioRunner.Progress?
        if Console.stderrIsTerminal {
            let name = config.name
            progress = { @Sendable (rep: Int, fraction: Double) in
                let line = "\r\(name): replication \(rep + 1)/\(reps) \(Int(fraction * 100))%   "
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
        let runs: [RunMetrics]
        do {
            runs = try ScenarioRunner.run(config, seed: seed, replications: reps, threads: threads, progress: progress)
        } catch {
            throw CLIError.badInput("\(config.file): \(error)")
        }
        if progress != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        return Report(header: header(config, seed: seed, replications: reps), replications: runs)
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
