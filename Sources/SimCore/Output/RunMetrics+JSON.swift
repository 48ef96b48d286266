/// One replication's measurements as JSON, losslessly, and back.
///
/// Every list keeps its order (the report's merge takes names in first-seen order and the
/// findings of replication 0 as they are), doubles keep their bits (`JSONNumbers`) and
/// histograms their exact state (`LatencyHistogram.stateJSON`). So a report merged from
/// replications read back is byte-identical to one merged from the replications in memory.
///
/// When a field is added to `RunMetrics`, `Gauge` or `Series`, add it here too:
/// `RunMetricsJSONTests` checks the field names against this codec.
extension RunMetrics {
    /// The names of the stored properties the codec writes, per type (checked by a test).
    public static let codedFields: [String: [String]] = [
        "RunMetrics": ["latencies", "counters", "gauges", "series", "invariants", "findings", "markers", "eventsProcessed", "simulatedTime", "warmupCut"],
        "Gauge": ["mean", "max", "unit"],
        "Series": ["unit", "times", "values"],
    ]

    public var json: JSONValue {
        .object([
            ("events", .integer(Int64(bitPattern: eventsProcessed))),
            ("simulated_time_ns", .integer(simulatedTime)),
            ("warmup_cut_ns", .integer(warmupCut)),
            ("latencies", .array(latencies.map { .object([("name", .string($0.name)), ("histogram", $0.histogram.stateJSON)]) })),
            ("counters", .array(counters.map { .object([("name", .string($0.name)), ("value", JSONNumbers.exact($0.value))]) })),
            ("gauges", .array(gauges.map {
                .object([("name", .string($0.name)), ("mean", JSONNumbers.exact($0.gauge.mean)),
                         ("max", JSONNumbers.exact($0.gauge.max)), ("unit", .string($0.gauge.unit))])
            })),
            ("series", .array(series.map {
                .object([("name", .string($0.name)), ("unit", .string($0.series.unit)),
                         ("times_ns", .array($0.series.times.map { .integer($0) })),
                         ("values", .array($0.series.values.map(JSONNumbers.exact)))])
            })),
            ("invariants", .array(invariants.map {
                .object([("name", .string($0.name)), ("holds", .bool($0.holds)), ("detail", .string($0.detail))])
            })),
            ("findings", .array(findings.map {
                .object([("severity", .string($0.severity)), ("code", .string($0.code)), ("message", .string($0.message))])
            })),
            ("markers", .array(markers.map {
                .object([("time_ns", .integer($0.time)), ("kind", .string($0.kind)), ("label", .string($0.label))])
            })),
        ])
    }

    /// Reads what `json` wrote; `path` prefixes error messages.
    public init(json: JSONValue, path: String) throws(JSONReadError) {
        self.init()
        let r = JSONReader(json, path: path)
        eventsProcessed = try r.unsigned("events")
        simulatedTime = try r.integer("simulated_time_ns")
        warmupCut = try r.integer("warmup_cut_ns")
        for l in try r.objects("latencies") {
            latencies.append((try l.string("name"), try LatencyHistogram(stateJSON: try l.member("histogram"), path: l.path + ".histogram")))
        }
        for c in try r.objects("counters") { counters.append((try c.string("name"), try c.double("value"))) }
        for g in try r.objects("gauges") {
            gauges.append((try g.string("name"), Gauge(mean: try g.double("mean"), max: try g.double("max"), unit: try g.string("unit"))))
        }
        for s in try r.objects("series") {
            let times = try s.array("times_ns").enumerated().map { (i, v) throws(JSONReadError) -> SimTime in
                guard case .integer(let t) = v else { throw JSONReadError(path: "\(s.path).times_ns[\(i)]", message: "expected an integer") }
                return t
            }
            let values = try s.array("values").enumerated().map { (i, v) throws(JSONReadError) -> Double in
                guard let d = JSONNumbers.read(v) else { throw JSONReadError(path: "\(s.path).values[\(i)]", message: "expected a number") }
                return d
            }
            series.append((try s.string("name"), Series(unit: try s.string("unit"), times: times, values: values)))
        }
        for i in try r.objects("invariants") { invariants.append((try i.string("name"), try i.bool("holds"), try i.string("detail"))) }
        for f in try r.objects("findings") { findings.append((try f.string("severity"), try f.string("code"), try f.string("message"))) }
        for m in try r.objects("markers") { markers.append(Marker(time: try m.integer("time_ns"), kind: try m.string("kind"), label: try m.string("label"))) }
    }
}
