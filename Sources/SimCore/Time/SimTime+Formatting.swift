/// Human-readable durations for reports and messages: "250ms", "1.5s", "2h 5m".
public enum DurationFormat {
    /// Formats with the largest unit that keeps the number at least 1, to 3 significant digits.
    public static func short(_ t: SimTime) -> String {
        let a = t < 0 ? -t : t
        let sign = t < 0 ? "-" : ""
        let (value, unit): (Double, String)
        switch a {
        case ..<SimUnit.microsecond: (value, unit) = (Double(a), "ns")
        case ..<SimUnit.millisecond: (value, unit) = (Double(a) / 1e3, "us")
        case ..<SimUnit.second: (value, unit) = (Double(a) / 1e6, "ms")
        case ..<SimUnit.minute: (value, unit) = (Double(a) / 1e9, "s")
        case ..<SimUnit.hour: (value, unit) = (Double(a) / 6e10, "min")
        default: (value, unit) = (Double(a) / 3.6e12, "h")
        }
        return sign + significant(value, 3) + unit
    }

    /// `x` rounded to `digits` significant digits, without a trailing ".0".
    public static func significant(_ x: Double, _ digits: Int) -> String {
        if x == 0 || !x.isFinite { return x == 0 ? "0" : "\(x)" }
        var magnitude = 0
        var v = abs(x)
        while v >= 10 { v /= 10; magnitude += 1 }
        while v < 1 { v *= 10; magnitude -= 1 }
        let decimals = max(0, digits - 1 - magnitude)
        return fixed(x, decimals)
    }

    /// `x` with exactly `decimals` decimals (no locale, no exponent), trailing zeros removed.
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (x * scale).rounded() / scale
        var s = String(format: r, decimals: decimals)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }
}

extension String {
    /// Locale-free fixed-point formatting of a finite double.
    /// At most 18 decimals: 10^19 does not fit the UInt64 the digits are built in (a cost of
    /// 1e-300 asks for hundreds).
    init(format x: Double, decimals requested: Int) {
        if !x.isFinite { self = "\(x)"; return }
        let decimals = Swift.max(0, Swift.min(requested, 18))
        var scale: Double = 1
        for _ in 0..<decimals { scale *= 10 }
        let negative = x < 0
        let scaled = (abs(x) * scale).rounded()
        if scaled >= 9.0e18 { self = "\(x)"; return }
        let n = UInt64(scaled)
        let p = UInt64(scale)
        let whole = n / p
        var out = negative && n != 0 ? "-" : ""
        out += String(whole)
        if decimals > 0 {
            var frac = String(n % p)
            while frac.count < decimals { frac = "0" + frac }
            out += "." + frac
        }
        self = out
    }
}
