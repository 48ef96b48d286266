/// A distance between two `DispatchPosition`s in metres.
///
/// Candidate sources and travel models share this so that "within radius r" and
/// "travel time" are computed from the same number; the greedy matcher's exactness
/// argument (see `GreedyMatcher`) depends on it.
public protocol DistanceMetric: Sendable {
    /// Distance in metres; must be symmetric, non-negative and deterministic.
    func distanceMeters(from a: DispatchPosition, to b: DispatchPosition) -> Double
}
