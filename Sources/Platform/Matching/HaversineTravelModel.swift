/// Travel on the sphere at a constant speed: Redis' haversine distance times a detour factor.
///
/// Distance is `HaversineMetric` (redis `src/geohash_helper.c`, `geohashGetDistance`), so a
/// Redis-GEO-like index and this model agree on "within r metres". Road networks are longer
/// than great circles; `detourFactor` (>= 1) scales the distance before dividing by speed
/// (a common 1.2-1.4 circuity; default 1, i.e. straight line). Time is
/// `ceil(distance * detourFactor / metersPerSecond * 1e9)` nanoseconds.
@frozen
public struct HaversineTravelModel: TravelModel {
    public var metersPerSecond: Double
    public var detourFactor: Double

    @inlinable
    public init(metersPerSecond: Double, detourFactor: Double = 1) {
        precondition(metersPerSecond > 0, "speed must be positive")
        precondition(detourFactor >= 1, "a detour cannot shorten the great circle")
        self.metersPerSecond = metersPerSecond
        self.detourFactor = detourFactor
    }

    @inlinable @inline(__always)
    public func distanceMeters(from a: DispatchPosition, to b: DispatchPosition) -> Double {
        HaversineMetric().distanceMeters(from: a, to: b)
    }

    /// - Complexity: O(1) (four libm calls).
    @inlinable @inline(__always)
    public func travelTime(from a: DispatchPosition, to b: DispatchPosition) -> Nanoseconds {
        let d = distanceMeters(from: a, to: b)
        return Int64((d * detourFactor / metersPerSecond * 1e9).rounded(.up))
    }

    @inlinable
    public func reachMeters(within time: Nanoseconds) -> Double {
        if time < 0 { return -1 }
        return Self._widenedReach(Double(time) / 1e9 * metersPerSecond / detourFactor)
    }
}
