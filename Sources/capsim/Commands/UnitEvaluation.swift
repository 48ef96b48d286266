import Foundation
import Reports
import Scenario
import SimCore
import World

/// Evaluating units. Each unit is one replication on one thread: the parallelism is across
/// units (points × replications), which is why results do not depend on the thread count.
enum UnitEvaluation {
    /// Evaluates groups of units (a scenario's replications, a sweep point's) and merges each
    /// group as soon as its last unit is in, so at most the groups in flight hold their
    /// histograms (about 250 KB per latency metric and replication) at once.
    ///
    /// Locally, every unit of every group is one task on up to `threads` threads; results do
    /// not depend on the order they finish in: `merge(g, runs)` gets group g's measurements in
    /// unit order. The first error (in unit order) is thrown. `progress(g, k, fraction)`
    /// reports unit k of group g (local evaluation only).
    static func evaluate<R: Sendable>(_ groups: [[(config: ScenarioConfig, unit: WorkUnit)]], from source: UnitSource,
                                      progress: (@Sendable (Int, Int, Double) -> Void)? = nil,
                                      merge: @escaping @Sendable (Int, [RunMetrics]) -> R) throws -> [R] {
        switch source {
        case .parts(let parts):
            return try groups.enumerated().map { (g, jobs) in merge(g, try jobs.map { try parts.metrics(for: $0.unit) }) }
        case .local(let threads):
            let flat = groups.enumerated().flatMap { (g, jobs) in jobs.indices.map { (group: g, slot: $0) } }
            let frozen = groups
            let collector = GroupCollector<R>(sizes: groups.map(\.count))
            // Threads left over when there are fewer units than threads go to each unit's own
            // regions (`parallel_regions`); the result does not depend on them either.
            let inner = max(1, threads / max(1, flat.count))
            _ = Replications.run(count: flat.count, threads: threads) { k -> Bool in
                let (g, slot) = flat[k]
                if collector.failed { return false }
                let job = frozen[g][slot]
                let p: ScenarioRunner.Progress? = progress.map { p in { @Sendable _, f in p(g, slot, f) } }
                do {
                    let m = try run(job.config, job.unit, threads: inner, progress: p)
                    if let runs = collector.store(m, group: g, slot: slot) { collector.finish(merge(g, runs), group: g) }
                } catch {
                    collector.fail(error as? CLIError ?? CLIError.failure("\(error)"), at: k)
                }
                return true
            }
            return try collector.results()
        }
    }

    /// Runs one unit on the calling thread: replication `unit.replication` of the scenario.
    ///
    /// A one-replication run on `replicationSeed(seed, i)` is replication i of an n-replication
    /// run (`ScenarioRunner` gives replication k the seed `replicationSeed(seed, k)`, and
    /// `replicationSeed(s, 0) == s`; the index itself only labels progress).
    static func run(_ config: ScenarioConfig, _ unit: WorkUnit, threads: Int = 1, progress: ScenarioRunner.Progress?) throws -> RunMetrics {
        do {
            return try ScenarioRunner.run(config, seed: unit.replicationSeed, replications: 1, threads: threads, progress: progress)[0]
        } catch {
            throw CLIError.badInput("\(config.file): \(error)")
        }
    }

    /// The units of `replications` replications of `config` on `seed`.
    static func units(_ config: ScenarioConfig, overrides: [String], seed: UInt64, replications: Int) -> [WorkUnit] {
        let digest = WorkUnit.digest(ofResolvedScenario: config.document.toJSONValue())
        let path = absolutePath(config.file)
        return (0..<replications).map { WorkUnit(scenario: path, overrides: overrides, seed: seed, replication: $0, scenarioDigest: digest) }
    }

    /// `path` made absolute against the current directory (the worker's copy is found there).
    static func absolutePath(_ path: String) -> String {
        let p = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (p as NSString).standardizingPath
    }
}

/// Measurements of the units in flight, per group, under one lock; a group's are handed to
/// its merge (and dropped here) when its last unit arrives.
private final class GroupCollector<R: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [[RunMetrics?]]
    private var remaining: [Int]
    private var merged: [R?]
    private var error: (index: Int, error: CLIError)?

    init(sizes: [Int]) {
        slots = sizes.map { Array(repeating: nil, count: $0) }
        remaining = sizes
        merged = Array(repeating: nil, count: sizes.count)
    }

    var failed: Bool { lock.lock(); defer { lock.unlock() }; return error != nil }

    /// Stores one unit's measurements; returns the group's, in unit order, when it is complete.
    func store(_ m: RunMetrics, group g: Int, slot: Int) -> [RunMetrics]? {
        lock.lock(); defer { lock.unlock() }
        slots[g][slot] = m
        remaining[g] -= 1
        guard remaining[g] == 0 else { return nil }
        let runs = slots[g].map { $0! }
        slots[g] = []
        return runs
    }

    func finish(_ r: R, group g: Int) { lock.lock(); merged[g] = r; lock.unlock() }

    func fail(_ e: CLIError, at index: Int) {
        lock.lock(); defer { lock.unlock() }
        if error == nil || index < error!.index { error = (index, e) }
    }

    func results() throws -> [R] {
        lock.lock(); defer { lock.unlock() }
        if let e = error { throw e.error }
        return merged.map { $0! }
    }
}
