import Scenario
import SimCore

/// Runs one replication of a platform scenario (the `.platform` case of `ScenarioRunner`).
public enum PlatformRunner {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    static let chunk: UInt64 = 1 << 20

    /// Decodes the platform sections, builds the model with streams seeded from `seed` (the
    /// replication's derived seed) and runs it for the scenario's duration.
    /// `threads`: for a `parallel_regions` scenario, the threads its regions run on (the
    /// result is the same for any number); otherwise unused.
    public static func run(_ config: ScenarioConfig, seed: UInt64, replication: Int, threads: Int = 1,
                           progress: ScenarioRunner.Progress?) throws -> RunMetrics {
        var errors: [ScenarioError] = []
        guard let platform = PlatformConfig.decode(config.document, errors: &errors) else {
            throw Failure(description: ScenarioErrors(errors).description)
        }
        guard let duration = config.duration else { throw Failure(description: "a platform scenario needs a duration") }
        var trace: OrderTrace?
        if let file = platform.traceFile {
            do { trace = try OrderTrace.load(path: file) } catch { throw Failure(description: "\(error)") }
            guard trace?.coordinates == .geographic else {
                throw Failure(description: "\(file): a platform scenario's trace needs longitude/latitude columns (customer_lon, customer_lat; restaurant_lon, restaurant_lat)\n    fix: convert planar x/y to lon/lat, or replay planar traces with `capsim replay`")
            }
        }
        if platform.parallelRegions {
            let refused = RegionRunner.refusals(config, platform)
            guard refused.isEmpty else { throw Failure(description: ScenarioErrors(refused).description) }
            var fraction: (@Sendable (SimTime) -> Void)?
            if let progress {
                fraction = { @Sendable (t: SimTime) in progress(replication, Double(t) / Double(max(1, duration))) }
            }
            var m = RegionRunner.run(RegionRunner.make(config, platform, seed: seed), platform, until: duration, threads: threads,
                                     progress: fraction).metrics
            m.simulatedTime = duration
            progress?(replication, 1)
            return m
        }
        let model = PlatformSimulation(scenario: config, config: platform, seed: seed, trace: trace)
        var s = Scheduler(reservingCapacity: 1 << 16)
        model.start(&s)
        while true {
            let reason = s.run(model, until: duration, maxEvents: chunk)
            if reason != .eventLimit { break }
            progress?(replication, min(1, Double(s.now) / Double(max(1, duration))))
        }
        var m = model.metrics(at: s.now)
        m.eventsProcessed = s.eventsProcessed
        return m
    }
}
