/// Doubles written so that reading them back gives the same bits.
///
/// Finite values are JSON numbers in Swift's shortest round-trip form (`Double(String)` reads
/// them back exactly, -0.0 included); JSON has no spelling for the others, so NaN and the
/// infinities are the strings "nan", "inf" and "-inf".
public enum JSONNumbers {
    public static func exact(_ d: Double) -> JSONValue {
        if d.isFinite { return .number(d) }
        return .string(d.isNaN ? "nan" : (d > 0 ? "inf" : "-inf"))
    }

    public static func read(_ v: JSONValue) -> Double? {
        switch v {
        case .number(let d): return d
        case .integer(let i): return Double(i)
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: return nil
        }
    }
}
