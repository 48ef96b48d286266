import Scenario
import SimCore

extension ScenarioRunner {
    /// The metrics a run of `config` reports, with no event run: the model is built and
    /// started, then asked for its metrics at time 0. The names come from the same code
    /// that names them after a full run (one source of truth), so `capsim validate` can
    /// check that every SLO names a metric the run will have.
    /// - Complexity: the cost of building the model (no events).
    public static func metricCatalog(_ config: ScenarioConfig) throws -> RunMetrics {
        switch config.model {
        case .queueing:
            guard let q = config.queueing else { throw Failure(description: "the scenario has no queueing section") }
            let model = QueueingNetwork(config: q, seeder: StreamSeeder(masterSeed: config.seed), warmup: 0, interval: config.reportInterval)
            var s = Scheduler(reservingCapacity: 64)
            model.start(&s)
            return model.metrics(at: 0)
        case .platform:
            var errors: [ScenarioError] = []
            guard let platform = PlatformConfig.decode(config.document, errors: &errors) else {
                throw Failure(description: ScenarioErrors(errors).description)
            }
            // A trace only changes where orders come from, not which metrics exist.
            let model = PlatformSimulation(scenario: config, config: platform, seed: config.seed, trace: nil)
            var s = Scheduler(reservingCapacity: 1 << 10)
            model.start(&s)
            return model.metrics(at: 0)
        }
    }
}
