/// A point as the matching code sees it: either planar metres or longitude/latitude degrees.
///
/// The matching policies never look inside a position; only a `DistanceMetric` /
/// `TravelModel` does. That is what lets one implementation serve both users:
/// the simulated city (x = longitude, y = latitude, distances by Redis' haversine) and
/// replay of Grubhub MDRP instances (x, y in metres, Euclidean distances, as in
/// grubhub/mdrplib `MDRP_code/compute_performance_summary.py`, `traveltime`).
@frozen
public struct DispatchPosition: Hashable, Sendable {
    /// Planar x in metres, or longitude in degrees.
    public var x: Double
    /// Planar y in metres, or latitude in degrees.
    public var y: Double

    @inlinable @inline(__always)
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// A geographic position (x = longitude, y = latitude), the argument order of GEOADD.
    @inlinable @inline(__always)
    public init(longitude: Double, latitude: Double) {
        self.x = longitude
        self.y = latitude
    }

    /// `x` read as a longitude in degrees.
    @inlinable public var longitude: Double { x }
    /// `y` read as a latitude in degrees.
    @inlinable public var latitude: Double { y }
}
