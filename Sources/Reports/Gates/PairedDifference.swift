import SimCore

/// The mean difference candidate − baseline over paired replications and its confidence
/// interval (Student t on the n differences).
///
/// Pairing is what makes the statistical gate sharp: replication i of the baseline and of
/// the candidate run on the same derived seed (common random numbers), so their noise is
/// largely shared and cancels in the difference; the interval of the difference is much
/// narrower than the two intervals side by side.
public struct PairedDifference: Sendable, Equatable {
    public var n: Int
    public var mean: Double
    public var halfWidth: Double
    public var lower: Double { mean - halfWidth }
    public var upper: Double { mean + halfWidth }

    /// nil unless both lists have the same length ≥ 2 and only finite values.
    public init?(baseline: [Double], candidate: [Double], level: Double = 0.95) {
        guard baseline.count == candidate.count, baseline.count >= 2,
              (baseline + candidate).allSatisfy(\.isFinite) else { return nil }
        let d = zip(candidate, baseline).map { $0 - $1 }
        let ci = ConfidenceInterval(samples: d, level: level)
        n = d.count
        mean = ci.mean
        halfWidth = ci.halfWidth.isFinite ? ci.halfWidth : 0
    }
}
