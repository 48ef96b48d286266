/// One answer of a `CandidateSource`: a courier near the query point.
///
/// Mirrors a `GEOSEARCH ... WITHDIST WITHCOORD` reply entry (redis `src/geo.c`,
/// `georadiusGeneric`): the member, its distance from the centre in metres and the
/// position the distance was measured to (for Redis, the decoded geohash cell centre).
@frozen
public struct DispatchCandidate: Hashable, Sendable {
    public var courierID: Int
    public var position: DispatchPosition
    /// Distance from the query centre in metres, in the source's metric.
    public var distanceMeters: Double

    @inlinable @inline(__always)
    public init(courierID: Int, position: DispatchPosition, distanceMeters: Double) {
        self.courierID = courierID
        self.position = position
        self.distanceMeters = distanceMeters
    }

    /// The order every `CandidateSource` returns: distance ascending, then courier id
    /// ascending (Redis leaves equal distances in unspecified order; we fix it by id).
    @inlinable @inline(__always)
    public static func nearerFirst(_ a: DispatchCandidate, _ b: DispatchCandidate) -> Bool {
        a.distanceMeters < b.distanceMeters
            || (a.distanceMeters == b.distanceMeters && a.courierID < b.courierID)
    }
}
