import ArgumentParser
import Scenario
import SimCore

extension Capsim {
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schema",
            abstract: "Print the JSON Schema of the scenario format.",
            discussion: "Point your editor's YAML language server at it: `# yaml-language-server: $schema=capsim.schema.json`.")

        @Option(help: "Write to this file instead of stdout.")
        var out: String?

        func run() throws {
            let text = JSONSchemaWriter.document().serialized(sortedKeys: false)
            if let out {
                try OutputPaths.checkFileOption(out, flag: "--out", example: "capsim.schema.json")
                do { try AtomicFile.write(text, to: out) } catch { throw OutputPaths.writeFailure(out, error) }
            } else {
                print(text, terminator: "")
            }
        }
    }
}
