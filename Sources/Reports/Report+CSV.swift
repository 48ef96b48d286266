import SimCore

extension Report {
    /// Every time series in long form: `series,unit,time_s,value`, one row per point,
    /// series in name order (RFC 4180 quoting where needed).
    public var seriesCSV: String {
        var out = "series,unit,time_s,value\n"
        for (name, s) in series {
            for (t, v) in zip(s.times, s.values) {
                out += "\(CSV.field(name)),\(CSV.field(s.unit)),\(Report.num6(SimUnit.seconds(t))),\(Report.num6(v))\n"
            }
        }
        return out
    }

    /// Summary statistics as one table: `metric,kind,stat,value`.
    public var summaryCSV: String {
        var out = "metric,kind,stat,value\n"
        for (name, s) in latencies {
            for stat in ["count", "mean", "p50", "p90", "p95", "p99", "p99.9", "max"] {
                out += "\(CSV.field(name)),latency_ms,\(stat),\(s.value(stat).map(Report.num6) ?? "")\n"
            }
        }
        for g in gauges {
            out += "\(CSV.field(g.name)),gauge,mean,\(Report.num6(g.gauge.mean))\n\(CSV.field(g.name)),gauge,max,\(Report.num6(g.gauge.max))\n"
        }
        for c in counters { out += "\(CSV.field(c.name)),counter,value,\(Report.num6(c.value))\n" }
        return out
    }

    static func num6(_ x: Double) -> String {
        switch round6(x) {
        case .integer(let i): return String(i)
        case .number(let d): return d.description
        default: return ""
        }
    }
}

/// RFC 4180 field quoting.
public enum CSV {
    /// RFC 4180 quoting when the field holds a comma, quote, CR or LF. One pass over the
    /// UTF-8 bytes (these characters are ASCII): Foundation's `contains` on String went
    /// through NSString and was a sixth of a sweep merge's time.
    public static func field(_ s: String) -> String {
        if s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
