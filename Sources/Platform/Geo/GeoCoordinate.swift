/// A position in degrees, longitude first as in every Redis GEO command.
public struct GeoCoordinate: Hashable, Sendable {
    public var longitude: Double
    public var latitude: Double

    @inlinable @inline(__always)
    public init(longitude: Double, latitude: Double) {
        self.longitude = longitude
        self.latitude = latitude
    }
}
