import SimCore

/// An objective tied to the figure it constrains, with its limit in the figure's unit.
public struct ResolvedObjective: Sendable, Equatable {
    public var objective: Objective
    /// The metric actually checked (with the region resolved) and the statistic read.
    public var metric: String
    public var stat: String
    public var kind: Figure.Kind
    public var unit: String
    public var limit: Double
    /// True for `max:` (the figure must not exceed the limit), false for `min:`.
    public var isMax: Bool

    /// Whether a figure of `value` meets the objective (NaN never does).
    public func holds(_ value: Double) -> Bool { value.isFinite && (isMax ? value <= limit : value >= limit) }

    /// Checks the objective against a table that has its metric.
    public func check(_ table: FigureTable, scenario: String) -> GateCheck {
        let value = table.figure(metric, stat)?.value ?? .nan
        let ok = holds(value)
        let fmt = { (v: Double) in unit.isEmpty ? Report.num(v) : "\(Report.num(v)) \(unit)" }
        let label = kind == .counter ? metric : "\(metric) \(stat)"
        let defaultName = [objective.metric, objective.stat].joined(separator: ".") + (objective.region.map { "@" + $0 } ?? "")
        let named = objective.name == defaultName ? "" : " '\(objective.name)'"
        var message = "slo\(named): \(label) = \(value.isFinite ? fmt(value) : "no value"), limit \(isMax ? "≤" : "≥") \(fmt(limit))"
        if !ok && value.isFinite {
            let by = limit != 0 ? " by \(Report.num(abs(value - limit) / abs(limit) * 100)) %" : ""
            message += isMax ? " (exceeded\(by))" : " (short\(by))"
        }
        return GateCheck(scenario: scenario, kind: .slo, name: objective.name, passed: ok, message: message)
    }
}

extension Objective {
    /// Statistics each kind of metric answers, as an SLO may name them.
    static func statistic(_ stat: String, for kind: Figure.Kind) -> String? {
        switch kind {
        case .latency: return Figure.latencyStats.contains(stat) ? stat : nil
        case .gauge: return stat == "mean" || stat == "ratio" ? "mean" : stat == "max" ? "max" : nil
        case .counter: return ["count", "ratio", "mean", "max", "value"].contains(stat) ? "value" : nil
        }
    }

    static func allowedStats(_ kind: Figure.Kind) -> [String] {
        switch kind {
        case .latency: return Figure.latencyStats
        case .gauge: return ["mean", "max"]
        case .counter: return ["count", "ratio"]
        }
    }

    /// Finds the figure this objective constrains and converts its limit.
    ///
    /// - Throws: `GateInputError` when the metric does not exist (with a did-you-mean), the
    ///   statistic does not apply to it, or a duration limit meets a unitless metric.
    public func resolve(in table: FigureTable) throws(GateInputError) -> ResolvedObjective {
        let names = table.metricNames()
        guard let metricName = candidateMetrics.first(where: { names.contains($0) }), let kind = table.kind(of: metricName) else {
            let wanted = candidateMetrics[0]
            throw .unknownMetric(objective: name, metric: wanted, location: location,
                                 suggestion: Suggest.closest(wanted, among: names), known: names)
        }
        guard let st = Objective.statistic(stat, for: kind), let figure = table.figure(metricName, st) else {
            throw .unsupportedStat(objective: name, metric: metricName, kind: kind, stat: stat, allowed: Objective.allowedStats(kind), location: location)
        }
        guard let bound = max ?? min else { throw .noLimit(objective: name, location: location) }
        let limit: Double
        switch bound {
        case .number(let x): limit = x
        case .duration(let ns):
            guard let spu = DisplayUnit.secondsPerUnit(figure.unit) else {
                throw .limitUnit(objective: name, metric: metricName, unit: figure.unit, location: location)
            }
            limit = ns * 1e-9 / spu
        }
        return ResolvedObjective(objective: self, metric: metricName, stat: st, kind: kind, unit: figure.unit, limit: limit, isMax: max != nil)
    }
}
