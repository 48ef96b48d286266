import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore

extension Capsim {
    struct Sweep: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sweep",
            abstract: "Run a scenario over a grid of parameter values and chart every metric against them.",
            discussion: """
                Each --param path=v1,v2,... is applied like --set; several --param span the full grid. \
                Points run in parallel across cores; each point's report does not depend on the thread \
                count, and the combined report lists points in grid order. Writes \
                <out>/<name>-sweep/sweep.html (each metric against the first parameter, one curve per \
                combination of the others, knees marked), sweep.md, sweep.csv, sweep.json, and every \
                point's report under points/. Exit 1 when a point violates an invariant; SLO failures \
                are reported per point but do not fail a sweep.
                """)

        @Argument(help: "Scenario file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        @Option(name: .customLong("param"), help: ArgumentHelp("A swept value list: path=v1,v2,... (repeatable).", valueName: "path=v1,v2,..."))
        var params: [String] = []

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value at every point: path=value (repeatable).", valueName: "path=value"))
        var overrides: [String] = []

        @Option(help: "Master seed for every point (overrides the scenario's seed).")
        var seed: UInt64?

        @Option(help: "Replications per point (overrides the scenario).")
        var replications: Int?

        @Option(help: "Threads (default: all cores). Does not change results.")
        var threads: Int?

        @Option(help: "Folder that receives <scenario name>-sweep/.")
        var out: String = "reports"

        @Flag(help: "No summary on stdout.")
        var quiet = false

        func validate() throws {
            if params.isEmpty { throw ValidationError("give at least one --param path=v1,v2,...") }
            if let r = replications, !(1...CLILimits.maxReplications).contains(r) {
                throw ValidationError("--replications must be from 1 to \(CLILimits.maxReplications) (got \(r)); for more, merge several runs with different --seed")
            }
            if let t = threads, !(1...CLILimits.maxThreads).contains(t) {
                throw ValidationError("--threads must be from 1 to \(CLILimits.maxThreads) (got \(t)); omit it to use every core")
            }
        }

        func run() throws { try run(from: .local(threads: threads ?? Replications.availableThreads)) }

        /// The grid, every point's scenario (all loaded and validated before any point runs)
        /// and its units (replications). `capsim units sweep` prints the units, point by point.
        func plan() throws -> (parameters: [SweepParameter], grid: [[Int]], configs: [ScenarioConfig], units: [[WorkUnit]]) {
            try OutputPaths.checkFolderOption(out, flag: "--out")
            var parameters: [SweepParameter] = []
            do {
                for p in params { parameters.append(try SweepParameter.parse(p)) }
                try SweepGrid.validate(parameters)
            } catch { throw CLIError.badInput(error.description) }
            let grid = SweepGrid.points(parameters)
            var configs: [ScenarioConfig] = []
            var units: [[WorkUnit]] = []
            for point in grid {
                let extra = SweepGrid.overrides(parameters, point)
                do { configs.append(try ScenarioConfig.load(path: file, overrides: overrides + extra)) }
                catch { throw CLIError.badInput("sweep point \(extra.joined(separator: ", ")):\n\(error.description)") }
                let c = configs[configs.count - 1]
                units.append(UnitEvaluation.units(c, overrides: overrides + extra, seed: seed ?? c.seed, replications: replications ?? c.replications))
            }
            guard !configs.isEmpty else { throw CLIError.badInput("the sweep has no points") }
            try SLOPreflight.require([configs[0]])  // the points share the scenario's SLOs
            return (parameters, grid, configs, units)
        }

        /// Runs the plan with replications evaluated here or read from parts (`capsim merge`).
        func run(from source: UnitSource) throws {
            let (parameters, grid, configs, units) = try plan()
            let base = configs[0]

            // Every replication of every point is one unit, all in parallel; each point merges
            // when its last replication is in, and points come back in grid order.
            let frozen = configs
            let offsets = units.indices.map { units[..<$0].reduce(0) { $0 + $1.count } }
            var line: ProgressLine?
            if case .local = source {
                line = ProgressLine.onTerminal("sweep \(base.name) (\(configs.count) points)", units: units.reduce(0) { $0 + $1.count }, what: "runs")
            }
            let progress: (@Sendable (Int, Int, Double) -> Void)? = line.map { l in { @Sendable g, k, f in l.update(offsets[g] + k, f) } }
            let results: [ReplicatedRun]
            do {
                results = try UnitEvaluation.evaluate(configs.indices.map { i in units[i].map { (config: configs[i], unit: $0) } },
                                                      from: source, progress: progress) { i, runs in
                    Runner.merge(frozen[i], seed: units[i][0].seed, runs: runs)
                }
            } catch { line?.finish(); throw error }
            line?.finish()

            let root = OutputPaths.reportFolder(out, "\(base.name)-sweep")
            var setFiles: [(path: String, contents: String)] = []   // written as one set at the end
            let width = String(configs.count - 1).count
            var points: [SweepReport.Point] = []
            var objectives: [ResolvedObjective] = []
            var violated = false
            var runs = results
            for i in runs.indices { try Runner.attachObjectives(&runs[i].report, configs[i]) }
            // Rendering the points' reports (HTML and CSV above all) is most of a merge's time:
            // in parallel, each by index, so the files do not depend on the thread count.
            let finished = runs
            let rendered = Replications.run(count: finished.count, threads: threads ?? Replications.availableThreads) { i in
                ReportWriter.files(finished[i].report)
            }
            for (i, run) in finished.enumerated() {
                let folder = "points/" + String(repeating: "0", count: width - String(i).count) + String(i)
                setFiles += rendered[i].map { (folder + "/" + $0.path, $0.contents) }
                let table = FigureTable(report: run.report)
                var checks: [GateCheck] = []
                var resolved: [ResolvedObjective] = []
                for slo in configs[i].slos {
                    do { resolved.append(try Objective(slo).resolve(in: table)) }
                    catch { throw CLIError.badInput(error.description) }
                }
                checks = resolved.map { $0.check(table, scenario: configs[i].name) }
                if i == 0 { objectives = resolved }
                if !run.report.invariantsHold {
                    violated = true
                    Console.error("point \(i) (\(SweepGrid.overrides(parameters, grid[i]).joined(separator: ", "))): invariants violated")
                }
                points.append(SweepReport.Point(indices: grid[i], figures: table, invariantsHold: run.report.invariantsHold,
                                                checks: checks, folder: folder))
            }
            let axes = parameters.map { p -> SweepReport.Axis in
                let (numeric, unit) = SweepValues.numeric(p.values)
                return SweepReport.Axis(path: p.path, values: p.values, numeric: numeric, unit: unit)
            }
            let report = SweepReport(scenarioName: base.name, scenarioFile: base.file, seed: seed ?? base.seed,
                                     replications: replications ?? base.replications, axes: axes, points: points, objectives: objectives)
            let files: [(String, String)] = [("sweep.html", report.html), ("sweep.md", report.markdown),
                                             ("sweep.csv", report.csv), ("sweep.json", report.json.serialized(sortedKeys: true))]
            do { try ReportSetWriter.write(files.map { ($0.0, $0.1) } + setFiles, to: root) }
            catch { throw OutputPaths.writeFailure(root, error) }
            if !quiet {
                print("\(base.name): \(points.count) points swept over \(parameters.map(\.path).joined(separator: " × "))")
                for l in report.sloLimitLines { print("  SLOs: \(l)") }
                for row in report.kneeRowsForSummary { print("  knee: \(row)") }
                print("  report: \(root)/sweep.html (and sweep.md, sweep.csv, sweep.json, points/)")
            }
            if violated { throw ExitCode(1) }
        }
    }
}

