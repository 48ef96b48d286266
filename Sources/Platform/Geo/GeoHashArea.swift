/// The bounds of a geohash cell in degrees (`GeoHashArea` in redis `src/geohash.h`, without the hash).
public struct GeoHashArea: Hashable, Sendable {
    public var latitudeMin: Double
    public var latitudeMax: Double
    public var longitudeMin: Double
    public var longitudeMax: Double

    @inlinable @inline(__always)
    public init(latitudeMin: Double, latitudeMax: Double, longitudeMin: Double, longitudeMax: Double) {
        self.latitudeMin = latitudeMin
        self.latitudeMax = latitudeMax
        self.longitudeMin = longitudeMin
        self.longitudeMax = longitudeMax
    }
}
