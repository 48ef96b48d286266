/// The area of a `GEOSEARCH`: `BYRADIUS radius unit` or `BYBOX width height unit` (`GeoShape` in redis
/// `src/geohash.h`). Sizes are kept in the request's unit together with its conversion factor, because
/// Redis multiplies by the factor at each use and the exact products matter for bit-identical results.
public struct GeoShape: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case circle
        case box
    }

    public var kind: Kind
    /// `BYRADIUS` radius, in `unit`.
    public var radius: Double
    /// `BYBOX` width (east-west) and height (north-south), in `unit`.
    public var width: Double
    public var height: Double
    public var unit: GeoUnit
    /// `shape->conversion`.
    public var conversion: Double

    @inlinable
    init(kind: Kind, radius: Double, width: Double, height: Double, unit: GeoUnit) {
        self.kind = kind
        self.radius = radius
        self.width = width
        self.height = height
        self.unit = unit
        self.conversion = unit.metersPerUnit
    }

    /// `BYRADIUS radius unit` (also GEORADIUS). Members at exactly `radius` are included.
    @inlinable
    public static func radius(_ radius: Double, _ unit: GeoUnit = .meters) -> GeoShape {
        GeoShape(kind: .circle, radius: radius, width: 0, height: 0, unit: unit)
    }

    /// `BYBOX width height unit`, axis-aligned and centred on the search position.
    @inlinable
    public static func box(width: Double, height: Double, _ unit: GeoUnit = .meters) -> GeoShape {
        GeoShape(kind: .box, radius: 0, width: width, height: height, unit: unit)
    }

    /// The radius used to pick the search step: the radius, or the half-diagonal of the box, in metres.
    @inlinable
    var searchRadiusMeters: Double {
        var r = kind == .circle ? radius : ((width / 2) * (width / 2) + (height / 2) * (height / 2)).squareRoot()
        r *= conversion
        return r
    }
}
