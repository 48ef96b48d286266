import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore
import World

extension Capsim {
    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "baseline",
            abstract: "Write the baselines `capsim check --baseline` compares against.",
            discussion: """
                Runs each scenario and writes <dir>/<scenario name>/report.json, report.md and \
                replications.json (each replication's figures, for `check --mode statistical`). \
                Baselines are only ever written by this command, never by check: commit them \
                when a change of the numbers is intended.
                """)

        @Argument(help: "Scenario files (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var files: [String]

        @Option(help: "Folder that receives one baseline folder per scenario.")
        var dir: String = "baselines"

        @Option(help: "Master seed (overrides the scenario's seed).")
        var seed: UInt64?

        @Option(help: "Replications (overrides the scenario); the statistical gate needs at least 2.")
        var replications: Int?

        @Option(help: "Threads for replications, and for the regions of one run when the scenario sets parallel_regions (default: all cores). Does not change results.")
        var threads: Int?

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value: path=value (repeatable).", valueName: "path=value"))
        var overrides: [String] = []

        func validate() throws {
            if let r = replications, !(1...CLILimits.maxReplications).contains(r) {
                throw ValidationError("--replications must be from 1 to \(CLILimits.maxReplications) (got \(r)); for more, merge several runs with different --seed")
            }
            if let t = threads, !(1...CLILimits.maxThreads).contains(t) {
                throw ValidationError("--threads must be from 1 to \(CLILimits.maxThreads) (got \(t)); omit it to use every core")
            }
        }

        func run() throws {
            try OutputPaths.checkFolderOption(dir, flag: "--dir")
            let configs = try ScenarioBatch.load(files, overrides: overrides)
            try OutputPaths.checkReplaceable(configs.map { OutputPaths.reportFolder(dir, $0.name) }, names: ReportWriter.replaceableNames)
            var failed = false
            for config in configs {
                let line = ProgressLine.onTerminal("baseline \(config.name)", units: replications ?? config.replications)
                let run = try Runner.executeReplicated(config, seed: seed, replications: replications, threads: threads, progress: line)
                line?.finish()
                guard run.report.invariantsHold else {
                    failed = true
                    Console.error("\(config.name): invariants violated, no baseline written: "
                                  + run.report.invariants.filter { !$0.holds }.map { "\($0.name) (\($0.detail))" }.joined(separator: "; "))
                    continue
                }
                let folder = OutputPaths.reportFolder(dir, config.name)
                do { try BaselineFiles.write(run, to: folder) }
                catch { throw OutputPaths.writeFailure("the baseline to \(folder)", error) }
                print("\(config.name): baseline written to \(folder) (seed \(run.report.header.seed), \(run.report.header.replications) replication(s))")
            }
            if failed { throw ExitCode(1) }
        }
    }
}

/// What a baseline folder holds, and how it is written.
enum BaselineFiles {
    /// report.json, report.md and replications.json, as one set (``ReportSetWriter``).
    static func write(_ run: ReplicatedRun, to folder: String) throws {
        let record = ReplicationRecord.json(seed: run.report.header.seed, replications: run.perReplication)
        try ReportSetWriter.write([("report.json", run.report.json.serialized(sortedKeys: true)), ("report.md", run.report.markdown),
                                   (ReplicationRecord.fileName, record.serialized(sortedKeys: true))], to: folder,
                                  alsoReplaces: ["report.html", "series.csv", "summary.csv"])   // a report folder made a baseline
    }
}

/// A run together with each replication's own one-replication report: what baselines, the
/// statistical gate and paired comparisons need (report.json keeps only merged figures).
struct ReplicatedRun: Sendable {
    var report: Report
    var perReplication: [Report]
}

/// Loading several scenario files with the same overrides, all before anything runs.
enum ScenarioBatch {
    /// Every file's config; bad files are reported together (exit 2), as are two scenarios
    /// with the same name (their report and baseline folders would collide).
    static func load(_ files: [String], overrides: [String]) throws -> [ScenarioConfig] {
        var configs: [ScenarioConfig] = []
        var problems: [String] = []
        for f in files {
            do { configs.append(try ScenarioConfig.load(path: f, overrides: overrides)) }
            catch { problems.append(error.description) }
        }
        if !problems.isEmpty { throw CLIError.badInput(problems.joined(separator: "\n")) }
        try SLOPreflight.require(configs)
        try OutputPaths.checkDistinctFolders(configs)
        return configs
    }
}

extension Runner {
    /// Like `execute`, also returning each replication's own report. Progress goes to
    /// `progress` when given (unit i = replication i + `offset`), so a sweep or a batch
    /// shows one aggregate line for all of its work.
    ///
    /// Replication i runs on `StreamSeeder.replicationSeed(seed, i)`, which depends only on
    /// (seed, i): two runs of the same seed pair up replication by replication (common
    /// random numbers), whatever the thread count.
    static func executeReplicated(_ config: ScenarioConfig, seed: UInt64?, replications: Int?, threads: Int?,
                                  progress line: ProgressLine? = nil, offset: Int = 0) throws -> ReplicatedRun {
        // The one path: the scenario's units, evaluated here and merged (as run and sweep do).
        let seed = seed ?? config.seed
        let units = UnitEvaluation.units(config, overrides: [], seed: seed, replications: replications ?? config.replications)
        return try Runner.execute(config, units: units, from: .local(threads: threads ?? Replications.availableThreads),
                                  progress: line, offset: offset)
    }
}