extension SweepReport {
    /// One line per knee for the command's summary.
    var kneeRowsForSummary: [String] {
        kneeFigures.flatMap { f in
            curves(f.metric, f.stat).compactMap { c -> String? in
                guard let k = c.knee else { return nil }
                let at = axes[0].values[points[c.points[k.index]].indices[0]]
                return "\(f.metric) \(f.stat) at \(axes[0].path)=\(at)" + (c.label.isEmpty ? "" : " (\(c.label))")
            }
        }
    }
}

/// Reading swept values as numbers for the x axis.
enum SweepValues {
    /// The values as numbers and their unit, or (nil, "") when they are not all numbers of
    /// one kind. Values sharing one unit keep it (`60000/h` stays 60000 "per h"); mixed
    /// units convert to seconds or events per second.
    static func numeric(_ values: [String]) -> ([Double]?, String) {
        let plain = values.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        if plain.count == values.count { return (plain, "") }
        let split = values.compactMap(numberAndUnit)
        if split.count == values.count, let unit = split.first?.1, split.allSatisfy({ $0.1 == unit }) {
            let isRate = values.allSatisfy { (try? Units.rate($0).get()) != nil }
            let isDuration = values.allSatisfy { (try? Units.duration($0).get()) != nil }
            if isRate { return (split.map(\.0), "per " + unit.dropFirst().trimmingCharacters(in: .whitespaces)) }
            if isDuration || values.allSatisfy({ (try? Units.percentage($0).get()) != nil }) { return (split.map(\.0), unit) }
        }
        let rates = values.compactMap { try? Units.rate($0).get() }
        if rates.count == values.count { return (rates, "per s") }
        let durations = values.compactMap { try? Units.duration($0).get() }
        if durations.count == values.count { return (durations.map(SimUnit.seconds), "s") }
        return (nil, "")
    }

    /// `7.2/s` → (7.2, "/s"); `250ms` → (250, "ms"): the longest numeric prefix and the rest.
    static func numberAndUnit(_ s: String) -> (Double, String)? {
        let t = s.trimmingCharacters(in: .whitespaces)
        guard let c = t.first, c.isNumber || c == "." || c == "-" || c == "+" else { return nil }
        var best: (Double, String.Index)?
        var i = t.startIndex
        while i < t.endIndex {
            i = t.index(after: i)
            if let v = Double(t[..<i]) { best = (v, i) }
        }
        guard let (v, end) = best else { return nil }
        return (v, t[end...].trimmingCharacters(in: .whitespaces))
    }
}
