import ArgumentParser
import Scenario

extension Capsim {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check scenario files without running them.",
            discussion: "Prints every problem with file:line, the key, and a fix. Exit 0 when all are valid, 2 otherwise.")

        @Argument(help: "Scenario files (YAML).", completion: .file(extensions: ["yaml", "yml"]))
        var files: [String]

        @Option(name: .customLong("set"), help: ArgumentHelp("Override a scenario value: path=value (repeatable).", valueName: "path=value"))
        var overrides: [String] = []

        func run() throws {
            var bad = 0
            for f in files {
                do {
                    let c = try ScenarioConfig.load(path: f, overrides: overrides)
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
