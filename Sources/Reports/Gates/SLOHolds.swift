import SimCore

/// The one definition of "an SLO holds", for `check`, `sweep` and `plan`.
///
/// - Exact (`check` replaying a seed, one report): the point value of the figure meets the
///   limit.
/// - Statistical (`plan`, and any caller with several common-random-number replications):
///   the *unfavourable* confidence bound of the figure's mean across replications meets
///   the limit — the upper bound for a `max:` objective, the lower bound for a `min:` one.
///   With one replication the bound is the point value (nothing is known about the spread,
///   so the rule degrades to the exact one rather than to "never holds").
///
/// Both forms end in `ResolvedObjective.holds(_:)`, the same comparison `check` prints, so
/// the rule exists once: this type only chooses which number is compared.
public enum SLOHolds {
    /// The verdict on one objective, with the number that was compared and its margin.
    public struct Verdict: Sendable, Equatable {
        public var objective: ResolvedObjective
        /// The figure compared with the limit: the point value (exact) or the bound (statistical).
        public var bound: Double
        /// Mean across replications (the point value when exact).
        public var mean: Double
        /// Half-width of the interval (0 when exact or with one replication).
        public var halfWidth: Double
        public var holds: Bool

        /// How far the bound is inside the limit, as a fraction of the limit: +0.2 means
        /// 20 % headroom, −0.1 means 10 % over. NaN when the figure is missing.
        public var margin: Double {
            guard bound.isFinite else { return .nan }
            let l = objective.limit
            guard l != 0 else { return objective.isMax ? -bound : bound }
            return objective.isMax ? (l - bound) / abs(l) : (bound - l) / abs(l)
        }
    }

    /// Exact: the point value of the figure in `table`.
    public static func check(_ objective: ResolvedObjective, _ table: FigureTable) -> Verdict {
        let v = table.figure(objective.metric, objective.stat)?.value ?? .nan
        return Verdict(objective: objective, bound: v, mean: v, halfWidth: 0, holds: objective.holds(v))
    }

    /// Statistical: the one-sided bound at `confidence` of the mean of the figure over the
    /// replications' tables (index order; common random numbers across the configurations
    /// compared). A replication without the figure makes the verdict fail (NaN).
    ///
    /// The bound is the two-sided Student t interval's end at level `2·confidence − 1`, i.e.
    /// a one-sided `confidence` bound: `--confidence 95%` puts 5 % of the mass beyond it.
    public static func statistical(_ objective: ResolvedObjective, _ replications: [FigureTable], confidence: Double) -> Verdict {
        let values = replications.map { $0.figure(objective.metric, objective.stat)?.value ?? .nan }
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else {
            return Verdict(objective: objective, bound: .nan, mean: .nan, halfWidth: .nan, holds: false)
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let half: Double
        if values.count < 2 {
            half = 0
        } else {
            let ci = ConfidenceInterval(samples: values, level: 2 * confidence - 1)
            half = ci.halfWidth.isFinite ? ci.halfWidth : 0
        }
        let bound = objective.isMax ? mean + half : mean - half
        return Verdict(objective: objective, bound: bound, mean: mean, halfWidth: half, holds: objective.holds(bound))
    }

    /// Every objective's verdict; `replications.count == 1` gives the exact verdicts.
    public static func all(_ objectives: [ResolvedObjective], _ replications: [FigureTable], confidence: Double) -> [Verdict] {
        objectives.map { o in
            replications.count == 1 ? check(o, replications[0]) : statistical(o, replications, confidence: confidence)
        }
    }
}
