/// A resource `capsim plan` varies: a scenario key path and its candidate values, strictly
/// increasing (more of the resource, more cost, and — assumed, then checked — no worse
/// SLOs). Written `path=LO..HI`, `path=LO..HI:STEP` or `path=v1,v2,...`.
///
/// A path ending in `services.<name>.replicas` pins the pool: it sets both `min` and `max`
/// (each region's pool, as the scenario's min/max are per region), so the HPA cannot move it.
public struct PlanResource: Sendable, Equatable {
    public var path: String
    public var values: [Int]

    public init(path: String, values: [Int]) { self.path = path; self.values = values }

    /// Parses one `--vary` argument.
    ///
    /// - Throws: `PlanInputError` for a missing `=`, an empty range (LO > HI), a step < 1,
    ///   a value that is not a whole number, or a list that is not strictly increasing.
    public static func parse(_ text: String) throws(PlanInputError) -> PlanResource {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw .vary(text, "write path=LO..HI, path=LO..HI:STEP or path=v1,v2,... (e.g. queueing.stations.server.servers=1..20)")
        }
        let path = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let spec = String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces)
        if let dots = spec.range(of: "..") {
            let lo = spec[..<dots.lowerBound].trimmingCharacters(in: .whitespaces)
            var hiText = spec[dots.upperBound...].trimmingCharacters(in: .whitespaces)
            var step = 1
            if let colon = hiText.firstIndex(of: ":") {
                guard let s = Int(hiText[hiText.index(after: colon)...].trimmingCharacters(in: .whitespaces)), s >= 1 else {
                    throw .vary(text, "the step after ':' must be a whole number ≥ 1 (e.g. \(path)=1000..9000:1000)")
                }
                step = s
                hiText = String(hiText[..<colon]).trimmingCharacters(in: .whitespaces)
            }
            guard let l = Int(lo), let h = Int(hiText) else { throw .vary(text, "LO and HI must be whole numbers (e.g. \(path)=1..20)") }
            guard l <= h else { throw .vary(text, "the range \(l)..\(h) is empty; write the smaller value first (\(path)=\(h)..\(l))") }
            guard l >= 0 else { throw .vary(text, "resource counts are not negative; start the range at 0 or more") }
            return PlanResource(path: path, values: Array(stride(from: l, through: h, by: step)))
        }
        let parts = spec.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { Int($0) }
        guard !parts.isEmpty, values.count == parts.count else {
            throw .vary(text, "values must be whole numbers separated by commas, or a range LO..HI")
        }
        for i in values.indices.dropFirst() where values[i] <= values[i - 1] {
            throw .vary(text, "the list must be strictly increasing (\(values[i - 1]) then \(values[i])); plan bisects it, so sort it: \(path)=\(Array(Set(values)).sorted().map(String.init).joined(separator: ","))")
        }
        return PlanResource(path: path, values: values)
    }

    /// The `--set` assignments giving this resource `value`.
    public func assignments(_ value: Int) -> [String] {
        let parts = path.split(separator: ".").map(String.init)
        if parts.count == 3, parts[0] == "services", parts[2] == "replicas" {
            // min first, then max: the scenario is validated after both are applied.
            return ["services.\(parts[1]).min=\(value)", "services.\(parts[1]).max=\(value)"]
        }
        return ["\(path)=\(value)"]
    }

    /// The short name in tables: the path without a leading `services.`/`queueing.stations.`.
    public var label: String {
        for prefix in ["queueing.stations.", "services."] where path.hasPrefix(prefix) { return String(path.dropFirst(prefix.count)) }
        return path
    }
}

/// Bad `plan` input that is not a scenario problem (exit 2).
public enum PlanInputError: Error, Sendable, Equatable, CustomStringConvertible {
    case vary(String, String)
    case demand(String, String)
    case other(String)

    public var description: String {
        switch self {
        case let .vary(arg, fix): return "--vary \(arg): \(fix)"
        case let .demand(arg, fix): return "--demand \(arg): \(fix)"
        case let .other(m): return m
        }
    }
}
