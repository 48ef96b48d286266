import Foundation
import Reports
import Scenario
import SimCore
import Testing
import World

/// Same scenario and seed: byte-identical canonical report, across runs and thread counts.
@Suite struct DeterminismTests {
    func report(threads: Int, replications: Int, seed: UInt64 = 42) throws -> String {
        let path = NSTemporaryDirectory() + "capsim-det-\(UUID().uuidString.prefix(8)).yaml"
        try """
            name: det
            queueing:
              customers: 30000
              arrivals: [{ to: a, rate: 7/s }, { to: b, interarrival: { lognormal: { median: 200ms, sigma: 0.8 } } }]
              stations:
                a: { servers: 8, service: { exponential: { mean: 1s } }, routing: [{ to: b, probability: 0.3 }] }
                b: { servers: 3, service: { gamma: { shape: 2, scale: 100ms } } }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let c = try ScenarioConfig.load(path: path)
        let runs = try ScenarioRunner.run(c, seed: seed, replications: replications, threads: threads)
        let header = Report.Header(scenarioName: c.name, scenarioFile: "det.yaml", description: "", resolvedScenario: c.document.toJSONValue(),
                                   seed: seed, replications: replications, model: "queueing")
        return Report(header: header, replications: runs).json.serialized()
    }

    @Test func identicalAcrossRunsAndThreadCounts() throws {
        let a = try report(threads: 1, replications: 4)
        let b = try report(threads: 1, replications: 4)
        let c = try report(threads: 3, replications: 4)
        #expect(a == b)
        #expect(a == c)
        let other = try report(threads: 1, replications: 4, seed: 43)
        #expect(other != a)
    }
}
