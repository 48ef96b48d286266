/// The unit a chart's y axis shows, and how each series' values convert to it: time units
/// go to ms, s, min or h by magnitude, ratios to percent, anything else stays as it is.
struct ValueAxis {
    var unitLabel: String
    private var timeDisplaySeconds: Double?
    private var percent: Bool

    init(units: [String], values: [(unit: String, value: Double)]) {
        let distinct = ValueAxis.unique(units)
        if !distinct.isEmpty, distinct.allSatisfy({ DisplayUnit.secondsPerUnit($0) != nil }) {
            var maxSeconds = 0.0
            for (u, v) in values where v.isFinite { maxSeconds = max(maxSeconds, abs(v) * (DisplayUnit.secondsPerUnit(u) ?? 1)) }
            let d = DisplayUnit.durationAxis(maxSeconds: maxSeconds)
            unitLabel = d.unit; timeDisplaySeconds = d.seconds; percent = false
        } else if distinct == ["ratio"] {
            unitLabel = "%"; timeDisplaySeconds = nil; percent = true
        } else {
            unitLabel = distinct.joined(separator: ", "); timeDisplaySeconds = nil; percent = false
        }
    }

    func convert(_ v: Double, from unit: String) -> Double {
        if let d = timeDisplaySeconds, let spu = DisplayUnit.secondsPerUnit(unit) { return v * spu / d }
        return percent ? v * 100 : v
    }

    /// `what (unit)`, or just `what` for unitless values.
    func label(_ what: String) -> String { unitLabel.isEmpty ? what : "\(what) (\(unitLabel))" }

    static func unique(_ xs: [String]) -> [String] {
        var out: [String] = []
        for x in xs where !out.contains(x) { out.append(x) }
        return out
    }
}
