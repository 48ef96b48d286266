import Scenario
import SimCore

/// One region's logical process as `LookaheadWindows` drives it: its `PlatformSimulation`
/// instance (active only for its region) and its own scheduler.
final class RegionProcess: WindowedProcess {
    let model: PlatformSimulation
    var scheduler: Scheduler

    init(model: PlatformSimulation, scheduler: Scheduler) {
        self.model = model
        self.scheduler = scheduler
    }

    func advance(until limit: SimTime) { _ = scheduler.run(model, until: limit) }
    var outbox: [(to: Int, message: RegionMessage)] { model.regionLP.unsafelyUnwrapped.outbox }
    func clearOutbox() { model.regionLP.unsafelyUnwrapped.outbox.removeAll(keepingCapacity: true) }
    func receive(_ message: RegionMessage) { model.receive(message, &scheduler) }
    var nextEventTime: SimTime? { scheduler.nextEventTime }
}

/// Runs a `parallel_regions` scenario: one `PlatformSimulation` per region, each with its own
/// scheduler, advanced in windows of the channel's lookahead on up to `threads` threads
/// (`LookaheadWindows`), then one report merged from theirs in region order (`RegionReport`).
/// Every instance is built from the same seed, so each region draws from its own named streams
/// exactly as in the sequential engine; the result does not depend on `threads`.
enum RegionRunner {
    /// The LPs, started (for tests: `run` drives them).
    static func make(_ scenario: ScenarioConfig, _ config: PlatformConfig, seed: UInt64, record: Bool = false) -> [RegionProcess] {
        config.regions.indices.map { r in
            let model = PlatformSimulation(scenario: scenario, config: config, seed: seed, onlyRegion: r)
            model.regionLP = RegionLP(region: r)
            model.orders.numberIDs(stride: config.regions.count, offset: r)
            if record { model.regionLP?.startRecording() }
            var s = Scheduler(reservingCapacity: 1 << 16)
            model.start(&s)
            return RegionProcess(model: model, scheduler: s)
        }
    }

    /// Runs `lps` to `duration` and returns the merged report and the number of windows.
    static func run(_ lps: [RegionProcess], _ config: PlatformConfig, until duration: SimTime, threads: Int,
                    progress: (@Sendable (SimTime) -> Void)? = nil) -> (metrics: RunMetrics, windows: Int) {
        // One region: no messages, one window.
        let lookahead = lps.count > 1 ? lps[0].model.channel.lookahead : max(1, duration + 1)
        // With a second thread, whichever waits at a barrier computes the LPs' draws ahead.
        var idle: (@Sendable () -> Bool)?
        if min(threads, lps.count) > 1 {
            let prefetcher = DrawPrefetcher()
            for lp in lps { lp.model.drawAhead(prefetcher) }
            idle = { prefetcher.fillSome() }
        }
        let windows = LookaheadWindows.run(lps, until: duration, lookahead: lookahead, threads: threads,
                                           weights: config.regions.map(\.demandShare), progress: progress, idle: idle)
        let parts = lps.map { lp in
            var m = lp.model.metrics(at: lp.scheduler.now)
            m.eventsProcessed = lp.scheduler.eventsProcessed
            return m
        }
        return (RegionReport.merge(parts, lps[0].model), windows)
    }

    /// What a parallel run cannot do yet (shared state across regions), as errors naming the
    /// key and a fix (Regions/README.md, "status").
    static func refusals(_ scenario: ScenarioConfig, _ config: PlatformConfig) -> [ScenarioError] {
        let doc = scenario.document
        let at = doc["parallel_regions"]?.location ?? doc.location
        var errors: [ScenarioError] = []
        func refuse(_ path: String, _ what: String, _ node: ConfigNode?) {
            errors.append(ScenarioError(node?.location ?? at, path: path, "parallel_regions: true cannot run \(what) yet (it needs state shared across regions)",
                                        fix: "remove `\(path)` or set `parallel_regions: false` (the sequential engine runs it)"))
        }
        for r in config.regions where r.down { refuse("regions.\(r.name).down", "a region that is down (its city's calls cross to the failover region)", doc["regions"]?[r.name]?["down"]) }
        for (i, f) in config.faults.enumerated() where f.kind != .replicaCrash {
            refuse("faults[\(i)]", "a \(f.kind.rawValue) fault", doc["faults"]?.items?[i])
        }
        if config.databaseCPU != nil || config.transactionRoundTrips != nil {
            refuse("database.cpu", "database transactions (their round trips bypass the channel)", doc["database"])
        }
        if config.readReplicas == 0 && config.regions.count > 1 {
            refuse("database.read_replicas", "reads without a replica in every region (remote reads are not messages yet)", doc["database"]?["read_replicas"] ?? doc["database"])
        }
        if config.traceFile != nil { refuse("demand.trace", "a replayed order trace", doc["demand"]?["trace"]) }
        if config.regions.count > 1 && CrossRegionChannel(config: config).lookahead <= 0 {
            refuse("regions.*.rtt", "regions without a round trip between them (no lookahead)", doc["regions"])
        }
        return errors
    }
}
