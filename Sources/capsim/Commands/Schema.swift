import ArgumentParser
import Scenario
import SimCore

extension Capsim {
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the JSON Schema of the scenario format.",
            discussion: "Point your editor's YAML language server at it: `# yaml-language-server: $schema=capsim.schema.json`.")

        @Option(help: "Write to this file instead of stdout.")
        var out: String?

        func run() throws {
            let text = JSONSchemaWriter.document().serialized(sortedKeys: false)
            if let out {
                do { try AtomicFile.write(text, to: out) } catch { throw CLIError.failure("cannot write \(out): \(error.localizedDescription)") }
            } else {
                print(text, terminator: "")
            }
        }
    }
}
