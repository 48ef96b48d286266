/// The Redis-GEO index (`GeoSet<Int>` keyed by courier id) as the matchers' `CandidateSource`.
///
/// Runs `GEOSEARCH drivers FROMLONLAT lon lat BYRADIUS r m WITHDIST` (redis `src/geo.c`,
/// `georadiusGeneric`) without `COUNT`, then orders by (distance, courier id) and cuts to
/// `limit`: Redis leaves equal distances in qsort order and a `COUNT` cut inside a tie would
/// pick by geohash score, while the matchers' contract breaks ties by id.
///
/// With a finite `limit` the search is an expanding ring: it starts at the radius where the
/// index's last observed density puts about `2 × limit` members, and doubles the radius until
/// it holds `limit` members or reaches `radiusMeters`. Exact: a search at r' returns exactly
/// the members within r' (same centre, same distance function), so once it holds `limit` of
/// them, no member beyond r' can be among the nearest `limit`. The work per query then follows
/// `limit`, not the number of couriers in `radiusMeters` (which grows with courier density).
/// The starting radius is a hint only; no result depends on it.
/// - Complexity: that of `GeoSet.search` for the final (and the at most log2(radius/start)
///   smaller) radii plus O(F log F) for F members within the final radius.
public struct GeoSetCandidateSource: CandidateSource {
    public var index: GeoSet<Int>
    /// The search's scratch: the raw replies and the density seen last (a class so the
    /// non-mutating `candidates` can reuse its buffer and learn).
    let _scratch = _GeoCandidateScratch()

    public init(index: GeoSet<Int> = GeoSet<Int>()) { self.index = index }

    /// Members the index returned over every search so far (within the radii searched): the
    /// work of the queries, for tests and benchmarks.
    public var searchedMembers: Int { _scratch.returned }

    public func candidates(near center: DispatchPosition, radiusMeters: Double, limit: Int,
                           into result: inout [DispatchCandidate]) {
        result.removeAll(keepingCapacity: true)
        let scratch = _scratch
        var r = radiusMeters
        let bounded = limit < index.count && radiusMeters > 0
        if bounded, scratch.density > 0 {
            r = min(radiusMeters, (2 * Double(limit) / (Double.pi * scratch.density)).squareRoot())
        }
        while true {
            do {
                try index.search(longitude: center.x, latitude: center.y, shape: .radius(r, .meters),
                                 options: GeoSearchOptions(), into: &scratch.hits)
            } catch { return }
            scratch.returned += scratch.hits.count
            if !bounded || scratch.hits.count >= limit || r >= radiusMeters { break }
            r = min(radiusMeters, r * 2)
        }
        if bounded {
            scratch.density = scratch.hits.isEmpty ? 0 : Double(scratch.hits.count) / (Double.pi * r * r)
        }
        for h in scratch.hits {
            result.append(DispatchCandidate(courierID: h.member, position: DispatchPosition(x: h.longitude, y: h.latitude),
                                            distanceMeters: h.distance))
        }
        let found = result.count
        guard found > 1 else { return }
        let returned = min(found, limit)
        result.withUnsafeMutableBufferPointer { buffer in
            if returned == found {
                GeoSort.sort(buffer) { DispatchCandidate.nearerFirst($0, $1) }
            } else {
                GeoSort.partialSort(buffer, first: returned) { DispatchCandidate.nearerFirst($0, $1) }
            }
        }
        if returned < found { result.removeLast(found - returned) }
    }
}

/// `GeoSetCandidateSource`'s reusable reply buffer and density estimate (members per m² in
/// the last bounded search's final radius).
final class _GeoCandidateScratch {
    var hits: [GeoSearchResult<Int>] = []
    var density = 0.0
    var returned = 0
}
