import SimCore

extension SweepReport {
    /// The sweep as canonical JSON: parameters, each point's overrides, verdicts and
    /// figures, and the knees. No wall-clock values.
    public var json: JSONValue {
        func figures(_ t: FigureTable) -> JSONValue {
            var groups: [(String, [(String, JSONValue)])] = []
            for f in t.figures {
                let key = f.kind == .latency ? "latency_ms" : f.kind == .gauge ? "gauges" : "counters"
                let entry = (f.metric + (f.kind == .counter ? "" : "." + f.stat), Report.round6(f.value))
                if let g = groups.firstIndex(where: { $0.0 == key }) { groups[g].1.append(entry) } else { groups.append((key, [entry])) }
            }
            return .object(groups.map { ($0.0, .object($0.1)) })
        }
        let pts: [JSONValue] = points.enumerated().map { (i, p) in
            .object([
                ("index", .integer(Int64(i))),
                ("overrides", .object(zip(axes, p.indices).map { ($0.path, .string($0.values[$1])) })),
                ("folder", .string(p.folder)),
                ("invariants_hold", .bool(p.invariantsHold)),
                ("slos", .array(p.checks.map { .object([("name", .string($0.name)), ("passed", .bool($0.passed)), ("message", .string($0.message))]) })),
                ("figures", figures(p.figures)),
            ])
        }
        var knees: [JSONValue] = []
        for f in chartedFigures {
            for c in curves(f.metric, f.stat) {
                guard let k = c.knee, let v = kneeValue(c) else { continue }
                knees.append(.object([("metric", .string(f.metric)), ("stat", .string(f.stat)), ("curve", .string(c.label)),
                                      ("at", .string(v)), ("x", Report.round6(k.x)), ("value", Report.round6(k.y)),
                                      ("distance", Report.round6(k.distance))]))
            }
        }
        return .object([
            ("schema_version", .integer(1)),
            ("generator", .string("capsim sweep")),
            ("scenario", .object([("name", .string(scenarioName)), ("file", .string(scenarioFile))])),
            ("seed", .integer(Int64(bitPattern: seed))),
            ("replications", .integer(Int64(replications))),
            ("parameters", .array(axes.map { a in
                .object([("path", .string(a.path)), ("values", .array(a.values.map { .string($0) })), ("unit", .string(a.unit)),
                         ("numeric", a.numeric.map { .array($0.map(Report.round6)) } ?? .null)])
            })),
            ("points", .array(pts)),
            ("knees", .array(knees)),
        ])
    }
}
