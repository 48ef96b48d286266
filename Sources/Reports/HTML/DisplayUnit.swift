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
