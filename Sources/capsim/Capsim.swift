import ArgumentParser
import Foundation

@main
struct Capsim: ParsableCommand {
    // Every command names itself: ArgumentParser otherwise derives each name from the type
    // with `String(describing:)`, whose dynamic casts scan the runtime's conformance records
    // (about a tenth of a short run's startup in the statically linked release binary).
    static let configuration = CommandConfiguration(
        commandName: "capsim",
        abstract: "A deterministic discrete-event capacity simulator for a food-delivery platform.",
        discussion: """
            Exit codes: 0 success, 1 the run or a gate failed, 2 bad input (scenario file, flag, trace).
            Same scenario and seed give a byte-identical report.json, on any thread count.
            """,
        version: "0.1.0",
        subcommands: [Run.self, Validate.self, Schema.self, Replay.self, Check.self, Baseline.self, Compare.self, Sweep.self,
                      PlanUnits.self, Unit.self, Merge.self, Plan.self])

    /// ArgumentParser exits 64 on a usage error; capsim promises 2 for every bad input.
    static func main() {
        Signals.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as CLIError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            Foundation.exit(error.code)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// An error the CLI reports itself, with its exit code.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var code: Int32

    static func badInput(_ message: String) -> CLIError { CLIError(description: message, code: 2) }
    static func failure(_ message: String) -> CLIError { CLIError(description: message, code: 1) }
}

/// Messages to stderr.
enum Console {
    static func error(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}
