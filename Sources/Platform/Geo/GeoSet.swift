/// A Redis geo key (the seed's `GEOADD drivers lon lat id` / `GEORADIUS drivers ...`): members with
/// positions stored as 52-bit geohash scores in a sorted set, with Redis's exact encoding, decoding,
/// distances, cell selection, filtering and ordering.
///
/// Sources (redis/redis 7.0.15): `src/geo.c` (`geoaddCommand`, `geoposCommand`, `geodistCommand`,
/// `geohashCommand`, `georadiusGeneric`, `membersOfAllNeighbors`, `geoGetPointsInRange`,
/// `geoWithinShape`), `src/geohash.c`, `src/geohash_helper.c`, `src/t_zset.c` (storage order).
///
/// `Member` is any `Hashable & Comparable` type: `Int` (courier ids) for the simulator's fast path,
/// `GeoMember` (bytes, Redis' `sdscmp` order) to compare with a real Redis; `String` merges
/// canonically equivalent names that Redis keeps apart. Equal scores are ordered by `Member`'s `<` (Redis: member
/// bytes), which matters only for members in the same 0.6 m cell.
///
/// Result order (documented because Redis leaves ties unspecified: `qsort`/`pqsort` are unstable):
/// - no `ASC`/`DESC` and no `COUNT` (or `COUNT n ANY`): scan order, exactly as Redis — cells in the
///   order centre, N, S, E, W, NE, NW, SE, SW, and within a cell by `(score, member)`;
/// - `ASC`: by distance, ties by `(score, member)` ascending; `DESC`: by distance descending, ties by
///   `(score, member)` ascending. So every result is deterministic.
///
/// - Complexity: `add`/`remove` (and moving a member) O(log n + B) with B = 512 (see `ScoreSortedSet`);
///   `position`, `distance`, `geohash` O(1) expected; `search` O(log n + C + F + k log k) where C is the
///   number of members stored in the (at most 9) scanned cells, F <= C the matches and k the returned
///   count — independent of n apart from the binary searches.
public struct GeoSet<Member: Hashable & Comparable> {
    @usableFromInline var storage = ScoreSortedSet<Member>()

    @inlinable
    public init() {}

    /// Number of members (`ZCARD`).
    @inlinable
    public var count: Int { storage.count }

    @inlinable
    public var isEmpty: Bool { storage.isEmpty }

    /// The underlying sorted set (`ZRANGE key 0 -1 WITHSCORES` via `entries`).
    @inlinable
    public var sortedSet: ScoreSortedSet<Member> { storage }

    /// `GEOADD key lon lat member`: adds the member or moves it (its old position is replaced).
    /// Returns true if the member was new (GEOADD's reply counts new members).
    ///
    /// - Throws: `GeoError.invalidCoordinate` outside ±180 / ±85.05112878 (or NaN); nothing is changed.
    /// - Complexity: O(log n + B).
    @inlinable
    @discardableResult
    public mutating func add(_ member: Member, longitude: Double, latitude: Double) throws(GeoError) -> Bool {
        guard RedisGeohash.isValid(longitude: longitude, latitude: latitude) else {
            throw .invalidCoordinate(longitude: longitude, latitude: latitude)
        }
        return storage.set(member, score: RedisGeohash.score(longitude: longitude, latitude: latitude))
    }

    /// `ZREM key member`: returns whether the member was present. O(log n + B).
    @inlinable
    @discardableResult
    public mutating func remove(_ member: Member) -> Bool { storage.remove(member) }

    @inlinable
    public func contains(_ member: Member) -> Bool { storage.score(of: member) != nil }

    /// `ZSCORE key member`: the stored 52-bit geohash.
    @inlinable
    public func score(of member: Member) -> UInt64? { storage.score(of: member) }

    /// `GEOPOS key member`: the centre of the member's cell (not the coordinates given to `GEOADD`).
    @inlinable
    public func position(of member: Member) -> GeoCoordinate? {
        guard let s = storage.score(of: member) else { return nil }
        return RedisGeohash.decode(score: s)
    }

    /// `GEODIST key member1 member2 [unit]`: haversine between the two cell centres, divided by the unit
    /// factor (Redis prints it with 4 decimals). Nil if either member is missing.
    @inlinable
    public func distance(from member1: Member, to member2: Member, unit: GeoUnit = .meters) -> Double? {
        guard let s1 = storage.score(of: member1), let s2 = storage.score(of: member2) else { return nil }
        let a = RedisGeohash.decode(score: s1)
        let b = RedisGeohash.decode(score: s2)
        return GeoDistance.meters(lon1: a.longitude, lat1: a.latitude, lon2: b.longitude, lat2: b.latitude)
            / unit.metersPerUnit
    }

    /// `GEOHASH key member`: the 11-character standard geohash string of the member's cell centre.
    public func geohash(of member: Member) -> String? {
        guard let s = storage.score(of: member) else { return nil }
        return RedisGeohash.geohashString(score: s)
    }
}

extension GeoSet: Sendable where Member: Sendable {}

extension GeoSet {
    /// Reserves room for `n` members (avoids rehashing while the simulator registers its couriers).
    @inlinable
    public mutating func reserveCapacity(_ n: Int) { storage.reserveCapacity(n) }

    /// Removes every member (`DEL key`), keeping allocated capacity.
    @inlinable
    public mutating func removeAll() { storage.removeAll() }
}
