import SimCore

/// Every figure of one report (or of one replication), in canonical order: latencies, then
/// gauges, then counters, each by metric name and statistic. Built from the report's JSON
/// sections `latency_ms`, `gauges` and `counters`, so it reads in-memory reports and
/// report.json files alike.
public struct FigureTable: Sendable, Equatable {
    public private(set) var figures: [Figure]
    /// Position of each (metric, stat) in `figures`, for O(1) lookups: a platform report
    /// has thousands of figures and sweeps look each up once per point. Only ever read by
    /// key, so its hash order reaches no output.
    private var index: [String: Int] = [:]

    public init(figures: [Figure]) {
        self.figures = figures.sorted { a, b in
            if a.kind != b.kind { return a.kind < b.kind }
            if a.metric != b.metric { return a.metric < b.metric }
            return Figure.statRank(a.kind, a.stat) < Figure.statRank(b.kind, b.stat)
        }
        for (i, f) in self.figures.enumerated() where index[FigureTable.key(f.metric, f.stat)] == nil {
            index[FigureTable.key(f.metric, f.stat)] = i
        }
    }

    static func key(_ metric: String, _ stat: String) -> String { metric + "\u{1F}" + stat }

    public static func == (a: FigureTable, b: FigureTable) -> Bool { a.figures == b.figures }

    public init(report: Report) { self.init(json: report.figuresJSON) }

    /// Reads the `latency_ms`, `gauges` and `counters` members of a report document (or of
    /// one replication's entry in replications.json). Unknown members are ignored.
    public init(json: JSONValue) {
        var out: [Figure] = []
        for (name, v) in json["latency_ms"]?.objectValue ?? [] {
            let cis = FigureTable.intervals(v["ci95"])
            for stat in Figure.latencyStats {
                // `null` (schema 2: a latency without samples) is no data: NaN, which no gate passes.
                guard let raw = v[FigureTable.jsonKey(stat)] else { continue }
                let x: Double
                if let d = raw.doubleValue { x = d } else if case .null = raw { x = .nan } else { continue }
                out.append(Figure(metric: name, stat: stat, kind: .latency, unit: stat == "count" ? "" : "ms", value: x,
                                  interval: cis.first { $0.0 == stat }?.1))
            }
        }
        for (name, v) in json["gauges"]?.objectValue ?? [] {
            let unit = v["unit"]?.stringValue ?? ""
            let ci = FigureTable.interval(v["ci95"])
            if let m = v["mean"]?.doubleValue { out.append(Figure(metric: name, stat: "mean", kind: .gauge, unit: unit, value: m, interval: ci)) }
            if let m = v["max"]?.doubleValue { out.append(Figure(metric: name, stat: "max", kind: .gauge, unit: unit, value: m)) }
        }
        for (name, v) in json["counters"]?.objectValue ?? [] {
            if let x = v.doubleValue {
                out.append(Figure(metric: name, stat: "value", kind: .counter, unit: "", value: x))
            } else if let x = v["value"]?.doubleValue {
                out.append(Figure(metric: name, stat: "value", kind: .counter, unit: "", value: x, interval: FigureTable.interval(v["ci95"])))
            } else if case .null = v {
                out.append(Figure(metric: name, stat: "value", kind: .counter, unit: "", value: .nan))
            }
        }
        self.init(figures: out)
    }

    /// - Complexity: O(1).
    public func figure(_ metric: String, _ stat: String) -> Figure? {
        index[FigureTable.key(metric, stat)].map { figures[$0] }
    }

    /// Every metric of a kind (or of all kinds), sorted, each once.
    public func metricNames(_ kind: Figure.Kind? = nil) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for f in figures where (kind == nil || f.kind == kind!) && seen.insert(f.metric).inserted { out.append(f.metric) }
        return out.sorted()
    }

    public func kind(of metric: String) -> Figure.Kind? {
        for s in Figure.latencyStats + ["value"] { if let f = figure(metric, s) { return f.kind } }
        return figures.first { $0.metric == metric }?.kind
    }

    /// The statistics a metric has in this table.
    public func stats(of metric: String) -> [String] { figures.filter { $0.metric == metric }.map(\.stat) }

    /// report.json writes `p99.9` as `p99_9` (a dot would read as a path separator).
    static func jsonKey(_ stat: String) -> String { stat.replacingOccurrences(of: ".", with: "_") }

    static func interval(_ v: JSONValue?) -> Figure.Interval? {
        guard let v, let lo = v["low"]?.doubleValue, let hi = v["high"]?.doubleValue else { return nil }
        return Figure.Interval(low: lo, high: hi, halfWidth: v["half_width"]?.doubleValue ?? (hi - lo) / 2,
                               n: Int(v["n"]?.doubleValue ?? 0))
    }

    static func intervals(_ v: JSONValue?) -> [(String, Figure.Interval)] {
        (v?.objectValue ?? []).compactMap { (k, iv) in
            interval(iv).map { (k.replacingOccurrences(of: "_", with: "."), $0) }
        }
    }
}
