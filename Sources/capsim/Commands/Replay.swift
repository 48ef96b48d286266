import ArgumentParser
import Foundation
import SimCore
import World

extension Capsim {
    /// Replays recorded demand through the platform's matching code.
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Replay recorded demand through capsim's matching code.",
            subcommands: [MDRP.self])
    }
}

extension Capsim.Replay {
    struct MDRP: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mdrp",
            abstract: "Replay Grubhub Meal Delivery Routing Problem instances and write solutions their evaluator reads.",
            discussion: """
                For each instance and policy writes <out>/<instance>/<policy>/solution_info_assignments.txt,
                solution_info_orders.txt, solution_info_couriers.txt and metrics.json, per instance a
                policy comparison (comparison.md, comparison.html), and one across all instances in <out>/.
                """)

        @Argument(help: "Instance folders (orders.txt, restaurants.txt, couriers.txt, instance_parameters.txt).",
                  completion: .directory)
        var instances: [String]

        @Option(help: "greedy, batched, bundled, or all.")
        var policy: String = "all"

        @Option(help: "Folder for the solutions and reports.")
        var out: String = "reports/mdrp"

        @Option(help: "Minutes between batched assignment rounds.")
        var batchInterval: Int?

        @Option(help: "Largest bundle of same-restaurant orders (bundled policy).")
        var maxBundle: Int?

        func validate() throws {
            if policy != "all" && MDRPPolicy(rawValue: policy) == nil {
                throw ValidationError("--policy must be greedy, batched, bundled or all (got '\(policy)')")
            }
            // The option checks run before any instance is replayed, so a bad value leaves no report.
            var options = MDRPReplayOptions()
            if let b = batchInterval { options.batchIntervalMinutes = b }
            if let k = maxBundle { options.maxBundleSize = k }
            do { try options.validate() } catch { throw ValidationError("\(error)") }
        }

        func run() throws {
            let policies: [MDRPPolicy] = policy == "all" ? [.greedy, .batched, .bundled] : [MDRPPolicy(rawValue: policy)!]
            var options = MDRPReplayOptions()
            if let b = batchInterval { options.batchIntervalMinutes = b }
            if let k = maxBundle { options.maxBundleSize = k }
            try OutputPaths.checkFolderOption(out, flag: "--out")
            var loaded: [(String, MDRPInstance)] = []
            for dir in instances {
                do { loaded.append((dir, try MDRPInstance.load(directory: dir))) }
                catch { throw CLIError.badInput("\(error)") }
            }
            let names = try OutputPaths.instanceFolderNames(loaded.map(\.0))
            var allRows: [MDRPMetrics] = []
            for ((dir, instance), name) in zip(loaded, names) {
                var rows: [MDRPMetrics] = []
                var files: [(path: String, contents: String)] = []   // <out>/<name>/, written as one set
                var lines: [String] = []
                for p in policies {
                    let result: MDRPRunResult
                    do { result = try MDRPReplay.run(instance: instance, policy: p, options: options) }
                    catch { throw CLIError.badInput("\(dir): \(error)") }
                    let target = "\(out)/\(name)/\(p.rawValue)"
                    var metrics = MDRPMetrics(result)
                    metrics.wallSeconds = 0  // no wall-clock inside a report: runs must be byte-identical
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                    files += [(p.rawValue + "/" + MDRPSolutionWriter.assignmentsFileName, MDRPSolutionWriter.assignmentsText(result)),
                              (p.rawValue + "/" + MDRPSolutionWriter.ordersFileName, MDRPSolutionWriter.ordersText(result)),
                              (p.rawValue + "/" + MDRPSolutionWriter.couriersFileName, MDRPSolutionWriter.couriersText(result)),
                              (p.rawValue + "/metrics.json", String(decoding: try encoder.encode(metrics), as: UTF8.self) + "\n")]
                    rows.append(metrics)
                    lines.append("\(name) \(p.rawValue): delivered \(metrics.ordersDelivered)/\(metrics.ordersTotal), "
                          + "click-to-door mean \(DurationFormat.fixed(metrics.clickToDoor.mean, 2)) min, "
                          + "within target \(DurationFormat.fixed(100 * metrics.shareWithinTarget, 1)) %  -> \(target)")
                }
                allRows += rows
                let comparison = MDRPComparison(rows: rows)
                files += [("comparison.md", comparison.markdown()), ("comparison.html", comparison.html(title: "MDRP replay of \(name)"))]
                do { try ReportSetWriter.write(files, to: "\(out)/\(name)", alsoReplaces: Set(MDRPPolicy.allCases.map(\.rawValue))) }
                catch { throw OutputPaths.writeFailure("\(out)/\(name)", error) }
                for line in lines { print(line) }
            }
            // One report comparing every policy on every instance.
            let all = MDRPComparison(rows: allRows)
            do {
                try AtomicFile.write(all.markdown(), to: "\(out)/comparison.md")
                try AtomicFile.write(all.html(title: "MDRP replay: policies on \(loaded.count) instance(s)"), to: "\(out)/comparison.html")
            } catch { throw OutputPaths.writeFailure("the comparison in \(out)", error) }
            print("comparison: \(out)/comparison.md and comparison.html")
        }
    }
}
