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
        let lat: [(String, JSONValue)] = latencies.map { (name, s) in
            var o: [(String, JSONValue)] = [
                ("count", .integer(Int64(s.count))), ("mean", Report.round6(s.mean)), ("min", Report.round6(s.min)),
                ("p50", Report.round6(s.p50)), ("p90", Report.round6(s.p90)), ("p95", Report.round6(s.p95)),
                ("p99", Report.round6(s.p99)), ("p99_9", Report.round6(s.p999)), ("max", Report.round6(s.max)),
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
        return .object([
            ("schema_version", .integer(Int64(Report.schemaVersion))),
            ("generator", .string("capsim")),
            ("scenario", .object([("name", .string(header.scenarioName)), ("file", .string(header.scenarioFile)),
                                  ("description", .string(header.description)), ("model", .string(header.model)),
                                  ("resolved", header.resolvedScenario)])),
            ("run", .object([("seed", .integer(Int64(bitPattern: header.seed))), ("replications", .integer(Int64(header.replications))),
                             ("simulated_seconds", Report.round6(SimUnit.seconds(simulatedTime))),
                             ("warmup_seconds", Report.round6(SimUnit.seconds(warmup))),
                             ("events", .integer(Int64(events)))])),
            ("latency_ms", .object(lat)),
            ("counters", .object(cnt)),
            ("gauges", .object(gg)),
            ("invariants", .array(invariants.map { .object([("name", .string($0.name)), ("holds", .bool($0.holds)), ("detail", .string($0.detail))]) })),
            ("findings", .array(findings.map { .object([("severity", .string($0.severity)), ("code", .string($0.code)), ("message", .string($0.message))]) })),
        ] + (costs.map { [("costs", $0.json)] } ?? []))
    }
}
