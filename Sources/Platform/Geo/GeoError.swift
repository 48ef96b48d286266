/// The errors Redis replies with for GEO commands that `GeoSet` can meet (redis `src/geo.c`:
/// `extractLongLatOrReply`, `extractDistanceOrReply`, `extractBoxOrReply`, `georadiusGeneric`).
public enum GeoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// "invalid longitude,latitude pair": outside ±180 / ±85.05112878, or NaN.
    case invalidCoordinate(longitude: Double, latitude: Double)
    /// "radius cannot be negative" (or NaN).
    case negativeRadius
    /// "height or width cannot be negative" (or NaN).
    case negativeBoxSize
    /// "COUNT must be > 0".
    case nonPositiveCount
    /// "the ANY argument requires COUNT argument".
    case anyRequiresCount
    /// "could not decode requested zset member" (FROMMEMBER of a missing member).
    case memberNotFound

    public var description: String {
        switch self {
        case .invalidCoordinate(let lon, let lat): return "ERR invalid longitude,latitude pair \(lon),\(lat)"
        case .negativeRadius: return "ERR radius cannot be negative"
        case .negativeBoxSize: return "ERR height or width cannot be negative"
        case .nonPositiveCount: return "ERR COUNT must be > 0"
        case .anyRequiresCount: return "ERR the ANY argument requires COUNT argument"
        case .memberNotFound: return "ERR could not decode requested zset member"
        }
    }
}
