/// Reads RFC 4180 CSV (the series.csv capsim writes): quoted fields, doubled quotes, CRLF
/// or LF line ends.
public enum CSVReader {
    /// The rows of `text`, each a list of fields; an empty last line is dropped.
    public static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var it = Array(text.unicodeScalars)[...]
        var fieldStarted = false
        while let c = it.popFirst() {
            if quoted {
                if c == "\"" {
                    if it.first == "\"" { field.unicodeScalars.append("\""); it.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true; fieldStarted = true
            case ",": row.append(field); field = ""; fieldStarted = true
            case "\r": continue
            case "\n":
                row.append(field)
                rows.append(row)
                row = []; field = ""; fieldStarted = false
            default: field.unicodeScalars.append(c); fieldStarted = true
            }
        }
        if fieldStarted || !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// series.csv (`series,unit,time_s,value`) back into chart series, in file order.
    public static func series(_ text: String) -> [ChartSeries] {
        var out: [ChartSeries] = []
        for r in rows(text).dropFirst() where r.count >= 4 {
            guard let t = Double(r[2]) else { continue }
            let v = Double(r[3]) ?? .nan
            if let last = out.indices.last, out[last].name == r[0] {
                out[last].seconds.append(t); out[last].values.append(v)
            } else {
                out.append(ChartSeries(name: r[0], unit: r[1], seconds: [t], values: [v]))
            }
        }
        return out
    }
}
