import SimCore

/// replications.json: the figures of every replication of a run, beside its report.json.
///
/// report.json keeps only merged figures and their intervals; the statistical gate and a
/// paired comparison need each replication's own figures, matched by replication index
/// (same index, same derived seed). `capsim baseline` writes this file.
public enum ReplicationRecord {
    public static let fileName = "replications.json"
    public static let schemaVersion = 1

    /// The document for a run of `seed` whose replication i produced `replications[i]`
    /// (each a one-replication report).
    public static func json(seed: UInt64, replications: [Report]) -> JSONValue {
        .object([
            ("schema_version", .integer(Int64(schemaVersion))),
            ("seed", .integer(Int64(bitPattern: seed))),
            ("replications", .array(replications.enumerated().map { (i, r) in
                let j = r.figuresJSON
                return .object([("index", .integer(Int64(i))), ("latency_ms", j["latency_ms"] ?? .object([])),
                                ("gauges", j["gauges"] ?? .object([])), ("counters", j["counters"] ?? .object([]))])
            })),
        ])
    }

    /// The seed and the per-replication tables, in index order; nil when the document is
    /// not a replications record.
    public static func read(_ json: JSONValue) -> (seed: UInt64, tables: [FigureTable])? {
        guard case .integer(let s)? = json["seed"], let reps = json["replications"]?.arrayValue else { return nil }
        let ordered = reps.enumerated().sorted { a, b in
            (a.element["index"]?.doubleValue ?? Double(a.offset)) < (b.element["index"]?.doubleValue ?? Double(b.offset))
        }
        return (UInt64(bitPattern: s), ordered.map { FigureTable(json: $0.element) })
    }
}
