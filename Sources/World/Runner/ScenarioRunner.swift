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
            let results: [Result<RunMetrics, any Error>] = Replications.run(count: replications, threads: threads) { i in
                Result { try PlatformRunner.run(config, seed: StreamSeeder.replicationSeed(seed, index: i), replication: i,
                                                threads: replications == 1 ? threads : 1, progress: progress) }
            }
            return try results.map { try $0.get() }
        }
    }

    static let chunk: UInt64 = 1 << 20

    /// With `warmup: auto`, a pilot run (same seed) finds the end of the transient with
    /// MSER-5 on the per-interval mean time in the network, and the measured run cuts there.
    /// Both runs draw the same numbers, so the cut applies to exactly the trajectory measured.
    static func runQueueing(_ config: ScenarioConfig, _ q: QueueingConfig, seed: UInt64, replication: Int, progress: Progress?) -> RunMetrics {
        switch config.warmup {
        case .fixed(let w):
            return runQueueing(config, q, seed: seed, warmup: w, replication: replication, progress: progress).metrics
        case .auto:
            let pilot = runQueueing(config, q, seed: seed, warmup: 0, replication: replication, progress: progress)
            let points = pilot.series.points.filter { $0.count > 0 }.map(\.mean)
            let cut = MSER.truncation(observations: points)
            let cutTime = pilot.series.time(ofPoint: min(cut.observations, pilot.series.points.count))
            var m = runQueueing(config, q, seed: seed, warmup: cutTime, replication: replication, progress: progress).metrics
            if !cut.reliable {
                m.findings.append((severity: "warning", code: "warmup-unreliable",
                                   message: "MSER-5 found no end of the transient in the first half of the run (\(cut.batchCount) batches); lengthen the run or set a fixed warmup"))
            }
            return m
        }
    }

    static func runQueueing(_ config: ScenarioConfig, _ q: QueueingConfig, seed: UInt64, warmup: SimTime, replication: Int,
                            progress: Progress?) -> (metrics: RunMetrics, series: TimeSeries) {
        let model = QueueingNetwork(config: q, seeder: StreamSeeder(masterSeed: seed), warmup: warmup, interval: config.reportInterval,
                                    recordSeries: config.warmup == .auto)
        let limit = config.duration ?? .max
        if model.singleStationLoopApplies {
            // One M/M/c station: the dedicated loop, same result (QueueingNetwork+SingleStation.swift).
            let (now, events) = model.runSingleStation(until: limit, every: chunk) { now, departed in
                guard let progress else { return }
                let byTime = config.duration.map { Double(now) / Double($0) } ?? 0
                let byCount = q.customers.map { Double(departed) / Double($0) } ?? 0
                progress(replication, min(1, max(byTime, byCount)))
            }
            var m = model.metrics(at: now)
            m.eventsProcessed = events
            return (m, model.sojournSeries)
        }
        var s = Scheduler(reservingCapacity: 4096)
        model.start(&s)
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
        return (m, model.sojournSeries)
    }
}
