#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Redis's great-circle distances (redis `src/geohash_helper.c`: `geohashGetDistance`,
/// `geohashGetLatDistance`, `geohashGetDistanceIfInRadius`, `geohashGetDistanceIfInRectangle`).
///
/// Haversine on a sphere of radius `EARTH_RADIUS_IN_METERS` = 6372797.560856 m, with the operations in
/// the same order as the C code and the same libm (`sin`, `cos`, `asin` from glibc on Linux), so results
/// are bit-identical to the server's on the same machine.
public enum GeoDistance {
    /// `EARTH_RADIUS_IN_METERS`: "Earth's quadratic mean radius for WGS-84".
    public static let earthRadiusMeters = 6372797.560856
    /// `D_R` = `M_PI / 180.0`, used by `deg_rad` / `rad_deg`.
    public static let degreesToRadians = Double.pi / 180.0

    @inlinable @inline(__always)
    static func degRad(_ angle: Double) -> Double { angle * degreesToRadians }

    @inlinable @inline(__always)
    static func radDeg(_ angle: Double) -> Double { angle / degreesToRadians }

    /// `geohashGetLatDistance`: the distance along a meridian.
    @inlinable @inline(__always)
    public static func latitudeMeters(_ lat1: Double, _ lat2: Double) -> Double {
        earthRadiusMeters * abs(degRad(lat2) - degRad(lat1))
    }

    /// `geohashGetDistance(lon1, lat1, lon2, lat2)` in metres; equal longitudes take the meridian shortcut.
    @inlinable @inline(__always)
    public static func meters(lon1: Double, lat1: Double, lon2: Double, lat2: Double) -> Double {
        let lon1r = degRad(lon1)
        let lon2r = degRad(lon2)
        let v = sin((lon2r - lon1r) / 2)
        if v == 0.0 { return latitudeMeters(lat1, lat2) }
        let lat1r = degRad(lat1)
        let lat2r = degRad(lat2)
        let u = sin((lat2r - lat1r) / 2)
        let a = u * u + cos(lat1r) * cos(lat2r) * v * v
        return 2.0 * earthRadiusMeters * asin(a.squareRoot())
    }

    /// `geohashGetDistanceIfInRectangle(width_m, height_m, x1, y1, x2, y2)`: `(x1, y1)` is the box centre,
    /// `(x2, y2)` the point. The east-west test is measured along the point's latitude. Returns the
    /// distance from the centre, or nil when the point is outside.
    @inlinable @inline(__always)
    public static func metersIfInRectangle(
        widthMeters: Double, heightMeters: Double, lon1: Double, lat1: Double, lon2: Double, lat2: Double
    ) -> Double? {
        let latDistance = latitudeMeters(lat2, lat1)
        if latDistance > heightMeters / 2 { return nil }
        let lonDistance = meters(lon1: lon2, lat1: lat2, lon2: lon1, lat2: lat2)
        if lonDistance > widthMeters / 2 { return nil }
        return meters(lon1: lon1, lat1: lat1, lon2: lon2, lat2: lat2)
    }

    /// A fixed first point with its radians and cosine computed once, for many distances from the
    /// same search centre. `meters(toLongitude:latitude:)` performs exactly the operations of
    /// `geohashGetDistance(lon1, lat1, lon2, lat2)` (the hoisted `cos(lat1r)` is the same value), so
    /// the results are bit-identical to `GeoDistance.meters`.
    public struct Origin: Sendable {
        public let longitude: Double
        public let latitude: Double
        @usableFromInline let lon1r: Double
        @usableFromInline let lat1r: Double
        @usableFromInline let cosLat1: Double

        @inlinable
        public init(longitude: Double, latitude: Double) {
            self.longitude = longitude
            self.latitude = latitude
            lon1r = GeoDistance.degRad(longitude)
            lat1r = GeoDistance.degRad(latitude)
            cosLat1 = cos(lat1r)
        }

        @inlinable @inline(__always)
        public func meters(toLongitude lon2: Double, latitude lat2: Double) -> Double {
            let lon2r = GeoDistance.degRad(lon2)
            let v = sin((lon2r - lon1r) / 2)
            if v == 0.0 { return GeoDistance.latitudeMeters(latitude, lat2) }
            let lat2r = GeoDistance.degRad(lat2)
            let u = sin((lat2r - lat1r) / 2)
            let a = u * u + cosLat1 * cos(lat2r) * v * v
            return 2.0 * GeoDistance.earthRadiusMeters * asin(a.squareRoot())
        }

        /// True when the point is certainly farther than `meters`: the great-circle distance is never
        /// shorter than the distance along the meridian, R * |lat2 - lat1|, and the margin (1e-6
        /// relative + 1 m) exceeds any rounding of the haversine (worst near antipodes, ~0.1 m).
        /// Used to skip the trigonometry for most rejected candidates without changing any result.
        @inlinable @inline(__always)
        public func certainlyBeyond(_ meters: Double, latitude lat2: Double) -> Bool {
            GeoDistance.earthRadiusMeters * abs(GeoDistance.degRad(lat2) - lat1r) > meters * (1 + 1e-6) + 1.0
        }
    }
}
