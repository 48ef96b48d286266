import Foundation
import SimCore

/// Parsing of quantities with units, as written in scenario files.
///
/// | kind | examples | stored as |
/// | --- | --- | --- |
/// | duration | `250ms`, `10s`, `1.5min`, `2h`, `3d`, `500us`, `0` | `SimTime` nanoseconds |
/// | rate | `60000/h`, `7.2/s`, `100/min`, `5/d` | events per second |
/// | percentage | `70`, `70%`, `12.5%` | percent (0–100 scale) |
/// | speed | `19km/h`, `5m/s`, `320m/min` | metres per second |
/// | distance | `2.7km`, `500m` | metres |
public enum Units {
    /// The longest duration a scenario may give anywhere: 3650 days (ten years). Simulated
    /// time is Int64 nanoseconds (about 292 years), so sums and products of a few such
    /// values (a run length plus a timeout plus a backoff) still fit.
    public static let maxDuration: SimTime = 3650 * SimUnit.day
    /// The highest rate: 10^9 events per second (no modelled stream comes near it; a higher
    /// one would mean more events than a run could ever process).
    public static let maxRate = 1e9
    /// Speeds from 0.1 km/h (slower makes a trip outlast any run) to 1,000 km/h.
    public static let minSpeed = 0.1 / 3.6, maxSpeed = 1000 / 3.6
    /// The longest distance: 40,000 km (the Earth's circumference).
    public static let maxDistance = 40_000_000.0

    /// A quantity that is not a finite number ("inf", "nan", "1e400ms").
    static func notFinite(_ s: String, _ what: String, _ example: String) -> UnitError {
        UnitError("'\(s)' is not a finite \(what)", fix: "write a finite number with a unit, e.g. \(example)")
    }

