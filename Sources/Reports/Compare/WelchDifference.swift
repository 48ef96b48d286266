import SimCore

/// The difference b − a of two means known only by their 95 % confidence intervals (as
/// report.json stores them), with Welch's interval for unequal variances.
///
/// Used by `capsim compare` when the two reports were not run on paired seeds: the
/// standard errors are recovered from the half-widths (se = h / t₀.₉₇₅,ₙ₋₁) and combined
/// with the Welch–Satterthwaite degrees of freedom.
public struct WelchDifference: Sendable, Equatable {
    public var mean: Double
    public var halfWidth: Double
    public var lower: Double { mean - halfWidth }
    public var upper: Double { mean + halfWidth }

    /// nil unless both intervals rest on at least two replications.
    public init?(a: Figure.Interval, b: Figure.Interval, level: Double = 0.95) {
        guard a.n >= 2, b.n >= 2, a.halfWidth.isFinite, b.halfWidth.isFinite else { return nil }
        let q = 1 - (1 - level) / 2
        let sa = a.halfWidth / ConfidenceInterval.studentQuantile(0.975, degreesOfFreedom: Double(a.n - 1))
        let sb = b.halfWidth / ConfidenceInterval.studentQuantile(0.975, degreesOfFreedom: Double(b.n - 1))
        mean = b.mean - a.mean
        let va = sa * sa, vb = sb * sb
        guard va + vb > 0 else { halfWidth = 0; return }
        let df = (va + vb) * (va + vb) / (va * va / Double(a.n - 1) + vb * vb / Double(b.n - 1))
        halfWidth = ConfidenceInterval.studentQuantile(q, degreesOfFreedom: df) * (va + vb).squareRoot()
    }
}
