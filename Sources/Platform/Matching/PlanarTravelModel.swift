/// Straight-line travel at a constant speed on planar metres, optionally rounded up to whole
/// minutes as the Grubhub Meal Delivery Routing Problem does.
///
/// Source: grubhub/mdrplib `MDRP_code/compute_performance_summary.py`, `traveltime`:
/// `tt = np.ceil(dist / meters_per_minute)` minutes, with `dist` from `PlanarMetric`. With
/// `roundsUpToWholeMinutes` the result is exactly that many minutes (the triangle inequality
/// may then fail, as the MDRP instance documentation warns). Without it, time is
/// `ceil(dist / metersPerMinute * 60e9)` nanoseconds.
@frozen
public struct PlanarTravelModel: TravelModel {
    /// Speed; MDRP instances use 320 (original) or 420-ish ("t75") metres per minute.
    public var metersPerMinute: Double
    /// `true` reproduces MDRP: every leg takes a whole number of minutes, rounded up.
    public var roundsUpToWholeMinutes: Bool

    @inlinable
    public init(metersPerMinute: Double, roundsUpToWholeMinutes: Bool = false) {
        precondition(metersPerMinute > 0, "speed must be positive")
        self.metersPerMinute = metersPerMinute
        self.roundsUpToWholeMinutes = roundsUpToWholeMinutes
    }

    /// The MDRP replay model: `ceil(euclidean metres / metersPerMinute)` minutes.
    @inlinable
    public static func mdrp(metersPerMinute: Double) -> PlanarTravelModel {
        PlanarTravelModel(metersPerMinute: metersPerMinute, roundsUpToWholeMinutes: true)
    }

    @inlinable @inline(__always)
    public func distanceMeters(from a: DispatchPosition, to b: DispatchPosition) -> Double {
        PlanarMetric().distanceMeters(from: a, to: b)
    }

    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public func travelTime(from a: DispatchPosition, to b: DispatchPosition) -> Nanoseconds {
        let d = distanceMeters(from: a, to: b)
        if roundsUpToWholeMinutes {
            return Int64((d / metersPerMinute).rounded(.up)) * TimeUnit.minute
        }
        return Int64((d / metersPerMinute * 60e9).rounded(.up))
    }

    @inlinable
    public func reachMeters(within time: Nanoseconds) -> Double {
        if time < 0 { return -1 }
        if roundsUpToWholeMinutes {
            // ceil(d / v) <= m  <=>  d / v <= m for whole m.
            return Self._widenedReach(Double(time / TimeUnit.minute) * metersPerMinute)
        }
        return Self._widenedReach(Double(time) / 60e9 * metersPerMinute)
    }
}
