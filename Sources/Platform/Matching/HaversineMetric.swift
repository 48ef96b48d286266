#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Great-circle distance between longitude/latitude positions, bit for bit as Redis.
///
/// Source: redis/redis `src/geohash_helper.c`, `geohashGetDistance` (tag 7.0.15; unchanged at
/// HEAD), with `EARTH_RADIUS_IN_METERS = 6372797.560856` and `D_R = M_PI / 180.0`
/// (redis `src/geohash_helper.c`). The shortcut for equal longitudes and the
/// operation order are kept so results match GEODIST / WITHDIST (same glibc libm).
@frozen
public struct HaversineMetric: DistanceMetric {
    /// Redis' "quadratic mean radius for WGS-84".
    public static let earthRadiusMeters: Double = 6372797.560856

    @inlinable public init() {}

    @inlinable
    public func distanceMeters(from a: DispatchPosition, to b: DispatchPosition) -> Double {
        let dR = Double.pi / 180.0
        let r = HaversineMetric.earthRadiusMeters
        let lon1r = a.x * dR
        let lon2r = b.x * dR
        let v = sin((lon2r - lon1r) / 2)
        // Redis' shortcut: along a meridian the distance is the latitude difference.
        if v == 0.0 { return r * abs(b.y * dR - a.y * dR) }
        let lat1r = a.y * dR
        let lat2r = b.y * dR
        let u = sin((lat2r - lat1r) / 2)
        let h = u * u + cos(lat1r) * cos(lat2r) * v * v
        return 2.0 * r * asin(h.squareRoot())
    }
}
