/// "Couriers within `radiusMeters` of `center`, nearest first, at most `limit`."
///
/// This is the one question the matchers ask of a spatial index. It is shaped after
/// `GEOSEARCH key FROMLONLAT lon lat BYRADIUS r m ASC COUNT limit WITHDIST WITHCOORD`
/// (redis `src/geo.c`, `georadiusGeneric`) so a
/// Redis-GEO-like index can conform directly. Contract:
/// - `result` is emptied, then filled with couriers whose distance is `<= radiusMeters`
///   (inclusive, as Redis), sorted by `DispatchCandidate.nearerFirst` (distance, then id;
///   Redis leaves equal distances unordered, so a conforming index must sort ties by id),
///   and truncated to `limit` (`Int.max` = no limit; without Redis' `ANY`, i.e. the true
///   nearest `limit`).
/// - The source should index only couriers that may be offered work (idle ones); the
///   matchers treat every returned id as available.
/// Taking the buffer `inout` lets a caller reuse one array for millions of queries.
public protocol CandidateSource {
    func candidates(
        near center: DispatchPosition, radiusMeters: Double, limit: Int,
        into result: inout [DispatchCandidate])
}
