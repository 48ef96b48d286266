import SimCore

/// Display units for the axes: simulated time in s, min or h by span; durations in ms, s,
/// min or h by magnitude, so tick labels stay short.
public enum DisplayUnit {
    /// Seconds per unit for the time units series and metrics are written in, nil otherwise.
    public static func secondsPerUnit(_ unit: String) -> Double? {
        switch unit {
        case "ns": return 1e-9
        case "us", "µs": return 1e-6
        case "ms": return 1e-3
        case "s": return 1
        case "min": return 60
        case "h": return 3600
        default: return nil
        }
    }

    /// The unit to show a simulated-time axis spanning `seconds` in, and its size in seconds.
    public static func timeAxis(spanSeconds seconds: Double) -> (unit: String, seconds: Double) {
        if seconds <= 180 { return ("s", 1) }
        if seconds <= 3 * 3600 { return ("min", 60) }
        return ("h", 3600)
    }

    /// The unit to show durations whose largest value is `maxSeconds`, and its size in seconds.
    public static func durationAxis(maxSeconds: Double) -> (unit: String, seconds: Double) {
        if maxSeconds < 2 { return ("ms", 1e-3) }
        if maxSeconds < 180 { return ("s", 1) }
        if maxSeconds < 3 * 3600 { return ("min", 60) }
        return ("h", 3600)
    }
}

extension DisplayUnit {
    /// A value of a report unit for people: durations in the unit that suits them (`1442782`
    /// ms reads `24 min`), ratios as percent, other units appended as they are; 4
    /// significant digits.
    public static func readable(_ v: Double, unit: String) -> String {
        guard v.isFinite else { return "—" }
        if let spu = secondsPerUnit(unit) {
            let seconds = abs(v) * spu
            let d: (unit: String, seconds: Double) = seconds < 1e-3 && seconds > 0 ? ("µs", 1e-6) : durationAxis(maxSeconds: seconds)
            return Report.num(v * spu / d.seconds) + " " + d.unit
        }
        if unit == "ratio" { return Report.num(v * 100) + " %" }
        return unit.isEmpty ? Report.num(v) : "\(Report.num(v)) \(unit)"
    }
}

/// Orders names as people count: digit runs compare by value, so `db.shard.2` comes
/// before `db.shard.10` (plain string order puts 10 first).
public enum NaturalOrder {
    public static func less(_ a: String, _ b: String) -> Bool {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        var i = 0, j = 0
        while i < x.count, j < y.count {
            let dx = x[i].properties.numericType != nil && x[i].isASCII, dy = y[j].properties.numericType != nil && y[j].isASCII
            if dx && dy {
                var ei = i, ej = j
                while ei < x.count, x[ei].isASCII, x[ei].properties.numericType != nil { ei += 1 }
                while ej < y.count, y[ej].isASCII, y[ej].properties.numericType != nil { ej += 1 }
                // Compare by value: strip leading zeros, then length, then digits.
                var si = i, sj = j
                while si < ei - 1, x[si] == "0" { si += 1 }
                while sj < ej - 1, y[sj] == "0" { sj += 1 }
                if ei - si != ej - sj { return ei - si < ej - sj }
                for k in 0..<(ei - si) where x[si + k] != y[sj + k] { return x[si + k].value < y[sj + k].value }
                if ei - i != ej - j { return ei - i < ej - j }
                i = ei; j = ej
            } else {
                if x[i] != y[j] { return x[i].value < y[j].value }
                i += 1; j += 1
            }
        }
        return x.count - i < y.count - j
    }

    public static func sorted<T>(_ xs: [T], by name: (T) -> String) -> [T] {
        xs.sorted { less(name($0), name($1)) }
    }
}
