/// The Redis-GEO index (`GeoSet<Int>` keyed by courier id) as the matchers' `CandidateSource`.
///
/// Runs `GEOSEARCH drivers FROMLONLAT lon lat BYRADIUS r m ASC WITHDIST` (redis `src/geo.c`,
/// `georadiusGeneric`) without `COUNT`, then orders by (distance, courier id) and cuts to
/// `limit`: Redis leaves equal distances in qsort order and a `COUNT` cut inside a tie would
/// pick by geohash score, while the matchers' contract breaks ties by id. Fetching the
/// whole radius keeps that exact at the cost of sorting the few extra members.
/// - Complexity: that of `GeoSet.search` plus O(F log F) for F members within the radius.
public struct GeoSetCandidateSource: CandidateSource {
    public var index: GeoSet<Int>

    public init(index: GeoSet<Int> = GeoSet<Int>()) { self.index = index }

    public func candidates(near center: DispatchPosition, radiusMeters: Double, limit: Int,
                           into result: inout [DispatchCandidate]) {
        result.removeAll(keepingCapacity: true)
        guard let hits = try? index.search(longitude: center.x, latitude: center.y,
                                           shape: .radius(radiusMeters, .meters),
                                           options: GeoSearchOptions(order: .ascending)) else { return }
        for h in hits {
            result.append(DispatchCandidate(courierID: h.member, position: DispatchPosition(x: h.longitude, y: h.latitude),
                                            distanceMeters: h.distance))
        }
        result.sort(by: DispatchCandidate.nearerFirst)
        if result.count > limit { result.removeLast(result.count - limit) }
    }
}
