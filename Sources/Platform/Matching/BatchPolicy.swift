/// Configuration of the batched matcher.
///
/// Defaults and their sources: `interval` 60 s (Meituan assigns every 30 s or 1 min, per its
/// INFORMS TSL 2024 data description, github meituan/meituan_informs_data; Swiggy 2 min, per its
/// CTO; FoodMatch 180 s and Grubhub MDRP 5 min, per idea-iitd/FoodMatch `constants.cpp`),
/// `radiusMeters` 2.7 km (FoodMatch's restaurant-vehicle pruning radius), no per-bundle
/// candidate limit, `CostWeights.default`, no service time, no bundling.
public struct BatchPolicy: Hashable, Sendable {
    /// Time between two batch runs; see `BatchMatcher.nextRun(after:)`.
    public var interval: Nanoseconds
    /// A courier farther than this from a bundle's restaurant may not take it (inclusive).
    public var radiusMeters: Double
    /// At most this many nearest couriers per bundle are considered (`Int.max`: all).
    public var candidateLimit: Int
    public var weights: CostWeights
    public var service: ServiceDurations
    public var bundling: BundlingPolicy

    @inlinable
    public init(
        interval: Nanoseconds = 60 * TimeUnit.second, radiusMeters: Double = 2700, candidateLimit: Int = .max,
        weights: CostWeights = .default, service: ServiceDurations = .zero, bundling: BundlingPolicy = .off
    ) {
        precondition(interval > 0, "interval must be positive")
        precondition(radiusMeters >= 0, "radius cannot be negative")
        precondition(candidateLimit >= 1, "need at least one candidate")
        self.interval = interval
        self.radiusMeters = radiusMeters
        self.candidateLimit = candidateLimit
        self.weights = weights
        self.service = service
        self.bundling = bundling
    }
}
