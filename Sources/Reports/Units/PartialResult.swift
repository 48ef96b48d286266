import SimCore

/// What `capsim unit` writes: the unit it evaluated and that replication's measurements,
/// losslessly (`RunMetrics.json`), as canonical JSON (sorted keys, two-space indent).
///
/// Format `capsim-partial-result`, schema version 1 (docs/dask.md describes every member).
/// A reader refuses another format or version rather than guess.
public struct PartialResult: Sendable {
    public static let format = "capsim-partial-result"
    public static let schemaVersion: Int64 = 1

    public var unit: WorkUnit
    public var metrics: RunMetrics

    public init(unit: WorkUnit, metrics: RunMetrics) { self.unit = unit; self.metrics = metrics }

    public var json: JSONValue {
        .object([("format", .string(PartialResult.format)), ("schema_version", .integer(PartialResult.schemaVersion)),
                 ("unit", unit.json), ("replication_seed", .string(String(unit.replicationSeed))),
                 ("metrics", metrics.json)])
    }

    /// The file's text. - Complexity: O(size of the metrics).
    public var text: String { json.serialized(sortedKeys: true) }

    /// Reads a partial result; `name` (a file name) prefixes error messages.
    public static func read(_ text: String, name: String) throws -> PartialResult {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw JSONReadError(path: name, message: "\(error)") }
        let r = JSONReader(json, path: name)
        guard (try? r.string("format")) == format else {
            throw JSONReadError(path: name, message: "not a \(format) file")
        }
        let v = try r.integer("schema_version")
        guard v == schemaVersion else {
            throw JSONReadError(path: name, message: "schema_version \(v); this capsim reads \(schemaVersion)")
        }
        return PartialResult(unit: try WorkUnit(json: try r.object("unit")),
                             metrics: try RunMetrics(json: try r.member("metrics"), path: name + ".metrics"))
    }
}
