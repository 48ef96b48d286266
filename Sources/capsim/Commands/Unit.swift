import ArgumentParser
import Foundation
import Reports
import Scenario
import SimCore

extension Capsim {
    struct Unit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unit",
            abstract: "Run one unit of work (one replication, one thread) and write its partial result.",
            discussion: """
                Replication <i> of the scenario with the overrides, on master seed <seed>: the same \
                numbers as replication i of `capsim run --replications n --seed <seed>`. Writes the \
                replication's measurements losslessly (histograms included) as canonical JSON, format \
                capsim-partial-result v1 (docs/dask.md), for `capsim merge`. `capsim units` prints the \
                arguments of every unit of a run or sweep. Exit 2 on bad input, writing nothing.
                """)

        @Argument(help: "Scenario file (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value: path=value (repeatable).", valueName: "path=value"))
        var overrides: [String] = []

        @Option(help: "Master seed (default: the scenario's).")
        var seed: UInt64?

        @Option(help: "Replication index (0 is the master seed itself).")
        var replication: Int = 0

        @Option(name: .customLong("expect-digest"), help: "Refuse to run unless the resolved scenario has this digest (set by `capsim units`).")
        var expectDigest: String?

        @Option(help: "File that receives the partial result, written atomically; - for stdout.")
        var out: String = "-"

        func validate() throws {
            if replication < 0 { throw ValidationError("--replication must be at least 0 (got \(replication))") }
        }

        func run() throws {
            let config: ScenarioConfig
            do { config = try ScenarioConfig.load(path: file, overrides: overrides) }
            catch { throw CLIError.badInput(error.description) }
            let digest = WorkUnit.digest(ofResolvedScenario: config.document.toJSONValue())
            if let want = expectDigest, want != digest {
                throw CLIError.badInput("\(file): this copy of the scenario (digest \(digest)) is not the one the units were planned from "
                                        + "(digest \(want)); give every worker the same scenario files (docs/dask.md)")
            }
            let unit = WorkUnit(scenario: UnitEvaluation.absolutePath(file), overrides: overrides, seed: seed ?? config.seed,
                                replication: replication, scenarioDigest: digest)
            let metrics = try UnitEvaluation.run(config, unit, progress: nil)
            let text = PartialResult(unit: unit, metrics: metrics).text
            if out == "-" {
                FileHandle.standardOutput.write(Data(text.utf8))
            } else {
                do { try AtomicFile.write(text, to: out) }
                catch { throw CLIError.failure("cannot write \(out): \(error.localizedDescription)") }
            }
        }
    }
}
