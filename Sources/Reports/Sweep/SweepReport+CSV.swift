extension SweepReport {
    /// Every figure of every point in long form: `point,<param>...,metric,stat,unit,value`.
    public var csv: String {
        var out = (["point"] + axes.map(\.path) + ["metric", "stat", "unit", "value"]).map(CSV.field).joined(separator: ",") + "\n"
        for (i, p) in points.enumerated() {
            let prefix = ([String(i)] + zip(axes, p.indices).map { $0.values[$1] }).map(CSV.field).joined(separator: ",")
            for f in p.figures.figures {
                out += prefix + "," + [f.metric, f.stat, f.unit].map(CSV.field).joined(separator: ",") + "," + Report.num6(f.value) + "\n"
            }
        }
        return out
    }
}
