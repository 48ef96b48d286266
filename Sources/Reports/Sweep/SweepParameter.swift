import Foundation

/// One swept parameter: a scenario path and the values it takes, as written on the command
/// line (`--param queueing.arrivals.0.rate=5/s,6/s,7/s`). Each value is applied like
/// `--set path=value`, so it is YAML: `{exponential: {mean: 2s}}` is one value.
public struct SweepParameter: Sendable, Equatable {
    public var path: String
    public var values: [String]

    public init(path: String, values: [String]) { self.path = path; self.values = values }

    /// Parses `path=v1,v2,...`. Commas inside `{}`, `[]` or quotes do not split values.
    public static func parse(_ text: String) throws(SweepInputError) -> SweepParameter {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw SweepInputError(message: "--param '\(text)': write path=v1,v2,... (e.g. --param queueing.arrivals.0.rate=5/s,6/s,7/s)")
        }
        let path = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let values = splitTopLevel(String(text[text.index(after: eq)...]))
        if values.isEmpty || values.contains(where: { $0.isEmpty }) {
            throw SweepInputError(message: "--param '\(text)': every value must be non-empty (v1,v2,...)")
        }
        var seen: [String] = []
        for v in values {
            if seen.contains(v) { throw SweepInputError(message: "--param '\(text)': the value '\(v)' is listed twice") }
            seen.append(v)
        }
        return SweepParameter(path: path, values: values)
    }

    /// Splits at commas outside brackets and quotes, trimming spaces.
    static func splitTopLevel(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        var depth = 0
        var quote: Character?
        for c in s {
            if let q = quote {
                cur.append(c)
                if c == q { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c; cur.append(c)
            case "{", "[": depth += 1; cur.append(c)
            case "}", "]": depth -= 1; cur.append(c)
            case "," where depth == 0: out.append(cur.trimmingCharacters(in: .whitespaces)); cur = ""
            default: cur.append(c)
            }
        }
        out.append(cur.trimmingCharacters(in: .whitespaces))
        return out
    }
}

/// A bad `--param` (exit code 2 in the CLI).
public struct SweepInputError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
