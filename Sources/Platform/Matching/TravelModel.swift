/// How long a courier needs to go from one position to another.
///
/// Travel time must be a non-decreasing function of `distanceMeters(from:to:)` (the same
/// metric the candidate source uses); `reachMeters(within:)` is its inverse bound. Together
/// they let the greedy matcher prove it has seen every courier that could arrive first.
public protocol TravelModel: DistanceMetric {
    /// Travel time in nanoseconds, >= 0.
    func travelTime(from a: DispatchPosition, to b: DispatchPosition) -> Nanoseconds

    /// An upper bound on the distance (metres, this model's metric) coverable within `time`:
    /// `travelTime(a, b) <= time` must imply `distanceMeters(a, b) <= reachMeters(within: time)`.
    func reachMeters(within time: Nanoseconds) -> Double
}

extension TravelModel {
    /// Widens a computed reach by a margin far above floating-point error, so the implication
    /// above survives rounding in the forward computation. The matchers only use the bound
    /// to decide how far to search; a slightly larger search changes no result.
    @inlinable @inline(__always)
    static func _widenedReach(_ meters: Double) -> Double {
        meters < 0 ? -1 : meters * (1 + 1e-9) + 1e-6
    }
}