    /// "inf", "-Infinity", ".nan", "NaN" and the like, with or without a unit.
    static func isNonFiniteWord(_ s: String) -> Bool {
        let t = s.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " +-."))
        return t.hasPrefix("inf") || t.hasPrefix("nan")
    }

    public static let durationUnits: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("sec", 1e9),
        ("min", 6e10), ("m", 6e10), ("h", 3.6e12), ("d", 8.64e13),
    ]

    /// Splits "12.5ms" into (12.5, "ms").
    static func split(_ s: String) -> (Double, String)? {
        let t = s.trimmingCharacters(in: .whitespaces)
        var end = t.startIndex
        for i in t.indices {
            let c = t[i]
            if c.isNumber || c == "." || c == "-" || c == "+" || ((c == "e" || c == "E") && i != t.startIndex && t[t.index(before: i)].isNumber && t.index(after: i) < t.endIndex && (t[t.index(after: i)].isNumber || t[t.index(after: i)] == "-")) {
                end = t.index(after: i)
            } else { break }
        }
        guard let v = Double(t[..<end]) else { return nil }
        return (v, String(t[end...]).trimmingCharacters(in: .whitespaces))
    }

    /// A duration in nanoseconds, or an error message with a fix.
    public static func duration(_ s: String) -> Result<SimTime, UnitError> {
        guard let (v, unit) = split(s) else {
            if isNonFiniteWord(s) { return .failure(notFinite(s, "duration", "10s")) }
            return .failure(UnitError("'\(s)' is not a duration", fix: "write a number with a unit: 250ms, 10s, 5min, 2h"))
        }
        if unit.isEmpty {
            if v == 0 { return .success(0) }
            return .failure(UnitError("'\(s)' has no unit", fix: "write '\(s)s' for seconds or '\(s)ms' for milliseconds"))
        }
        guard let scale = durationUnits.first(where: { $0.0 == unit })?.1 else {
            return .failure(UnitError("unknown time unit '\(unit)' in '\(s)'", fix: "use one of ns, us, ms, s, min, h, d"))
        }
        guard v.isFinite, (v * scale).isFinite else { return .failure(notFinite(s, "duration", "10s")) }
        guard v >= 0 else { return .failure(UnitError("a duration cannot be negative: '\(s)'", fix: "use a value ≥ 0")) }
        guard v * scale <= Double(maxDuration) else {
            return .failure(UnitError("'\(s)' is longer than the maximum duration of 3650d (ten years)", fix: "use a duration ≤ 3650d"))
        }
        return .success(SimTime((v * scale).rounded()))
    }

    /// A rate in events per second.
    public static func rate(_ s: String) -> Result<Double, UnitError> {
        let parts = s.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 2, isNonFiniteWord(parts[0]) { return .failure(notFinite(s, "rate", "60/min")) }
        guard parts.count == 2, let v = Double(parts[0]) else {
            return .failure(UnitError("'\(s)' is not a rate", fix: "write count per time unit: 60000/h, 7.2/s, 100/min"))
        }
        let per: Double
        switch parts[1] {
        case "s", "sec": per = 1
        case "min", "m": per = 60
        case "h": per = 3600
        case "d": per = 86400
        default: return .failure(UnitError("unknown rate unit '/\(parts[1])' in '\(s)'", fix: "use /s, /min, /h or /d"))
        }
        guard v.isFinite else { return .failure(notFinite(s, "rate", "60/min")) }
        guard v >= 0 else { return .failure(UnitError("a rate cannot be negative: '\(s)'", fix: "use a value ≥ 0")) }
        guard v / per <= maxRate else {
            return .failure(UnitError("'\(s)' is above the maximum rate of 1e9/s", fix: "use a rate ≤ 1000000000/s"))
        }
        return .success(v / per)
    }

    /// A percentage on the 0–100 scale ("70" and "70%" both mean seventy percent).
    public static func percentage(_ s: String) -> Result<Double, UnitError> {
        let t = s.hasSuffix("%") ? String(s.dropLast()) : s
        guard let v = Double(t.trimmingCharacters(in: .whitespaces)) else {
            return .failure(UnitError("'\(s)' is not a percentage", fix: "write e.g. 70 or 70%"))
        }
        guard v.isFinite else { return .failure(notFinite(s, "percentage", "70%")) }
        return .success(v)
    }

    /// A speed in metres per second.
    public static func speed(_ s: String) -> Result<Double, UnitError> {
        guard let (v, unit) = split(s) else {
            if isNonFiniteWord(s) { return .failure(notFinite(s, "speed", "19km/h")) }
            return .failure(UnitError("'\(s)' is not a speed", fix: "write e.g. 19km/h, 5m/s or 320m/min"))
        }
        let scale: Double
        switch unit {
        case "km/h", "kmh", "kph": scale = 1000.0 / 3600
        case "m/s": scale = 1
        case "m/min": scale = 1.0 / 60
        case "mph": scale = 1609.344 / 3600
        default: return .failure(UnitError("unknown speed unit '\(unit)' in '\(s)'", fix: "use km/h, m/s, m/min or mph"))
        }
        guard v.isFinite else { return .failure(notFinite(s, "speed", "19km/h")) }
        guard v > 0 else { return .failure(UnitError("a speed must be positive: '\(s)'", fix: "use a value > 0")) }
        guard v * scale >= minSpeed * (1 - 1e-12), v * scale <= maxSpeed * (1 + 1e-12) else {
            return .failure(UnitError("'\(s)' is outside the speeds a run can simulate (0.1km/h to 1000km/h)", fix: "use a speed from 0.1km/h to 1000km/h"))
        }
        return .success(v * scale)
    }

    /// A distance in metres.
    public static func distance(_ s: String) -> Result<Double, UnitError> {
        guard let (v, unit) = split(s) else {
            if isNonFiniteWord(s) { return .failure(notFinite(s, "distance", "2.7km")) }
            return .failure(UnitError("'\(s)' is not a distance", fix: "write e.g. 2.7km or 500m"))
        }
        let scale: Double
        switch unit {
        case "km": scale = 1000
        case "m": scale = 1
        case "mi": scale = 1609.344
        case "":
            if v == 0 { return .success(0) }
            return .failure(UnitError("'\(s)' has no unit", fix: "write '\(s)m' for metres or '\(s)km'"))
        default: return .failure(UnitError("unknown distance unit '\(unit)' in '\(s)'", fix: "use m, km or mi"))
        }
        guard v.isFinite else { return .failure(notFinite(s, "distance", "2.7km")) }
        guard v >= 0 else { return .failure(UnitError("a distance cannot be negative: '\(s)'", fix: "use a value ≥ 0")) }
        guard v * scale <= maxDistance else {
            return .failure(UnitError("'\(s)' is longer than the maximum distance of 40000km", fix: "use a distance ≤ 40000km"))
        }
        return .success(v * scale)
    }
}

/// What was wrong with a quantity, and how to write it instead.
public struct UnitError: Error, Sendable {
    public var message: String
    public var fix: String
    public init(_ message: String, fix: String) { self.message = message; self.fix = fix }
}
