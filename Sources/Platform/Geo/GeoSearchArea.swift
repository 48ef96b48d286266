#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The geohash cells a search scans: the centre cell and its 8 neighbours at one step, with neighbours
/// that cannot contain a match dropped (redis `src/geohash_helper.c` `geohashCalculateAreasByShapeWGS84`,
/// `geohashBoundingBox`, `geohashEstimateStepsByRadius`; `src/geohash.c` `geohashNeighbors`).
///
/// Steps:
/// 1. the bounding box of the shape (longitude span measured at the box edge nearer the pole);
/// 2. the step from the radius (`geohashEstimateStepsByRadius`: double the radius until it reaches
///    `MERCATOR_MAX`, minus 2, minus 1 beyond ±66° and another beyond ±80°, clamped to 1...26);
/// 3. the centre cell and its neighbours at that step;
/// 4. if the N, S, E or W neighbour does not reach the bounding box, one step coarser (once);
/// 5. if the step is >= 2, neighbours on a side where the centre cell already covers the box are dropped.
///
/// The cells are stored in Redis's scan order: centre, N, S, E, W, NE, NW, SE, SW (`membersOfAllNeighbors`).
/// No heap allocation.
public struct GeoSearchArea: Sendable, Hashable {
    /// `MERCATOR_MAX`.
    public static let mercatorMax = 20037726.37

    public var centre: GeoHashBits
    public var north: GeoHashBits
    public var south: GeoHashBits
    public var east: GeoHashBits
    public var west: GeoHashBits
    public var northEast: GeoHashBits
    public var northWest: GeoHashBits
    public var southEast: GeoHashBits
    public var southWest: GeoHashBits
    /// The bounding box `[min lon, min lat, max lon, max lat]` (`shape->bounds`).
    public var minLongitude: Double
    public var minLatitude: Double
    public var maxLongitude: Double
    public var maxLatitude: Double

    /// The cell at scan position `i` (0...8); `GeoHashBits.zero` when dropped.
    @inlinable @inline(__always)
    public func cell(_ i: Int) -> GeoHashBits {
        switch i {
        case 0: return centre
        case 1: return north
        case 2: return south
        case 3: return east
        case 4: return west
        case 5: return northEast
        case 6: return northWest
        case 7: return southEast
        default: return southWest
        }
    }

    /// `geohashEstimateStepsByRadius(range_meters, lat)`.
    @inlinable
    public static func estimateStep(radiusMeters: Double, latitude: Double) -> UInt8 {
        if radiusMeters == 0 { return 26 }
        var range = radiusMeters
        var step = 1
        while range < mercatorMax {
            range *= 2
            step += 1
        }
        step -= 2
        if latitude > 66 || latitude < -66 {
            step -= 1
            if latitude > 80 || latitude < -80 { step -= 1 }
        }
        if step < 1 { step = 1 }
        if step > 26 { step = 26 }
        return UInt8(step)
    }

    /// `geohashCalculateAreasByShapeWGS84` for a search centred on a valid position.
    @inlinable
    public init(longitude: Double, latitude: Double, shape: GeoShape) {
        // geohashBoundingBox
        let height = shape.conversion * (shape.kind == .circle ? shape.radius : shape.height / 2)
        let width = shape.conversion * (shape.kind == .circle ? shape.radius : shape.width / 2)
        let r = GeoDistance.earthRadiusMeters
        let latDelta = GeoDistance.radDeg(height / r)
        let lonDeltaTop = GeoDistance.radDeg(width / r / cos(GeoDistance.degRad(latitude + latDelta)))
        let lonDeltaBottom = GeoDistance.radDeg(width / r / cos(GeoDistance.degRad(latitude - latDelta)))
        let southern = latitude < 0
        minLongitude = southern ? longitude - lonDeltaBottom : longitude - lonDeltaTop
        maxLongitude = southern ? longitude + lonDeltaBottom : longitude + lonDeltaTop
        minLatitude = latitude - latDelta
        maxLatitude = latitude + latDelta

        var step = Self.estimateStep(radiusMeters: shape.searchRadiusMeters, latitude: latitude)
        var hash = RedisGeohash.encode(longitude: longitude, latitude: latitude, step: step)
        var n = Neighbours(hash)

        let north = RedisGeohash.decodeArea(n.north)
        let south = RedisGeohash.decodeArea(n.south)
        let east = RedisGeohash.decodeArea(n.east)
        let west = RedisGeohash.decodeArea(n.west)
        let decreaseStep = north.latitudeMax < maxLatitude || south.latitudeMin > minLatitude
            || east.longitudeMax < maxLongitude || west.longitudeMin > minLongitude
        if step > 1 && decreaseStep {
            step -= 1
            hash = RedisGeohash.encode(longitude: longitude, latitude: latitude, step: step)
            n = Neighbours(hash)
        }
        let area = RedisGeohash.decodeArea(hash)
        if step >= 2 {
            if area.latitudeMin < minLatitude {
                n.south = .zero; n.southWest = .zero; n.southEast = .zero
            }
            if area.latitudeMax > maxLatitude {
                n.north = .zero; n.northEast = .zero; n.northWest = .zero
            }
            if area.longitudeMin < minLongitude {
                n.west = .zero; n.southWest = .zero; n.northWest = .zero
            }
            if area.longitudeMax > maxLongitude {
                n.east = .zero; n.southEast = .zero; n.northEast = .zero
            }
        }
        centre = hash
        self.north = n.north
        self.south = n.south
        self.east = n.east
        self.west = n.west
        northEast = n.northEast
        northWest = n.northWest
        southEast = n.southEast
        southWest = n.southWest
    }

    /// `geohashNeighbors`.
    @usableFromInline
    struct Neighbours {
        @usableFromInline var north, south, east, west, northEast, northWest, southEast, southWest: GeoHashBits

        @inlinable @inline(__always)
        init(_ hash: GeoHashBits) {
            east = hash.movedX(1)
            west = hash.movedX(-1)
            south = hash.movedY(-1)
            north = hash.movedY(1)
            northWest = hash.movedX(-1).movedY(1)
            northEast = hash.movedX(1).movedY(1)
            southEast = hash.movedX(1).movedY(-1)
            southWest = hash.movedX(-1).movedY(-1)
        }
    }
}
