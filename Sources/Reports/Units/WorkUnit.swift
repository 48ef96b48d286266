import SimCore

/// One unit of work: replication `replication` of a scenario file with `--set` overrides,
/// on master seed `seed`. It runs on one thread (`capsim unit`), anywhere, and its result
/// depends only on these fields and the scenario's content (`scenarioDigest`).
///
/// Replication i runs on `StreamSeeder.replicationSeed(seed, index: i)`, exactly as
/// replication i of `capsim run --replications n` does, so the units of a run, evaluated on
/// any machines in any order, merge into the local run's report (`capsim merge`).
public struct WorkUnit: Sendable, Equatable {
    /// The scenario file as the worker opens it (absolute in a manifest).
    public var scenario: String
    public var overrides: [String]
    public var seed: UInt64
    public var replication: Int
    /// FNV-1a 64 of the resolved scenario's canonical JSON: a worker whose copy of the file
    /// (or of a file it `extends:`) differs refuses the unit instead of measuring another scenario.
    public var scenarioDigest: String

    public init(scenario: String, overrides: [String], seed: UInt64, replication: Int, scenarioDigest: String) {
        self.scenario = scenario; self.overrides = overrides; self.seed = seed
        self.replication = replication; self.scenarioDigest = scenarioDigest
    }

    /// The digest of a resolved scenario document (`ScenarioConfig.document.toJSONValue()`).
    public static func digest(ofResolvedScenario doc: JSONValue) -> String {
        let h = StreamSeeder.fnv1a(doc.serialized(sortedKeys: true))
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The seed replication `replication` runs on.
    public var replicationSeed: UInt64 { StreamSeeder.replicationSeed(seed, index: replication) }

    /// The arguments of `capsim unit` that evaluate this unit (without `--out`).
    public var arguments: [String] {
        ["unit", scenario] + overrides.flatMap { ["--set", $0] }
            + ["--seed", String(seed), "--replication", String(replication), "--expect-digest", scenarioDigest]
    }

    public var json: JSONValue {
        .object([("scenario", .string(scenario)), ("overrides", .array(overrides.map { .string($0) })),
                 ("seed", .string(String(seed))), ("replication", .integer(Int64(replication))),
                 ("scenario_digest", .string(scenarioDigest))])
    }

    public init(json r: JSONReader) throws(JSONReadError) {
        self.init(scenario: try r.string("scenario"), overrides: try r.strings("overrides"), seed: try r.decimal("seed"),
                  replication: Int(try r.integer("replication")), scenarioDigest: try r.string("scenario_digest"))
    }
}
