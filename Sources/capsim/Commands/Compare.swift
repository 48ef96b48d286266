import ArgumentParser
import Foundation
import Reports
import SimCore

extension Capsim {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Compare two reports side by side: deltas and, where replications allow, significance.",
            discussion: """
                A and B are report folders (from run, check --out, sweep or baseline) or report.json files. \
                Prints Markdown to stdout and writes an HTML page. Significance uses paired replications when \
                both sides carry replications.json on the same seed (baselines do), Welch's interval when both \
                have ≥ 2 replications, and is left out otherwise. The output leads with what differs between \
                the two scenarios; when duration, warm-up, seed or replications differ the figures are not like \
                for like and compare exits 2 unless --allow-scenario-change is given.
                """)

        @Argument(help: "Report A (folder or report.json): the reference.")
        var a: String

        @Argument(help: "Report B (folder or report.json): the what-if.")
        var b: String

        @Option(help: "Where to write the HTML comparison.")
        var html: String = "compare.html"

        @Flag(help: "Compare even when duration, warm-up, seed or replications differ (the figures are then not like for like).")
        var allowScenarioChange = false

        func run() throws {
            try OutputPaths.checkFileOption(html, flag: "--html", example: "compare.html")
            let ra: ReportSnapshot, rb: ReportSnapshot
            do { ra = try ReportSnapshot.load(a) } catch { throw CLIError.badInput(error.description) }
            do { rb = try ReportSnapshot.load(b) } catch { throw CLIError.badInput(error.description) }
            let comparison = ReportComparison(a: ra, b: rb)
            if !comparison.scenarioDiff.blocking.isEmpty && !allowScenarioChange {
                throw CLIError.badInput(comparison.scenarioDiff.refusal("\(a) and \(b)") + "\n  " + comparison.scenarioDiff.lines.joined(separator: "\n  "))
            }
            if let note = comparison.modelNote { Console.error("note: " + note) }
            print(comparison.markdown, terminator: "")
            do { try AtomicFile.write(comparison.html, to: html) }
            catch { throw OutputPaths.writeFailure(html, error) }
            Console.error("comparison page: \(html)")
        }
    }
}
