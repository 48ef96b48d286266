import SimCore

/// Renders the scenario schema as a JSON Schema (draft 2020-12), so editors with a YAML
/// language server validate and complete scenario files
/// (`# yaml-language-server: $schema=capsim.schema.json`).
public enum JSONSchemaWriter {
    /// A file with `extends:` holds only what it changes (it is deep-merged over its base).
    /// The root states every key and type with nothing required, at any depth; a file
    /// without `extends` must in addition match the full schema, with its required keys
    /// (`if`/`else`). The merged result is checked in full by `capsim validate`.
    public static func document() -> JSONValue {
        var root = objectSchema(ScenarioSchema.root, partial: true)
        root.insert(("$schema", .string("https://json-schema.org/draft/2020-12/schema")), at: 0)
        root.insert(("title", .string("capsim scenario")), at: 1)
        root.append(("if", .object([("required", .array([.string("extends")]))])))
        root.append(("else", .object(objectSchema(ScenarioSchema.root, partial: false))))
        root.append(("$defs", .object([("distribution_duration", distribution(.duration)), ("distribution_number", distribution(.number))])))
        return .object(root)
    }

    static let durationPattern = "^[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?(ns|us|µs|ms|s|sec|min|m|h|d)$|^0$"

    static func objectSchema(_ o: ObjectSchema, partial: Bool) -> [(String, JSONValue)] {
        var props: [(String, JSONValue)] = []
        for f in o.fields {
            var p = type(f.type, partial: partial)
            var limits = ""
            if case .bounded(_, let lo, let hi, let exclusive) = f.type { limits = ";" + SchemaType.bounds(lo, hi, exclusive) }
            p.append(("description", .string(f.description + (f.defaultValue?.shown.map { " (default: \($0))" } ?? "") + limits)))
            props.append((f.name, .object(p)))
        }
        var out: [(String, JSONValue)] = [("type", .string("object")), ("description", .string(o.description)),
                                          ("additionalProperties", .bool(false)), ("properties", .object(props))]
        let req = o.fields.filter(\.required).map { JSONValue.string($0.name) }
        if !req.isEmpty, !partial { out.append(("required", .array(req))) }
        return out
    }

    static func type(_ t: SchemaType, partial: Bool) -> [(String, JSONValue)] {
        switch t {
        case .string: return [("type", .string("string"))]
        case .boolean: return [("type", .string("boolean"))]
        case .integer(let lo, let hi):
            var r: [(String, JSONValue)] = [("type", .string("integer"))]
            if let lo { r.append(("minimum", .integer(lo))) }
            if let hi { r.append(("maximum", .integer(hi))) }
            return r
        case .number(let lo, let hi):
            var r: [(String, JSONValue)] = [("type", .string("number"))]
            if let lo { r.append(("minimum", .number(lo))) }
            if let hi { r.append(("maximum", .number(hi))) }
            return r
        case .probability: return [("type", .string("number")), ("minimum", .integer(0)), ("maximum", .integer(1))]
        case .duration: return [("type", .string("string")), ("pattern", .string(durationPattern))]
        case .rate: return [("type", .string("string")), ("pattern", .string("^[0-9.]+\\s*/\\s*(s|sec|min|m|h|d)$"))]
        case .percentage: return [("anyOf", .array([.object([("type", .string("number")), ("exclusiveMinimum", .integer(0)), ("maximum", .integer(100))]),
                                                     .object([("type", .string("string")), ("pattern", .string("^(100(\\.0+)?|[0-9]{1,2}(\\.[0-9]+)?)%$"))])]))]
        case .speed: return [("type", .string("string")), ("pattern", .string("^[0-9.]+\\s*(km/h|kmh|kph|m/s|m/min|mph)$"))]
        case .distance: return [("type", .string("string")), ("pattern", .string("^[0-9.]+\\s*(m|km|mi)$"))]
        case .enumeration(let v): return [("enum", .array(v.map { .string($0) }))]
        case .object(let o): return objectSchema(o, partial: partial)
        case .map(let v, _): return [("type", .string("object")), ("additionalProperties", .object(type(v, partial: partial))), ("maxProperties", .integer(Int64(SchemaType.maxMapEntries)))]
        case .array(let v): return [("type", .string("array")), ("items", .object(type(v, partial: partial))), ("maxItems", .integer(Int64(SchemaType.maxListItems)))]
        case .distribution(let u): return [("$ref", .string(u == .duration ? "#/$defs/distribution_duration" : "#/$defs/distribution_number"))]
        case .either(let ts): return [("anyOf", .array(ts.map { .object(type($0, partial: partial)) }))]
        // Unit-bearing limits cannot be a JSON Schema keyword; the description states them.
        case .bounded(let inner, _, _, _): return type(inner, partial: partial)
        }
    }

    static func distribution(_ u: DistributionUnit) -> JSONValue {
        let v: JSONValue = u == .duration ? .object([("type", .string("string")), ("pattern", .string(durationPattern))]) : .object([("type", .string("number"))])
        var alts: [JSONValue] = [v]
        for kind in DistributionParser.kinds {
            let params = DistributionParser.parameters[kind] ?? []
            let props = params.map { ($0, JSONValue.object([])) }
            alts.append(.object([("type", .string("object")), ("additionalProperties", .bool(false)),
                                 ("required", .array([.string(kind)])),
                                 ("properties", .object([(kind, .object([("type", .string("object")), ("additionalProperties", .bool(false)), ("properties", .object(props))]))]))]))
        }
        return .object([("description", .string("A distribution: a constant or { kind: { parameters } }")), ("anyOf", .array(alts))])
    }
}
