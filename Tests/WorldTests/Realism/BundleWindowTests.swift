import Platform
import Scenario
import SimCore
import Testing
@testable import World

/// `matching.bundle_ready_window` reaches the batch matchers' bundling policy; absent, it is
/// Platform's own default (`BundlingPolicy().readyWindow`), so scenarios without the key bundle
/// as before.
@Suite struct BundleWindowTests {
    @Test func theKeySetsTheBundlingWindow() throws {
        for (overrides, want) in [(["matching.bundle_size=3"], BundlingPolicy().readyWindow),
                                  (["matching.bundle_size=3", "matching.bundle_ready_window=90s"], 90 * SimUnit.second)] {
            let c = try PlatformSimulationTests.load(WorldScenario.base, overrides: overrides)
            var errors: [ScenarioError] = []
            let config = try #require(PlatformConfig.decode(c.document, errors: &errors))
            let sim = PlatformSimulation(scenario: c, config: config, seed: 1)
            #expect(sim.matching.bundleReadyWindow == want, "\(overrides)")
        }
    }
}
