import SimCore

/// The fault kinds of issue 17 items 2 and 5 (`db_primary_failure`, `region_partition`) and
/// `database.replication`, checked per kind as `decodeFaults` checks the others: keys a kind
/// needs are required, keys without a default that belong to another kind are refused (keys
/// with a default, such as `check_interval`, are read by every kind and ignored where unused).
extension PlatformConfig {
    /// `db_primary_failure`: `shard` and `at`; detection is the health-check rule with
    /// `check_interval` and `fall` (Patroni's leader key: loop_wait 10 s, ttl 30 s), then
    /// `promotion` until the standby accepts writes.
    static func decodeShardFailure(_ f: SchemaReader, into fault: inout Fault, path: String, errors: inout [ScenarioError]) {
        let loc = f.node?.location ?? SourceLocation(file: "", line: 0, column: 0)
        func refuse(_ key: String, _ message: String, _ fix: String) {
            errors.append(ScenarioError(f.given(key)?.location ?? loc, path: "\(path).\(key)", message, fix: fix))
        }
        if f.given("shard") == nil { refuse("shard", "a db_primary_failure needs the shard whose primary fails", "add e.g. `shard: 3`") }
        if f.given("at") == nil { refuse("at", "a db_primary_failure needs its time", "add e.g. `at: 30min`") }
        for key in ["region", "service", "rate", "for", "regions"] where f.given(key) != nil {
            refuse(key, "a db_primary_failure names its shard only (the primary is in the primary region; the standby it promotes stays primary)",
                   "remove `\(key):`")
        }
        if let k = f.optional("shard", \.intValue) { fault.shard = k }
        fault.region = nil
    }

    /// `region_partition`: `regions: [a, b]` (two distinct regions), `at`, `for`, `timeout`.
    static func decodePartition(_ f: SchemaReader, into fault: inout Fault, path: String, names: [String], errors: inout [ScenarioError]) {
        let loc = f.node?.location ?? SourceLocation(file: "", line: 0, column: 0)
        func refuse(_ key: String, _ message: String, _ fix: String) {
            errors.append(ScenarioError(f.given(key)?.location ?? loc, path: "\(path).\(key)", message, fix: fix))
        }
        if f.given("at") == nil { refuse("at", "a region_partition needs its start", "add e.g. `at: 30min`") }
        if f.given("for") == nil { refuse("for", "a region_partition needs its length (it heals after it)", "add e.g. `for: 2min`") }
        for key in ["region", "service", "rate", "shard"] where f.given(key) != nil {
            refuse(key, "a region_partition names its two regions in `regions:`", "remove `\(key):`")
        }
        let items = f.given("regions")?.items ?? []
        let picked = items.enumerated().map { i, n in regionIndex(n, "\(path).regions[\(i)]", names: names, errors: &errors) }
        if items.count != 2 {
            refuse("regions", "a region_partition cuts two regions apart (found \(items.count))", "write `regions: [us_east, eu_west]`")
        } else if let a = picked[0], let b = picked[1] {
            if a == b { refuse("regions", "the two regions of a region_partition must differ", "name two different regions") }
            fault.region = a
            fault.peer = b
        }
    }

    /// `database.replication`, and the checks that need the database section: the shard a
    /// failure names exists, and there is a standby to promote (a read replica in the primary
    /// region: `read_replicas` ≥ 1).
    static func decodeReplication(_ config: inout PlatformConfig, db: SchemaReader, root: SchemaReader, errors: inout [ScenarioError]) {
        config.syncReplication = db.string("replication") == "sync"
        let items = root.given("faults")?.items ?? []
        for (i, f) in config.faults.enumerated() where f.kind == .dbPrimaryFailure {
            let loc = i < items.count ? items[i].location : db.node?.location ?? SourceLocation(file: "", line: 0, column: 0)
            if f.shard >= config.shards {
                errors.append(ScenarioError((i < items.count ? items[i]["shard"] : nil)?.location ?? loc, path: "faults[\(i)].shard",
                                            "shard \(f.shard) does not exist: database.shards is \(config.shards)", fix: "use a shard from 0 to \(config.shards - 1)"))
            }
            if config.faults[..<i].contains(where: { $0.kind == .dbPrimaryFailure && $0.shard == f.shard }) {
                errors.append(ScenarioError(loc, path: "faults[\(i)].shard", "shard \(f.shard) fails twice: one failure per shard is modelled",
                                            fix: "keep one db_primary_failure per shard"))
            }
            if config.readReplicas < 1 {
                errors.append(ScenarioError(loc, path: "faults[\(i)]", "a db_primary_failure promotes a standby: the shard has none (database.read_replicas is 0)",
                                            fix: "set `database.read_replicas: 1` or more (the primary region's replicas are the standbys)"))
            }
        }
        if config.syncReplication && config.readReplicas < 1 {
            errors.append(ScenarioError(db.given("replication")?.location ?? db.node?.location ?? SourceLocation(file: "", line: 0, column: 0),
                                        path: "database.replication", "synchronous replication needs a standby (database.read_replicas is 0)",
                                        fix: "set `database.read_replicas: 1` or more, or `replication: async`"))
        }
    }
}
