import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore
import World

extension Capsim {
    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(
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

        @Option(help: "Threads for replications (default: all cores). Does not change results.")
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
            let configs = try ScenarioBatch.load(files, overrides: overrides)
            var failed = false
            for config in configs {
                let run = try Runner.executeReplicated(config, seed: seed, replications: replications, threads: threads)
                guard run.report.invariantsHold else {
                    failed = true
                    Console.error("\(config.name): invariants violated, no baseline written: "
                                  + run.report.invariants.filter { !$0.holds }.map { "\($0.name) (\($0.detail))" }.joined(separator: "; "))
                    continue
                }
                let folder = (dir as NSString).appendingPathComponent(config.name)
                do { try BaselineFiles.write(run, to: folder) }
                catch { throw CLIError.failure("cannot write the baseline to \(folder): \(error.localizedDescription)") }
                print("\(config.name): baseline written to \(folder) (seed \(run.report.header.seed), \(run.report.header.replications) replication(s))")
            }
            if failed { throw ExitCode(1) }
        }
    }
}

/// What a baseline folder holds, and how it is written.
enum BaselineFiles {
    static func write(_ run: ReplicatedRun, to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let record = ReplicationRecord.json(seed: run.report.header.seed, replications: run.perReplication)
        for (name, text) in [("report.json", run.report.json.serialized(sortedKeys: true)), ("report.md", run.report.markdown),
                             (ReplicationRecord.fileName, record.serialized(sortedKeys: true))] {
            try AtomicFile.write(text, to: (folder as NSString).appendingPathComponent(name))
        }
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
        var names: [String] = []
        for c in configs {
            if names.contains(c.name) { throw CLIError.badInput("two scenarios are named '\(c.name)'; names must differ (they name the report folders)") }
            names.append(c.name)
        }
        return configs
    }
}

extension Runner {
    /// Like `execute`, also returning each replication's own report, and without progress
    /// output (sweeps run several of these at once).
    ///
    /// Replication i runs on `StreamSeeder.replicationSeed(seed, i)`, which depends only on
    /// (seed, i): two runs of the same seed pair up replication by replication (common
    /// random numbers), whatever the thread count.
    static func executeReplicated(_ config: ScenarioConfig, seed: UInt64?, replications: Int?, threads: Int?) throws -> ReplicatedRun {
        let seed = seed ?? config.seed
        let reps = replications ?? config.replications
        let runs: [RunMetrics]
        do {
            runs = try ScenarioRunner.run(config, seed: seed, replications: reps, threads: threads ?? Replications.availableThreads)
        } catch {
            throw CLIError.badInput("\(config.file): \(error)")
        }
        let header = Runner.header(config, seed: seed, replications: reps)
        let per = runs.enumerated().map { (i, r) -> Report in
            var h = header
            h.replications = 1
            h.seed = StreamSeeder.replicationSeed(seed, index: i)
            return Report(header: h, replications: [r])
        }
        return ReplicatedRun(report: Report(header: header, replications: runs), perReplication: per)
    }
}
