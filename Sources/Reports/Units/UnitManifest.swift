import SimCore

/// What `capsim units` prints: a local command (`run` or `sweep` with its arguments, and the
/// folder it was given in) and the units that command evaluates, in the order it merges them.
///
/// A runner (the Python package, a batch system, a shell loop) evaluates each unit with
/// `capsim <arguments of the unit> --out <parts>/<partFileName(i)>`, anywhere; then
/// `capsim merge <manifest> --parts <parts>` re-plans the command in `directory`, checks that
/// the plan still matches, and writes exactly the files the local command writes.
/// Format `capsim-units`, schema version 1.
public struct UnitManifest: Sendable {
    public static let format = "capsim-units"
    public static let schemaVersion: Int64 = 1

    public var command: String
    public var arguments: [String]
    /// The working directory the command's relative paths (scenario files, `--out`) refer to.
    public var directory: String
    public var units: [WorkUnit]

    public init(command: String, arguments: [String], directory: String, units: [WorkUnit]) {
        self.command = command; self.arguments = arguments; self.directory = directory; self.units = units
    }

    /// The part file of unit `index`: `unit-000042.json`.
    public static func partFileName(_ index: Int) -> String {
        let s = String(index)
        return "unit-" + String(repeating: "0", count: max(0, 6 - s.count)) + s + ".json"
    }

    public var json: JSONValue {
        .object([("format", .string(UnitManifest.format)), ("schema_version", .integer(UnitManifest.schemaVersion)),
                 ("command", .string(command)), ("arguments", .array(arguments.map { .string($0) })),
                 ("directory", .string(directory)),
                 ("units", .array(units.enumerated().map { (i, u) in
                     .object([("index", .integer(Int64(i))), ("unit", u.json), ("argv", .array(u.arguments.map { .string($0) })),
                              ("part", .string(UnitManifest.partFileName(i)))])
                 }))])
    }

    public static func read(_ text: String, name: String) throws -> UnitManifest {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw JSONReadError(path: name, message: "\(error)") }
        let r = JSONReader(json, path: name)
        guard (try? r.string("format")) == format else { throw JSONReadError(path: name, message: "not a \(format) file") }
        let v = try r.integer("schema_version")
        guard v == schemaVersion else { throw JSONReadError(path: name, message: "schema_version \(v); this capsim reads \(schemaVersion)") }
        return UnitManifest(command: try r.string("command"), arguments: try r.strings("arguments"),
                            directory: try r.string("directory"),
                            units: try r.objects("units").map { (u) throws(JSONReadError) -> WorkUnit in try WorkUnit(json: try u.object("unit")) })
    }
}
