import Foundation
import Reports
import Scenario
import SimCore

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

    /// replications.json, written with a report: each replication's figures, so two runs on
    /// the same seed compare paired (`capsim compare`), as baselines do.
    static func replicationRecord(_ run: ReplicatedRun) -> (path: String, contents: String) {
        let record = ReplicationRecord.json(seed: run.report.header.seed, replications: run.perReplication)
        return (ReplicationRecord.fileName, record.serialized(sortedKeys: true))
    }
}
