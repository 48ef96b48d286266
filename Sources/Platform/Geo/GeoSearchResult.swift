/// One member found by a search: what `WITHDIST WITHCOORD WITHHASH` would print, unformatted.
public struct GeoSearchResult<Member> {
    public var member: Member
    /// Distance from the search centre to the member's cell centre, in the search's unit (Redis divides
    /// the metres by the unit factor; `WITHDIST` prints this with 4 decimals).
    public var distance: Double
    /// The stored 52-bit score (`WITHHASH`).
    public var score: UInt64
    /// The member's cell centre (`WITHCOORD`), not the coordinates given to `GEOADD`.
    public var longitude: Double
    public var latitude: Double

    @inlinable @inline(__always)
    public init(member: Member, distance: Double, score: UInt64, longitude: Double, latitude: Double) {
        self.member = member
        self.distance = distance
        self.score = score
        self.longitude = longitude
        self.latitude = latitude
    }

    @inlinable
    public var coordinate: GeoCoordinate { GeoCoordinate(longitude: longitude, latitude: latitude) }
}

extension GeoSearchResult: Sendable where Member: Sendable {}
extension GeoSearchResult: Equatable where Member: Equatable {}
