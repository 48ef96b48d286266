/// What one configuration at one demand level did, across its replications: each SLO's
/// verdict (by `SLOHolds`, the one rule), its cost, and whether the model's invariants held.
public struct PlanEvaluation: Sendable, Equatable {
    public var verdicts: [SLOHolds.Verdict]
    /// Cost per hour and per delivered order (NaN without a `costs:` section).
    public var costPerHour: Double
    public var costPerOrder: Double
    public var invariantsHold: Bool
    /// Simulation runs it took (its replications).
    public var runs: Int

    public init(verdicts: [SLOHolds.Verdict], costPerHour: Double, costPerOrder: Double, invariantsHold: Bool, runs: Int) {
        self.verdicts = verdicts; self.costPerHour = costPerHour; self.costPerOrder = costPerOrder
        self.invariantsHold = invariantsHold; self.runs = runs
    }

    /// Every SLO holds.
    public var feasible: Bool { verdicts.allSatisfy(\.holds) }

    /// The verdict with the smallest margin: the SLO that binds (fails first, or is closest to).
    public var binding: SLOHolds.Verdict? {
        verdicts.min { a, b in
            let ma = a.margin.isNaN ? -Double.infinity : a.margin, mb = b.margin.isNaN ? -Double.infinity : b.margin
            return ma < mb
        }
    }
}
