import Foundation
import Scenario
import SimCore
import Testing
import World

/// Prints a scenario's figures and speed: `CAPSIM_PRINT=scenarios/baseline.yaml swift test -c release
/// -Xswiftc -enable-testing --filter PlatformPrintTests` (skipped without CAPSIM_PRINT).
@Suite struct PlatformPrintTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["CAPSIM_PRINT"] != nil))
    func printScenario() throws {
        let file = ProcessInfo.processInfo.environment["CAPSIM_PRINT"]
        let c = try file.map { try ScenarioConfig.load(path: $0) } ?? PlatformSimulationTests.load(PlatformSimulationTests.small)
        let t0 = Date()
        let m = try PlatformSimulationTests.run(c)
        let dt = Date().timeIntervalSince(t0)
        print(PlatformSimulationTests.summary(m).split(separator: "\n").filter { !$0.contains(" [") || $0.count < 400 }.joined(separator: "\n"))
        print("wall \(dt) s, events/s \(Double(m.eventsProcessed) / dt)")
    }
}
