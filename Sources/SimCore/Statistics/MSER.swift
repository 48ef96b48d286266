/// MSER-5: where the initial transient of a run ends (`warmup: auto`).
///
/// The Marginal Standard Error Rule (White 1997; White, Cobb & Spratt 2000) picks the
/// truncation point d that minimises the squared standard error of the mean of what is
/// kept:
///
///     MSER(d) = 1/(k−d)² · Σ_{j=d+1..k} (Z_j − Z̄_{d})²,   Z̄_{d} = mean of Z_{d+1..k}
///
/// where Z_1..Z_k are batch means of the raw output (MSER-5: batches of 5 observations,
/// which smooths single-observation noise without hiding the transient). Deleting a biased
/// early stretch shrinks the spread faster than the loss of data widens the error; once the
/// rest is stationary, deleting more only loses data, so the minimum marks the cut.
///
/// Following the usual practice (Franklin & White 2008; Hoad, Robinson & Davies 2011) the
/// cut is searched in the first half of the run only: a minimum later than that means the
/// run is too short to have left its transient, which `Truncation.reliable` reports.
public enum MSER {
    /// Observations per batch in MSER-5.
    public static let batchSize = 5

    /// What MSER-5 decided for one output series.
    public struct Truncation: Sendable, Equatable {
        /// Batches to delete from the front.
        public var batches: Int
        /// Raw observations to delete from the front (`batches × batchSize`).
        public var observations: Int
        /// Complete batches the series held.
        public var batchCount: Int
        /// False when the run looks too short: the unrestricted minimum of MSER lies in the
        /// second half of the run (or there are fewer than 10 batches to judge from).
        public var reliable: Bool
    }

    /// The number of leading batches to delete: the d in 0…⌊k/2⌋ with the smallest
    /// MSER(d), the first one on ties. 0 for fewer than two batch means.
    ///
    /// - Complexity: O(k), one backward pass.
    public static func truncationPoint(batchMeans z: [Double]) -> Int {
        let stats = statistic(batchMeans: z)
        guard !stats.isEmpty else { return 0 }
        return argmin(stats, upTo: z.count / 2)
    }

    /// MSER(d) for d = 0…k−2 (at least two batches kept), in that order.
    ///
    /// The kept part's sum of squared deviations is accumulated from the back with Welford's
    /// update, so a long run with a large mean loses no precision to cancellation.
    /// - Complexity: O(k).
    public static func statistic(batchMeans z: [Double]) -> [Double] {
        let k = z.count
        guard k >= 2 else { return [] }
        var out = [Double](repeating: 0, count: k - 1)
        var n = 0.0, mean = 0.0, m2 = 0.0
        for j in stride(from: k - 1, through: 0, by: -1) {
            n += 1
            let delta = z[j] - mean
            mean += delta / n
            m2 += delta * (z[j] - mean)
            if j <= k - 2 { out[j] = m2 / (n * n) }
        }
        return out
    }

    /// Means of consecutive batches of `size` observations; an incomplete last batch is
    /// dropped (it would weigh a few observations as much as a full batch).
    public static func batchMeans(_ observations: [Double], size: Int = batchSize) -> [Double] {
        precondition(size >= 1)
        let k = observations.count / size
        var out = [Double]()
        out.reserveCapacity(k)
        for b in 0..<k {
            var s = 0.0
            for x in observations[(b * size)..<((b + 1) * size)] { s += x }
            out.append(s / Double(size))
        }
        return out
    }

    /// MSER-5 on raw observations in time order: batches them, finds the cut, and says
    /// whether the run was long enough to trust it.
    public static func truncation(observations: [Double], batchSize size: Int = batchSize) -> Truncation {
        let z = batchMeans(observations, size: size)
        let stats = statistic(batchMeans: z)
        let d = stats.isEmpty ? 0 : argmin(stats, upTo: z.count / 2)
        // The last few MSER values rest on a handful of batches and can be spuriously
        // small; leave five batches out of the reliability judgement, as Hoad et al. do.
        let unrestricted = stats.count > 5 ? argmin(stats, upTo: stats.count - 5) : d
        let reliable = z.count >= 10 && unrestricted <= z.count / 2
        return Truncation(batches: d, observations: d * size, batchCount: z.count, reliable: reliable)
    }

    static func argmin(_ values: [Double], upTo last: Int) -> Int {
        var best = 0
        for d in 0...min(last, values.count - 1) where values[d] < values[best] { best = d }
        return best
    }
}
