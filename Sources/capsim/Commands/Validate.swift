import ArgumentParser
import Reports
import Scenario
import SimCore
import World

extension Capsim {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check scenario files without running them.",
            discussion: """
                Prints every problem with file:line, the key, and a fix: the schema, the cross-field \
                checks, the work limits, and every SLO's metric and statistic (against the metrics the \
                model reports). Exit 0 when all are valid, 2 otherwise.
                """)

        @Argument(help: "Scenario files (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var files: [String]

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value: path=value (repeatable).", valueName: "path=value"))
        var overrides: [String] = []

        func run() throws {
            var bad = 0
            for f in files {
                do {
                    let c = try ScenarioConfig.load(path: f, overrides: overrides)
                    let sloProblems = SLOPreflight.problems(c)
                    if !sloProblems.isEmpty {
                        bad += 1
                        Console.error(sloProblems.joined(separator: "\n"))
                        continue
                    }
                    print("\(f): ok (\(c.name), model \(c.model.rawValue))")
                } catch {
                    bad += 1
                    Console.error(error.description)
                }
            }
            if bad > 0 { throw CLIError.badInput("\(bad) of \(files.count) scenario file(s) invalid") }
        }
    }
}

/// Bounds on command-line values, so a typo cannot ask for gigabytes (each replication
/// keeps its metrics until the merge) or thousands of threads.
enum CLILimits {
    static let maxReplications = 1_000
    static let maxThreads = 256
}

/// The SLO checks `check` makes after a run, made before it: each objective must name a
/// metric the model reports, with a statistic that metric has and a limit in its unit.
/// The metric names come from the model itself (`ScenarioRunner.metricCatalog`), resolved by
/// the same `Objective.resolve` the gates use.
enum SLOPreflight {
    /// Bad input (exit 2) when an SLO of `configs` names a metric the model does not have,
    /// before anything runs (the model is built, not run: milliseconds).
    static func require(_ configs: [ScenarioConfig]) throws {
        let found = configs.flatMap { Self.problems($0) }
        if !found.isEmpty { throw CLIError.badInput(found.joined(separator: "\n")) }
    }

    static func problems(_ config: ScenarioConfig) -> [String] {
        guard !config.slos.isEmpty else { return [] }
        let metrics: RunMetrics
        do { metrics = try ScenarioRunner.metricCatalog(config) } catch { return ["\(config.file): \(error)"] }
        let header = Report.Header(scenarioName: config.name, scenarioFile: config.file, description: config.description,
                                   resolvedScenario: .null, seed: config.seed, replications: 1, model: config.model.rawValue)
        let table = FigureTable(report: Report(header: header, replications: [metrics]))
        var out: [String] = []
        for slo in config.slos {
            do { _ = try Objective(slo).resolve(in: table) } catch {
                out.append("\(error)" + "\n    fix: name a metric and statistic from the list (see report.json of a run)")
            }
        }
        return out
    }
}
