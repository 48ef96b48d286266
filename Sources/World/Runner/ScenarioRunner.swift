import Scenario
import SimCore

/// Runs a scenario's replications and returns their measurements in replication order.
public enum ScenarioRunner {
    /// Progress of one replication in [0, 1], reported between chunks of events.
    public typealias Progress = @Sendable (_ replication: Int, _ fraction: Double) -> Void

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `replications` independent replications (derived seeds) on up to `threads`
    /// threads. The result does not depend on `threads`.
    public static func run(_ config: ScenarioConfig, seed: UInt64, replications: Int, threads: Int,
                           progress: Progress? = nil) throws -> [RunMetrics] {
        switch config.model {
        case .queueing:
            guard let q = config.queueing else { throw Failure(description: "the scenario has no queueing section") }
            return Replications.run(count: replications, threads: threads) { i in
                runQueueing(config, q, seed: StreamSeeder.replicationSeed(seed, index: i), replication: i, progress: progress)
            }
        case .platform:
            throw Failure(description: "the platform model is not available in this build; run a queueing scenario")
        }
    }

    static let chunk: UInt64 = 1 << 20

    static func runQueueing(_ config: ScenarioConfig, _ q: QueueingConfig, seed: UInt64, replication: Int, progress: Progress?) -> RunMetrics {
        let warmup: SimTime
        if case .fixed(let w) = config.warmup { warmup = w } else { warmup = 0 }
        let model = QueueingNetwork(config: q, seeder: StreamSeeder(masterSeed: seed), warmup: warmup, interval: config.reportInterval)
        var s = Scheduler(reservingCapacity: 4096)
        model.start(&s)
        let limit = config.duration ?? .max
        while true {
            let reason = s.run(model, until: limit, maxEvents: chunk)
            if reason != .eventLimit { break }
            if let progress {
                let byTime = config.duration.map { Double(s.now) / Double($0) } ?? 0
                let byCount = q.customers.map { Double(model.departedNetwork) / Double($0) } ?? 0
                progress(replication, min(1, max(byTime, byCount)))
            }
        }
        var m = model.metrics(at: s.now)
        m.eventsProcessed = s.eventsProcessed
        return m
    }
}
