import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore

extension Capsim {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Gate a change: check each scenario's SLOs and compare with a baseline.",
            discussion: """
                Prints the failures first, each with its cause, then the passes, then a last line \
                `N passed, N failed`. A figure without samples is no data and fails its SLO or baseline check. \
                With --baseline, the scenario difference is printed; when duration, warm-up, seed or \
                replications differ the figures are not like for like and check exits 2 unless \
                --allow-scenario-change is given; a different model version is noted. \
                Exit 0 when all pass, 1 when one fails, 2 on bad input (a scenario, a flag, a missing \
                baseline, an SLO naming an unknown metric).

                --mode exact (default) replays the baseline's seed and replications: any difference is \
                a real change, and a figure fails when it is worse by more than the tolerance. \
                --mode statistical is for changes that alter random draws: replication i of baseline \
                and candidate share a seed, and a figure fails only when the interval (95 % family-wise) of the \
                mean paired difference lies beyond the tolerance (needs a baseline of ≥ 2 replications).
                """)

        @Argument(help: "Scenario files (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var files: [String]

        @Option(help: "Folder of baselines written by `capsim baseline` (<dir>/<scenario name>/report.json).")
        var baseline: String?

        @Option(help: "Allowed relative change against the baseline: 5% or 0.05.")
        var tolerance: String = "5%"

        @Option(help: "Absolute allowance added to the tolerance for latency figures, as a duration (e.g. 1ms).")
        var floor: String = "0"

        @Option(help: "Baseline comparison: exact (same seed replay) or statistical (paired replications).")
        var mode: String = "exact"

        @Option(help: "Write JUnit XML (one testcase per check) to this file.")
        var junit: String?

        @Option(help: "Write a Markdown summary (for a CI job page) to this file.")
        var markdown: String?

        @Option(help: "Also write each scenario's report folder here.")
        var out: String?

        @Option(help: "Threads for replications, and for the regions of one run when the scenario sets parallel_regions (default: all cores). Does not change results.")
        var threads: Int?

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value: path=value (repeatable).", valueName: "path=value"))
        var overrides: [String] = []

        @Flag(help: "Compare with a baseline even when duration, warm-up, seed or replications differ (the figures are then not like for like).")
        var allowScenarioChange = false

        func validate() throws {
            if Tolerance(tolerance) == nil { throw ValidationError("--tolerance '\(tolerance)': write a percentage like 5% or a fraction like 0.05") }
            if BaselineGate.Mode(rawValue: mode) == nil { throw ValidationError("--mode '\(mode)': use exact or statistical") }
            if mode == "statistical" && baseline == nil { throw ValidationError("--mode statistical compares with a baseline; give --baseline DIR") }
            if (try? Units.duration(floor).get()) == nil { throw ValidationError("--floor '\(floor)': write a duration like 1ms or 0") }
            if let t = threads, !(1...CLILimits.maxThreads).contains(t) {
                throw ValidationError("--threads must be from 1 to \(CLILimits.maxThreads) (got \(t)); omit it to use every core")
            }
        }

        func run() throws {
            let floorMs = Double((try? Units.duration(floor).get()) ?? 0) / 1e6
            let gate = BaselineGate(tolerance: Tolerance(tolerance)!.fraction, latencyFloor: floorMs)
            let mode = BaselineGate.Mode(rawValue: self.mode)!
            if let junit { try OutputPaths.checkFileOption(junit, flag: "--junit", example: "junit.xml") }
            if let markdown { try OutputPaths.checkFileOption(markdown, flag: "--markdown", example: "summary.md") }
            if let out { try OutputPaths.checkFolderOption(out, flag: "--out") }
            let configs = try ScenarioBatch.load(files, overrides: overrides)
            if let out { try OutputPaths.checkReplaceable(configs.map { OutputPaths.reportFolder(out, $0.name) }, names: ReportWriter.replaceableNames) }
            // Every baseline is read before anything runs: a missing one is bad input.
            var baselines: [ReportSnapshot?] = []
            if let dir = baseline {
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
                    throw CLIError.badInput("--baseline \(dir): no such folder; write baselines with `capsim baseline SCENARIO... --dir \(dir)`")
                }
                for c in configs {
                    let folder = OutputPaths.reportFolder(dir, c.name)
                    guard FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("report.json")) else {
                        throw CLIError.badInput("\(c.name): no baseline in \(folder); write one with `capsim baseline \(c.file) --dir \(dir)`")
                    }
                    let snap: ReportSnapshot
                    do { snap = try ReportSnapshot.load(folder) } catch { throw CLIError.badInput("\(c.name): \(error.description)") }
                    if mode == .statistical {
                        guard let reps = snap.replicationFigures, reps.count >= 2 else {
                            throw CLIError.badInput("\(c.name): --mode statistical needs a baseline with replications.json of at least 2 replications; "
                                                    + "rewrite it with `capsim baseline \(c.file) --dir \(dir) --replications 10`")
                        }
                    }
                    // Like with like: a longer run or another warm-up moves every figure.
                    let diff = ScenarioDiff(a: snap.resolved, b: c.document.toJSONValue(), seedA: snap.seed, seedB: snap.seed,
                                            replicationsA: snap.replications, replicationsB: snap.replications)
                    if !diff.blocking.isEmpty && !allowScenarioChange {
                        throw CLIError.badInput(diff.refusal("\(c.name): baseline \(folder) and \(c.file)") + "\n  "
                                                + diff.lines.joined(separator: "\n  "))
                    }
                    baselines.append(snap)
                }
            } else {
                baselines = Array(repeating: nil, count: configs.count)
            }

            var outcome = GateOutcome()
            for (config, base) in zip(configs, baselines) {
                // With a baseline, replay its seed and replication count (common random numbers).
                let seed = base?.seed, reps = base?.replications
                let report: Report
                var perReplication: [Report] = []
                if mode == .statistical {
                    let line = ProgressLine.onTerminal("check \(config.name)", units: reps ?? config.replications)
                    defer { line?.finish() }
                    let r = try Runner.executeReplicated(config, seed: seed, replications: reps, threads: threads, progress: line)
                    report = r.report
                    perReplication = r.perReplication
                } else {
                    report = try Runner.execute(config, seed: seed, replications: reps, threads: threads)
                }
                if let out {
                    let dir = OutputPaths.reportFolder(out, config.name)
                    do { try ReportWriter.write(report, to: dir) }
                    catch { throw OutputPaths.writeFailure("the report to \(dir)", error) }
                }
                var what = "seed \(report.header.seed), \(report.header.replications) replication(s)"
                if let base { what += "; baseline \(base.source), \(mode.rawValue), tolerance \(Tolerance(fraction: gate.tolerance))" }
                print("\(config.name) (\(config.file)): \(what)")
                if let base {
                    let diff = ScenarioDiff(a: base.resolved, b: report.header.resolvedScenario, seedA: base.seed, seedB: report.header.seed,
                                            replicationsA: base.replications, replicationsB: report.header.replications)
                    if !diff.isEmpty {
                        print("  scenario differs from the baseline (\(diff.changes.count) change\(diff.changes.count == 1 ? "" : "s")):")
                        for l in diff.lines.prefix(12) { print("    " + l) }
                        if diff.changes.count > 12 { print("    … \(diff.changes.count - 12) more") }
                    }
                    if let note = ModelNote.text(base: base.modelVersion, baseCapsim: base.capsimVersion,
                                                 candidate: report.header.modelVersion, candidateCapsim: report.header.capsimVersion) {
                        print("  " + note)
                    }
                }

                let table = FigureTable(report: report)
                let objectives = report.objectives
                var checks = objectives.map { o -> GateCheck in
                    var c = o.check(table, scenario: config.name)
                    c.causes = report.causes(of: o)
                    return c
                }
                let broken = report.invariants.filter { !$0.holds }
                checks.append(GateCheck(scenario: config.name, kind: .invariants, name: "invariants", passed: broken.isEmpty,
                                        message: broken.isEmpty ? "invariants: all \(report.invariants.count) hold"
                                            : "invariants violated: " + broken.map { "\($0.name) (\($0.detail))" }.joined(separator: "; ")))
                if let base {
                    let targets = BaselineGate.targets(baseline: base.figures, objectives: objectives)
                    switch mode {
                    case .exact:
                        checks += gate.exact(scenario: config.name, candidate: table, baseline: base.figures, targets: targets)
                    case .statistical:
                        checks += gate.paired(scenario: config.name, candidate: perReplication.map { FigureTable(report: $0) },
                                              baseline: base.replicationFigures ?? [], targets: targets)
                    }
                }
                // Failures first, each with its cause, then what passed.
                for c in checks where !c.passed { for l in c.lines { print(l) } }
                for c in checks where c.passed { print(c.line) }
                outcome.checks += checks
            }
            if let junit {
                do { try AtomicFile.write(JUnitWriter.xml(outcome), to: junit) }
                catch { throw OutputPaths.writeFailure(junit, error) }
            }
            if let markdown {
                do { try AtomicFile.write(outcome.markdown, to: markdown) }
                catch { throw OutputPaths.writeFailure(markdown, error) }
            }
            print(outcome.summaryLine)
            if outcome.failed > 0 { throw ExitCode(1) }
        }
    }
}

extension Objective {
    /// The report-side objective of a scenario's SLO.
    init(_ slo: SLOConfig) {
        func limit(_ q: Quantity?) -> Limit? {
            switch q {
            case .duration(let t)?: return .duration(nanoseconds: Double(t))
            case .number(let x)?: return .number(x)
            case nil: return nil
            }
        }
        self.init(name: slo.name, metric: slo.metric, stat: slo.stat, max: limit(slo.max), min: limit(slo.min),
                  region: slo.region, location: slo.location.description)
    }
}

/// The note `check` and `compare` print when two reports come from different models.
enum ModelNote {
    static func text(base: Int, baseCapsim: String, candidate: Int, candidateCapsim: String) -> String? {
        guard base != candidate else { return nil }
        let b = base == 0 ? "an unversioned model (an older report)" : "model version \(base)" + (baseCapsim.isEmpty ? "" : " (capsim \(baseCapsim))")
        let c = candidate == 0 ? "an unversioned model" : "model version \(candidate)" + (candidateCapsim.isEmpty ? "" : " (capsim \(candidateCapsim))")
        return "note: the reports come from different models — \(b) vs \(c): a difference may be the model's change, not a regression; rewrite the baseline with `capsim baseline` once the model change is accepted"
    }
}
