import SimCore

extension Report {
    /// Rounds to 6 significant digits so the JSON is readable and stable; the values are
    /// far more precise than the model anyway.
    static func round6(_ x: Double) -> JSONValue {
        guard x.isFinite else { return .null }
        if x == 0 { return .number(0) }
        let magnitude = (x.magnitude).exponent  // base-2 exponent
        let digits = 6 - Int((Double(magnitude) * 0.30103).rounded(.down)) - 1
        var scale = 1.0
        for _ in 0..<max(0, min(digits, 15)) { scale *= 10 }
        let r = digits > 0 ? (x * scale).rounded() / scale : x.rounded()
        return r == r.rounded() && abs(r) < 9e15 ? .integer(Int64(r)) : .number(r)
    }

    static func interval(_ ci: ConfidenceInterval) -> JSONValue {
        .object([("low", round6(ci.lower)), ("high", round6(ci.upper)), ("half_width", round6(ci.halfWidth)), ("n", .integer(Int64(ci.n)))])
    }

    /// The canonical document: sorted keys, no wall-clock values.
    public var json: JSONValue {
        let (lat, cnt, gg) = figureSections
        return .object([
            ("schema_version", .integer(Int64(Report.schemaVersion))),
            ("generator", .string("capsim")),
            ("capsim_version", .string(header.capsimVersion)),
            ("model_version", .integer(Int64(header.modelVersion))),
            ("scenario", .object([("name", .string(header.scenarioName)), ("file", .string(header.scenarioFile)),
                                  ("description", .string(header.description)), ("model", .string(header.model)),
                                  ("resolved", header.resolvedScenario)])),
            ("run", .object([("seed", .integer(Int64(bitPattern: header.seed))), ("replications", .integer(Int64(header.replications))),
                             ("simulated_seconds", Report.round6(SimUnit.seconds(simulatedTime))),
                             ("warmup_seconds", Report.round6(SimUnit.seconds(warmup))),
                             ("events", .integer(Int64(events)))])),
            ("latency_ms", lat),
            ("counters", cnt),
            ("gauges", gg),
            ("invariants", .array(invariants.map { .object([("name", .string($0.name)), ("holds", .bool($0.holds)), ("detail", .string($0.detail))]) })),
            ("findings", .array(findings.map { .object([("severity", .string($0.severity)), ("code", .string($0.code)), ("message", .string($0.message))]) })),
            ("slos", .array(sloJSON)),
            ("markers", .array(markers.map { .object([("seconds", Report.round6(SimUnit.seconds($0.time))), ("kind", .string($0.kind)), ("label", .string($0.label))]) })),
        ] + (costs.map { [("costs", $0.json)] } ?? []) + (incidents.isEmpty ? [] : [("incidents", incidentsJSON)]))
    }

    /// The figures alone (`latency_ms`, `counters`, `gauges`), as `FigureTable` reads them.
    public var figuresJSON: JSONValue {
        let (lat, cnt, gg) = figureSections
        return .object([("latency_ms", lat), ("counters", cnt), ("gauges", gg)])
    }

    /// Each SLO with its figure, limit, margin and verdict (`pass`, `fail`, `no data`).
    var sloJSON: [JSONValue] {
        let table = FigureTable(report: self)
        return sloEvaluations(table).map { (o, e) in
            .object([("name", .string(o.objective.name)), ("metric", .string(o.metric)), ("stat", .string(o.stat)),
                     ("limit", Report.round6(o.limit)), ("bound", .string(o.isMax ? "max" : "min")), ("unit", .string(o.unit)),
                     ("value", Report.round6(e.value)), ("margin", e.margin.map(Report.round6) ?? .null),
                     ("verdict", .string(e.verdict.rawValue))])
        }
    }

    /// Every objective with its evaluation, failures and no-data first (the order people
    /// read them in), then passes, each group in scenario order.
    public func sloEvaluations(_ table: FigureTable? = nil) -> [(objective: ResolvedObjective, evaluation: ResolvedObjective.Evaluation)] {
        let t = table ?? FigureTable(report: self)
        let all = objectives.map { ($0, $0.evaluate(t)) }
        return all.filter { !$0.1.passed } + all.filter { $0.1.passed }
    }

    var figureSections: (JSONValue, JSONValue, JSONValue) {
        let lat: [(String, JSONValue)] = latencies.map { (name, s) in
            // No samples, no figures: null, never a 0 that would pass a `max:` objective.
            let r = { (x: Double) -> JSONValue in s.count == 0 ? .null : Report.round6(x) }
            var o: [(String, JSONValue)] = [
                ("count", .integer(Int64(s.count))), ("mean", r(s.mean)), ("min", r(s.min)),
                ("p50", r(s.p50)), ("p90", r(s.p90)), ("p95", r(s.p95)),
                ("p99", r(s.p99)), ("p99_9", r(s.p999)), ("max", r(s.max)),
            ]
            if !s.intervals.isEmpty {
                o.append(("ci95", .object(s.intervals.map { ($0.0.replacingOccurrences(of: ".", with: "_"), Report.interval($0.1)) })))
            }
            return (name, .object(o))
        }
        let cnt: [(String, JSONValue)] = counters.map { c in
            if let ci = c.interval { return (c.name, .object([("value", Report.round6(c.value)), ("ci95", Report.interval(ci))])) }
            return (c.name, Report.round6(c.value))
        }
        let gg: [(String, JSONValue)] = gauges.map { g in
            var o: [(String, JSONValue)] = [("mean", Report.round6(g.gauge.mean)), ("max", Report.round6(g.gauge.max)), ("unit", .string(g.gauge.unit))]
            if let ci = g.interval { o.append(("ci95", Report.interval(ci))) }
            return (g.name, .object(o))
        }
        return (.object(lat), .object(cnt), .object(gg))
    }
}
