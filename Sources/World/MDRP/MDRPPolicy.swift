/// Which of capsim's Platform matching policies dispatches the replayed orders.
public enum MDRPPolicy: String, CaseIterable, Sendable, Codable {
    /// `GreedyMatcher`: each released order, first come first served, goes at once to the
    /// idle courier that reaches its restaurant first (expanding-radius search on a
    /// `UniformGridCandidateSource`); orders nobody can take wait for the next courier to
    /// become free. Deliveroo's "Louie" baseline (closest free rider;
    /// replaced by "Frank" in 2017, as reported by the Irish Times).
    case greedy
    /// `BatchMatcher` without bundling: every `batchIntervalMinutes`, an exact min-cost
    /// maximum-cardinality assignment of the open orders to the available couriers.
    case batched
    /// `BatchMatcher` with `Bundler`: same-restaurant orders with close ready times are
    /// bundled (up to `maxBundleSize`) before the assignment, as in Grubhub's rolling-horizon
    /// MDRP heuristic (Reyes et al. 2018).
    case bundled
}
