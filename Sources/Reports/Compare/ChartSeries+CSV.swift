import SimCore

extension ChartSeries {
    /// series.csv (`series,unit,time_s,value`, as `Report+CSV` writes it) back into chart
    /// series, in file order, read with the shared `DelimitedText` reader. A file that is
    /// not CSV (an unclosed quote) yields no series: the comparison then shows no charts.
    public static func read(seriesCSV text: String) -> [ChartSeries] {
        guard let records = try? DelimitedText.records(text) else { return [] }
        var out: [ChartSeries] = []
        for r in records.dropFirst() where r.fields.count >= 4 {
            let f = r.fields
            guard let t = Double(f[2]) else { continue }
            let v = Double(f[3]) ?? .nan
            if let last = out.indices.last, out[last].name == f[0] {
                out[last].seconds.append(t); out[last].values.append(v)
            } else {
                out.append(ChartSeries(name: f[0], unit: f[1], seconds: [t], values: [v]))
            }
        }
        return out
    }
}
