import CGSL

/// A two-sided confidence interval for a mean from independent replications, using
/// Student's t quantile (GSL `gsl_cdf_tdist_Pinv`).
public struct ConfidenceInterval: Sendable, Equatable, Codable {
    public var mean: Double
    public var halfWidth: Double
    public var level: Double
    public var n: Int
    public var lower: Double { mean - halfWidth }
    public var upper: Double { mean + halfWidth }

    /// The interval for the mean of `samples` at `level` (e.g. 0.95). With one sample
    /// the half-width is infinite: one replication says nothing about its own spread.
    public init(samples: [Double], level: Double = 0.95) {
        var t = Tally()
        for x in samples { t.add(x) }
        self.init(tally: t, level: level)
    }

    public init(tally t: Tally, level: Double = 0.95) {
        mean = t.mean
        n = t.count
        self.level = level
        if t.count < 2 {
            halfWidth = .infinity
        } else {
            let q = ConfidenceInterval.studentQuantile(1 - (1 - level) / 2, degreesOfFreedom: Double(t.count - 1))
            halfWidth = q * t.standardDeviation / Double(t.count).squareRoot()
        }
    }

    /// The `p` quantile of Student's t with `nu` degrees of freedom.
    public static func studentQuantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        gsl_cdf_tdist_Pinv(p, nu)
    }

    public func contains(_ x: Double) -> Bool { x >= lower && x <= upper }
}
