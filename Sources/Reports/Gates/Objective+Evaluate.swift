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

    /// What an objective says about one report: the only place that decides pass, fail and
    /// no data (the check, the report's SLO table and the sweep all read it).
    public struct Evaluation: Sendable, Equatable {
        public enum Verdict: String, Sendable { case pass, fail, noData = "no data" }
        public var verdict: Verdict
        /// The figure, NaN when the metric had no samples.
        public var value: Double
        /// Samples behind a latency figure (nil for levels and counters).
        public var count: Double?
        /// How far inside the limit the figure is, as a fraction of the limit (negative when
        /// it is beyond); nil without data or with a zero limit.
        public var margin: Double?
        public var passed: Bool { verdict == .pass }
    }

    /// Evaluates the objective on a table. A figure without samples (a latency with count 0,
    /// written `null` in report.json) is **no data** and never passes: a regression that
    /// stopped every delivery must not pass a gate on `click_to_door p99`.
    public func evaluate(_ table: FigureTable) -> Evaluation {
        let count = kind == .latency ? table.figure(metric, "count")?.value : nil
        var value = table.figure(metric, stat)?.value ?? .nan
        if let count, count <= 0, stat != "count" { value = .nan }
        guard value.isFinite else { return Evaluation(verdict: .noData, value: .nan, count: count, margin: nil) }
        let margin: Double? = limit != 0 ? (isMax ? (limit - value) : (value - limit)) / abs(limit) : nil
        return Evaluation(verdict: holds(value) ? .pass : .fail, value: value, count: count, margin: margin)
    }

    /// `place_order@us_west.latency p99`, or the counter's name.
    public var label: String { kind == .counter ? metric : "\(metric) \(stat)" }

    /// The limit as written for people: `≤ 50 ms`.
    public var limitText: String { "\(isMax ? "≤" : "≥") \(formatted(limit))" }

    /// A value in the objective's unit, durations in a readable unit (`1.2 s`, not `1200 ms`).
    public func formatted(_ v: Double) -> String {
        guard v.isFinite else { return "no data" }
        return DisplayUnit.readable(v, unit: unit)
    }

    /// Checks the objective against a table that has its metric.
    public func check(_ table: FigureTable, scenario: String) -> GateCheck {
        let e = evaluate(table)
        let defaultName = [objective.metric, objective.stat].joined(separator: ".") + (objective.region.map { "@" + $0 } ?? "")
        let named = objective.name == defaultName ? "" : " '\(objective.name)'"
        var message = "slo\(named): \(label) = \(formatted(e.value)), limit \(limitText)"
        switch e.verdict {
        case .noData:
            message += " — no data: \(metric) has no samples after the warm-up (count \(Report.num(e.count ?? 0))), "
                + "so the objective cannot be shown to hold; lengthen the run (duration) or shorten the warm-up"
        case .fail:
            let by = limit != 0 ? " by \(Report.num(abs(e.value - limit) / abs(limit) * 100)) %" : ""
            message += isMax ? " (exceeded\(by))" : " (short\(by))"
        case .pass:
            break
        }
        return GateCheck(scenario: scenario, kind: .slo, name: objective.name, passed: e.passed, message: message)
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
