/// The distance units of Redis GEO commands and their factors to metres (redis `src/geo.c`
/// `extractUnitOrReply`). Results are divided by the factor, as Redis does before replying.
public enum GeoUnit: Sendable, Hashable, CaseIterable {
    case meters, kilometers, feet, miles

    /// Metres per unit: m 1, km 1000, ft 0.3048, mi 1609.34 (Redis's own mile, not 1609.344).
    @inlinable
    public var metersPerUnit: Double {
        switch self {
        case .meters: return 1
        case .kilometers: return 1000
        case .feet: return 0.3048
        case .miles: return 1609.34
        }
    }

    /// The unit's token in a Redis command (`m`, `km`, `ft`, `mi`).
    public var redisName: String {
        switch self {
        case .meters: return "m"
        case .kilometers: return "km"
        case .feet: return "ft"
        case .miles: return "mi"
        }
    }
}
