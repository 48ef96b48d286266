import ArgumentParser
import Foundation
import Reports
import SimCore

extension Capsim {
    struct PlanUnits: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "units",
            abstract: "Plan a run or sweep as units of work, for a cluster; print the manifest.",
            discussion: """
                `capsim units [--out FILE] run|sweep <the command's arguments>` loads and checks \
                every scenario exactly as the command would (exit 2 on bad input), then prints a \
                capsim-units manifest: the command, its arguments, this folder, and every unit \
                (replication) with the `capsim unit` arguments that evaluate it. Evaluate each unit \
                anywhere with `capsim <argv> --out <parts>/<part>`, then `capsim merge MANIFEST \
                --parts <parts>` writes the command's report folder, byte for byte. The Python \
                package capsim-dask does this on a Dask cluster (docs/dask.md).
                """)

        @Option(help: "File that receives the manifest (default: stdout).")
        var out: String?

        @Argument(parsing: .captureForPassthrough, help: "run or sweep, then that command's arguments.")
        var command: [String] = []

        func run() throws {
            let manifest = try PlanUnits.manifest(command)
            let text = manifest.json.serialized(sortedKeys: true)
            if let out {
                do { try AtomicFile.write(text, to: out) } catch { throw CLIError.failure("cannot write \(out): \(error.localizedDescription)") }
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }

        /// The commands that can go through units, parsed as the local command parses them.
        static func manifest(_ command: [String]) throws -> UnitManifest {
            guard let name = command.first else { throw CLIError.badInput("give the command to plan: capsim units run|sweep ARGS...") }
            let args = Array(command.dropFirst())
            let units: [WorkUnit]
            switch name {
            case "run": units = try parse(Capsim.Run.self, args).plan().flatMap(\.units)
            case "sweep": units = try parse(Capsim.Sweep.self, args).plan().units.flatMap { $0 }
            default: throw CLIError.badInput("capsim units plans run or sweep, not '\(name)'")
            }
            return UnitManifest(command: name, arguments: args, directory: FileManager.default.currentDirectoryPath, units: units)
        }

        /// Parses (and validates) a command's arguments; a usage error is bad input.
        static func parse<C: ParsableCommand>(_ type: C.Type, _ args: [String]) throws -> C {
            do {
                guard let c = try type.parseAsRoot(args) as? C else { throw CLIError.badInput("cannot parse \(args)") }
                return c
            } catch let e as CLIError { throw e }
            catch { throw CLIError.badInput(type.fullMessage(for: error)) }
        }
    }
}
