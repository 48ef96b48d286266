/// The declarative description of the scenario format: one source for strict validation
/// (unknown keys, types, units, ranges), for `capsim schema` (JSON Schema) and for the
/// documentation of each key.
public indirect enum SchemaType: Sendable {
    case string
    case boolean
    case integer(min: Int64? = nil, max: Int64? = nil)
    case number(min: Double? = nil, max: Double? = nil)
    /// A number in [0, 1].
    case probability
    case duration
    case rate
    case percentage
    case speed
    case distance
    case enumeration([String])
    case object(ObjectSchema)
    /// A mapping whose keys the user names (stations, services, regions), all of one type.
    case map(SchemaType, keyDescription: String)
    case array(SchemaType)
    /// A distribution (see `DistributionParser`); parameters are durations or plain numbers.
    case distribution(DistributionUnit)
    /// The first alternative that accepts the value wins; errors come from the last one.
    case either([SchemaType])
    /// A quantity (duration, rate, percentage, speed, distance) limited to a range written
    /// in its own units, e.g. `.bounded(.duration, min: "1s", max: "1d")`; `exclusiveMin`
    /// makes the minimum itself invalid (`ttl` above 0s).
    case bounded(SchemaType, min: String?, max: String?, exclusiveMin: Bool)

    /// A duration above zero, at most `max`.
    public static func positiveDuration(max: String? = nil) -> SchemaType { .bounded(.duration, min: "0s", max: max, exclusiveMin: true) }
    /// A duration from `min` to `max` (both included).
    public static func duration(min: String, max: String? = nil) -> SchemaType { .bounded(.duration, min: min, max: max, exclusiveMin: false) }
    /// A distance from `min` to `max` (both included).
    public static func distance(min: String, max: String) -> SchemaType { .bounded(.distance, min: min, max: max, exclusiveMin: false) }

    /// The most items a list may hold and the most keys a mapping of names may hold: no
    /// modelled list needs more, and a limit keeps a generated file from allocating gigabytes.
    public static let maxListItems = 10_000
    public static let maxMapEntries = 1_000

    /// A bounded quantity's value in the unit its parser returns (ns, /s, %, m/s, m), or nil.
    static func magnitude(_ s: String, of type: SchemaType) -> Double? {
        switch type {
        case .duration: return (try? Units.duration(s).get()).map(Double.init)
        case .rate: return try? Units.rate(s).get()
        case .percentage: return try? Units.percentage(s).get()
        case .speed: return try? Units.speed(s).get()
        case .distance: return try? Units.distance(s).get()
        case .number, .integer: return Double(s)
        default: return nil
        }
    }

    /// A phrase for error messages: "expected a duration".
    public var expectation: String {
        switch self {
        case .string: return "text"
        case .boolean: return "true or false"
        case .integer(let lo, let hi): return "a whole number" + Self.range(lo.map(Double.init), hi.map(Double.init))
        case .number(let lo, let hi): return "a number" + Self.range(lo, hi)
        case .probability: return "a probability between 0 and 1"
        case .duration: return "a duration such as 250ms, 10s or 2h"
        case .rate: return "a rate such as 60000/h or 7.2/s"
        case .percentage: return "a percentage such as 70 or 70%"
        case .speed: return "a speed such as 19km/h"
        case .distance: return "a distance such as 2.7km or 500m"
        case .enumeration(let v): return "one of " + v.joined(separator: ", ")
        case .object: return "a mapping"
        case .map: return "a mapping of names"
        case .array: return "a list"
        case .distribution(let u): return "a distribution (e.g. { exponential: { mean: \(u == .duration ? "1s" : "3") } }) or a constant"
        case .either(let t): return t.map(\.expectation).joined(separator: ", or ")
        case .bounded(let t, let lo, let hi, let exclusive): return t.expectation + Self.bounds(lo, hi, exclusive)
        }
    }

    static func range(_ lo: Double?, _ hi: Double?) -> String {
        switch (lo, hi) {
        case let (l?, h?): return " from \(fmt(l)) to \(fmt(h))"
        case let (l?, nil): return " ≥ \(fmt(l))"
        case let (nil, h?): return " ≤ \(fmt(h))"
        default: return ""
        }
    }

    /// " from 1s to 1d", " above 0s", " ≤ 3650d".
    static func bounds(_ lo: String?, _ hi: String?, _ exclusive: Bool) -> String {
        switch (lo, hi) {
        case let (l?, h?): return exclusive ? " above \(l) and at most \(h)" : " from \(l) to \(h)"
        case let (l?, nil): return exclusive ? " above \(l)" : " ≥ \(l)"
        case let (nil, h?): return " ≤ \(h)"
        default: return ""
        }
    }

    static func fmt(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x) }
}

/// Whether a distribution's values are durations (parameters with time units, samples in
/// seconds) or plain numbers.
public enum DistributionUnit: Sendable, Equatable { case duration, number }

/// A mapping with a fixed set of keys.
public struct ObjectSchema: Sendable {
    public var fields: [Field]
    public var description: String
    /// Groups of keys of which at most one may be given (e.g. `rate` or `interarrival`).
    public var exclusive: [[String]]

    public init(_ description: String, exclusive: [[String]] = [], _ fields: [Field]) {
        self.description = description
        self.fields = fields
        self.exclusive = exclusive
    }

    public func field(_ name: String) -> Field? { fields.first { $0.name == name } }
}

/// One key of an `ObjectSchema`.
public struct Field: Sendable {
    public var name: String
    public var type: SchemaType
    public var required: Bool
    public var description: String
    /// The default: the text the decoder parses when the key is absent (`SchemaReader`) and
    /// what documentation and JSON Schema show.
    public var defaultValue: FieldDefault?

    public init(_ name: String, _ type: SchemaType, required: Bool = false, default defaultValue: FieldDefault? = nil, _ description: String) {
        self.name = name; self.type = type; self.required = required
        self.description = description; self.defaultValue = defaultValue
    }
}
