import ArgumentParser
import Foundation
import Reports
import SimCore

extension Capsim {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Combine the partial results of a manifest's units into the command's report.",
            discussion: """
                Reads the capsim-units manifest and one part file per unit (unit-000000.json, ... as \
                `capsim unit` wrote them), re-plans the command in the manifest's folder, checks every \
                part is the planned unit of an unchanged scenario, and writes exactly the files the \
                local `run` or `sweep` writes, with the same summary and exit code. Exit 2 when a part \
                is missing, unreadable or from another scenario, before anything is written.
                """)

        @Argument(help: "The manifest `capsim units` wrote.", completion: .file(extensions: ["json"]))
        var manifest: String

        @Option(help: "Folder holding the part files (default: parts/ beside the manifest).")
        var parts: String?

        func run() throws {
            let path = UnitEvaluation.absolutePath(manifest)
            let plan: UnitManifest
            do { plan = try UnitManifest.read(try String(contentsOfFile: path, encoding: .utf8), name: manifest) }
            catch let e as JSONReadError { throw CLIError.badInput(e.description) }
            catch { throw CLIError.badInput("\(manifest): \(error.localizedDescription)") }
            let folder = UnitEvaluation.absolutePath(parts ?? ((path as NSString).deletingLastPathComponent + "/parts"))
            let source = UnitSource.parts(try UnitParts(manifest: plan, directory: folder))
            guard FileManager.default.changeCurrentDirectoryPath(plan.directory) else {
                throw CLIError.badInput("\(manifest): cannot enter the folder the units were planned in, \(plan.directory)")
            }
            switch plan.command {
            case "run": try PlanUnits.parse(Capsim.Run.self, plan.arguments).run(from: source)
            case "sweep": try PlanUnits.parse(Capsim.Sweep.self, plan.arguments).run(from: source)
            default: throw CLIError.badInput("\(manifest): cannot merge command '\(plan.command)'")
            }
        }
    }
}
