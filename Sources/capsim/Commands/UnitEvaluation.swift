import Foundation
import Reports
import Scenario
import SimCore
import World

/// Where a command's replications come from: evaluated here on up to `threads` threads, or
/// read from the part files that `capsim unit` wrote elsewhere (`capsim merge`).
///
/// `run`, `sweep` and `merge` all go plan → units → this → `Runner.merge`, so a report
/// merged from parts and one computed here come out of the same code: one merge.
enum UnitSource {
    case local(threads: Int)
    case parts(UnitParts)
}

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
            _ = Replications.run(count: flat.count, threads: threads) { k -> Bool in
                let (g, slot) = flat[k]
                if collector.failed { return false }
                let job = frozen[g][slot]
                let p: ScenarioRunner.Progress? = progress.map { p in { @Sendable _, f in p(g, slot, f) } }
                do {
                    let m = try run(job.config, job.unit, progress: p)
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
    static func run(_ config: ScenarioConfig, _ unit: WorkUnit, progress: ScenarioRunner.Progress?) throws -> RunMetrics {
        do {
            return try ScenarioRunner.run(config, seed: unit.replicationSeed, replications: 1, threads: 1, progress: progress)[0]
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

/// Part files of a manifest's units, in `directory` (`UnitManifest.partFileName`).
struct UnitParts {
    let manifest: UnitManifest
    let directory: String

    /// Checks every part is present before anything is merged, so a missing unit stops the
    /// merge with one message listing them, not halfway through writing.
    init(manifest: UnitManifest, directory: String) throws {
        self.manifest = manifest
        self.directory = directory
        let missing = manifest.units.indices.map(UnitManifest.partFileName).filter {
            !FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent($0))
        }
        if !missing.isEmpty {
            throw CLIError.badInput("\(directory): \(missing.count) of \(manifest.units.count) part file(s) missing: "
                                    + missing.prefix(8).joined(separator: ", ") + (missing.count > 8 ? ", …" : "")
                                    + "; evaluate those units (`capsim <argv> --out <part>`) and merge again")
        }
    }

    /// Units match on everything but the scenario path: a worker may keep the files elsewhere,
    /// the digest says the content is the same.
    static func same(_ a: WorkUnit, _ b: WorkUnit) -> Bool {
        a.overrides == b.overrides && a.seed == b.seed && a.replication == b.replication && a.scenarioDigest == b.scenarioDigest
    }

    func metrics(for unit: WorkUnit) throws -> RunMetrics {
        guard let k = manifest.units.firstIndex(where: { UnitParts.same($0, unit) }) else {
            throw CLIError.badInput("the scenario or the arguments changed since the units were planned: no planned unit for "
                                    + "\(unit.scenario) replication \(unit.replication) seed \(unit.seed) (digest \(unit.scenarioDigest)); plan and run the units again")
        }
        let name = (directory as NSString).appendingPathComponent(UnitManifest.partFileName(k))
        let part: PartialResult
        do {
            let text = try String(contentsOfFile: name, encoding: .utf8)
            part = try PartialResult.read(text, name: name)
        } catch let e as JSONReadError { throw CLIError.badInput(e.description) }
        catch { throw CLIError.badInput("\(name): \(error.localizedDescription)") }
        guard UnitParts.same(part.unit, manifest.units[k]) else {
            throw CLIError.badInput("\(name): holds replication \(part.unit.replication) seed \(part.unit.seed) (digest \(part.unit.scenarioDigest)), "
                                    + "not the planned unit \(k) (replication \(unit.replication) seed \(unit.seed), digest \(unit.scenarioDigest))")
        }
        return part.metrics
    }
}

extension Runner {
    /// The one merge: replications in index order into the report, and each replication's
    /// own one-replication report (for replications.json). Used by run, sweep and merge.
    static func merge(_ config: ScenarioConfig, seed: UInt64, runs: [RunMetrics]) -> ReplicatedRun {
        let header = Runner.header(config, seed: seed, replications: runs.count)
        let per = runs.enumerated().map { (i, r) -> Report in
            var h = header
            h.replications = 1
            h.seed = StreamSeeder.replicationSeed(seed, index: i)
            return Report(header: h, replications: [r])
        }
        return ReplicatedRun(report: Report(header: header, replications: runs), perReplication: per)
    }

    /// Writes replications.json beside a report: each replication's figures, so two runs on
    /// the same seed compare paired (`capsim compare`), as baselines do.
    static func writeReplicationRecord(_ run: ReplicatedRun, to dir: String) throws {
        let record = ReplicationRecord.json(seed: run.report.header.seed, replications: run.perReplication)
        try AtomicFile.write(record.serialized(sortedKeys: true), to: (dir as NSString).appendingPathComponent(ReplicationRecord.fileName))
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
