import SimCore

extension PlanReport {
    static func margin(_ m: Margin) -> JSONValue {
        .object([("name", .string(m.name)), ("limit", Report.round6(m.limit)), ("unit", .string(m.unit)), ("max", .bool(m.isMax)),
                 ("bound", Report.round6(m.bound)), ("mean", Report.round6(m.mean)), ("half_width", Report.round6(m.halfWidth)),
                 ("margin", Report.round6(m.margin)), ("holds", .bool(m.holds))])
    }

    static func outcome(_ o: Outcome) -> JSONValue {
        .object([("holds", .bool(o.holds)), ("cost_per_hour", Report.round6(o.costPerHour)), ("cost_per_order", Report.round6(o.costPerOrder)),
                 ("slos", .array(o.margins.map(margin)))])
    }

    static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    static func optional(_ x: Double?) -> JSONValue { x.map(Report.round6) ?? .null }

    /// plan.json: canonical (serialize with sorted keys), no wall-clock values.
    public var json: JSONValue {
        .object([
            ("schema_version", .integer(1)),
            ("generator", .string("capsim plan")),
            ("scenario", .object([("name", .string(scenarioName)), ("file", .string(scenarioFile)), ("model", .string(model))])),
            ("seed", .integer(Int64(bitPattern: seed))),
            ("replications", .integer(Int64(replications))),
            ("confidence", Report.round6(confidence)),
            ("currency", .string(currency)),
            ("demand", .object([("unit", .string(demandUnit)), ("meaning", .string(demandNote)), ("scenario", Report.round6(currentDemand))])),
            ("resources", .array(zip(resources, currentValues).map { r, c in
                .object([("path", .string(r.path)), ("values", .array(r.values.map { .integer(Int64($0)) })),
                         ("scenario_value", c.map { .integer(Int64($0)) } ?? .null)])
            })),
            ("levels", .array(levels.map { l in
                .object([("demand", Report.round6(l.demand)), ("feasible", .bool(l.feasible)),
                         ("configuration", .object(zip(resources, l.values).map { ($0.path, .integer(Int64($1))) })),
                         ("answer", PlanReport.outcome(l.answer)), ("limiting_resource", PlanReport.optional(l.limitingResource)),
                         ("below_limit", l.belowLimit.map(PlanReport.outcome) ?? .null),
                         ("monotonicity_fallback", PlanReport.optional(l.fallback)),
                         ("evaluations", .integer(Int64(l.evaluations))), ("runs", .integer(Int64(l.runs))),
                         ("scenario_as_written", PlanReport.outcome(l.current))])
            })),
            ("headroom", .object([("demand", PlanReport.optional(headroom.demand)), ("fails_at", PlanReport.optional(headroom.failsAt)),
                                  ("failing_slo", PlanReport.optional(headroom.failingSLO)),
                                  ("failing_resources", .array(headroom.failingResources.map { .string($0) }))])),
            ("sensitivity", .object([("demand", PlanReport.optional(sensitivityBase)), ("rows", .array(sensitivity.map { s in
                .object([("input", .string(s.input)), ("factor", Report.round6(s.factor)), ("feasible", .bool(s.feasible)),
                         ("configuration", .object(zip(resources, s.values).map { ($0.path, .integer(Int64($1))) })),
                         ("cost_per_order", Report.round6(s.costPerOrder)), ("limiting_resource", PlanReport.optional(s.limitingResource)),
                         ("binding_slo", PlanReport.optional(s.bindingSLO)), ("runs", .integer(Int64(s.runs)))])
            }))])),
            ("search", .object([("runs", .integer(Int64(runs))), ("full_grid_runs", .integer(Int64(fullGridRuns)))])),
            ("notes", .array(notes.map { .string($0) })),
        ])
    }
}
