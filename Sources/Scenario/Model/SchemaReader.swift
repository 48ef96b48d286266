import SimCore

/// Reads one mapping of a validated scenario against its `ObjectSchema`, so every decoder
/// walks the document and the schema together. A key that is given is parsed by its unit
/// parser; a key that is absent (or null) takes the schema's default text, parsed by the
/// same parser. A default is thus written once, in the schema (`DefaultsTests` decodes a
/// minimal scenario with each default left out and written out, and checks that the
/// decoders hold no fallback literals of their own).
///
/// Validation has checked every value, and the decoders reject null sections, so a
/// required key is always given. What can still go wrong is the decoder itself: a key the
/// schema does not know, or a non-optional read of a key that is optional without a value
/// default. Those are recorded in `mismatches` (and fail the decode) instead of guessed.
struct SchemaReader {
    let node: ConfigNode?
    let schema: ObjectSchema
    /// The dotted path of this mapping ("" at the root).
    let path: String
    let mismatches: DecodeMismatches

    init(_ node: ConfigNode?, _ schema: ObjectSchema, path: String = "", mismatches: DecodeMismatches) {
        self.node = node; self.schema = schema; self.path = path; self.mismatches = mismatches
    }

    func keyPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The node written for `key`, nil when absent or null (for error locations and presence).
    func given(_ key: String) -> ConfigNode? {
        guard let n = node?[key], !n.isNull else { return nil }
        return n
    }

    func field(_ key: String) -> Field? {
        if let f = schema.field(key) { return f }
        mismatches.record(keyPath(key), "the decoder reads a key the schema does not define")
        return nil
    }

    /// The schema's default for `key` as a scalar node, located at the schema, or nil.
    func defaultNode(_ key: String) -> ConfigNode? {
        guard let text = field(key)?.defaultValue?.value else { return nil }
        return ConfigNode(.scalar(text, quoted: false), at: SourceLocation(file: "default of \(keyPath(key))", line: 0, column: 0))
    }

    /// The given node, else the default's: what the decoder reads for `key`.
    func node(_ key: String) -> ConfigNode? { given(key) ?? defaultNode(key) }

    /// The given value, or the default's when absent or unreadable; nil when neither.
    func optional<T>(_ key: String, _ parse: (ConfigNode) -> T?) -> T? {
        if let n = given(key), let v = parse(n) { return v }
        return defaultNode(key).flatMap(parse)
    }

    /// A value the schema guarantees (required, or with a value default).
    func value<T>(_ key: String, _ parse: (ConfigNode) -> T?, absent: T) -> T {
        if let v = optional(key, parse) { return v }
        if let f = schema.field(key), !f.required {
            mismatches.record(keyPath(key), "the decoder needs a value but the key is optional without a default")
        }
        // Only reachable for a required key inside a null mapping, which the decoders refuse first.
        return absent
    }

    func int(_ key: String) -> Int { value(key, \.intValue, absent: 0) }
    func uint64(_ key: String) -> UInt64 { value(key, { $0.scalar.flatMap { UInt64($0) } }, absent: 0) }
    func double(_ key: String) -> Double { value(key, \.doubleValue, absent: 0) }
    func bool(_ key: String) -> Bool { value(key, \.boolValue, absent: false) }
    func string(_ key: String) -> String { value(key, \.stringValue, absent: "") }
    func duration(_ key: String) -> SimTime { value(key, \.durationValue, absent: 0) }
    func rate(_ key: String) -> Double { value(key, \.rateValue, absent: 0) }
    func percentage(_ key: String) -> Double { value(key, \.percentageValue, absent: 0) }
    func speed(_ key: String) -> Double { value(key, \.speedValue, absent: 0) }
    func distance(_ key: String) -> Double { value(key, \.distanceValue, absent: 0) }
    func distribution(_ key: String, _ unit: DistributionUnit = .duration) -> Distribution {
        value(key, { $0.distribution(unit) }, absent: .constant(0))
    }
    /// Free text that may be left out: empty when absent.
    func text(_ key: String) -> String { optional(key, \.stringValue) ?? "" }

    /// The index of the chosen value in `names` (an enumerated key whose values are `names`).
    func choice(_ key: String, among names: [String]) -> Int {
        let s = string(key)
        if let i = names.firstIndex(of: s) { return i }
        mismatches.record(keyPath(key), "'\(s)' is not one of \(names.joined(separator: ", "))")
        return 0
    }

    /// The nested mapping `key` (absent: every key at its default).
    func object(_ key: String) -> SchemaReader {
        SchemaReader(given(key), objectSchema(key), path: keyPath(key), mismatches: mismatches)
    }

    /// The entries of the mapping of names `key`, each read against its object schema.
    func entries(_ key: String) -> [(key: String, keyLocation: SourceLocation, reader: SchemaReader)] {
        (given(key)?.entries ?? []).map { e in
            (e.key, e.keyLocation, SchemaReader(e.node, objectSchema(key), path: keyPath(key) + "." + e.key, mismatches: mismatches))
        }
    }

    /// The items of the list of mappings `key`, each read against its object schema.
    func items(_ key: String) -> [SchemaReader] {
        (given(key)?.items ?? []).enumerated().map { i, n in
            SchemaReader(n, objectSchema(key), path: keyPath(key) + "[\(i)]", mismatches: mismatches)
        }
    }

    /// The object schema of `key`, of its map values or of its list items.
    func objectSchema(_ key: String) -> ObjectSchema {
        switch field(key)?.type {
        case .object(let o)?, .map(.object(let o), _)?, .array(.object(let o))?: return o
        default:
            mismatches.record(keyPath(key), "the decoder reads a mapping where the schema has none")
            return ObjectSchema("", [])
        }
    }
}

/// Decoder/schema mismatches found while decoding (a programming error, never bad input).
final class DecodeMismatches {
    private(set) var errors: [ScenarioError] = []

    func record(_ path: String, _ problem: String) {
        errors.append(ScenarioError(SourceLocation(file: "capsim", line: 0, column: 0), path: path,
                                    "internal error: \(problem)", fix: "report this: the decoder and the scenario schema disagree"))
    }
}
