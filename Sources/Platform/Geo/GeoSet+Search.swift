/// `GEOSEARCH key FROMLONLAT|FROMMEMBER ... BYRADIUS|BYBOX ... [ASC|DESC] [COUNT n [ANY]]`
/// (redis `src/geo.c` `georadiusGeneric`, `membersOfAllNeighbors`, `geoGetPointsInRange`,
/// `geoWithinShape`; GEORADIUS / GEORADIUSBYMEMBER run the same code).
extension GeoSet {
    /// Searches around a position, returning a new array. See `search(longitude:latitude:shape:options:into:)`.
    @inlinable
    public func search(longitude: Double, latitude: Double, shape: GeoShape,
                       options: GeoSearchOptions = GeoSearchOptions()) throws(GeoError) -> [GeoSearchResult<Member>] {
        var results: [GeoSearchResult<Member>] = []
        try search(longitude: longitude, latitude: latitude, shape: shape, options: options, into: &results)
        return results
    }

    /// `GEOSEARCH key FROMLONLAT lon lat BYRADIUS|BYBOX ... [ASC|DESC] [COUNT n [ANY]]`, writing the
    /// replies into `results` (emptied first, capacity kept): the simulator's allocation-free path when
    /// the caller reuses one buffer.
    ///
    /// Redis's algorithm: compute the 9 cells (`GeoSearchArea`); scan each non-dropped cell's score range
    /// in the sorted set (skipping a cell equal to the previously scanned one), keeping members whose
    /// cell centre is within the shape (circle: distance <= radius); with `ANY`, stop as soon as `count`
    /// members were kept. `COUNT` without `ANY` or an order implies `ASC`. Sort, keep the first `count`.
    ///
    /// - Throws: the errors Redis gives for an invalid centre, a negative size, `COUNT <= 0` or `ANY`
    ///   without `COUNT`.
    /// - Complexity: O(log n + C + F + k log k) (see `GeoSet`); with `ANY`, scanning stops after k matches.
    @inlinable
    public func search(longitude: Double, latitude: Double, shape: GeoShape,
                       options: GeoSearchOptions = GeoSearchOptions(),
                       into results: inout [GeoSearchResult<Member>]) throws(GeoError) {
        results.removeAll(keepingCapacity: true)
        guard RedisGeohash.isValid(longitude: longitude, latitude: latitude) else {
            throw .invalidCoordinate(longitude: longitude, latitude: latitude)
        }
        try Self.validate(shape: shape, options: options)
        searchValidated(longitude: longitude, latitude: latitude, shape: shape, options: options, into: &results)
    }

    /// `GEOSEARCH key FROMMEMBER member ...` (and GEORADIUSBYMEMBER): the centre is the member's cell centre.
    ///
    /// - Throws: `GeoError.memberNotFound` when the member is missing, and the errors of the
    ///   `FROMLONLAT` form.
    @inlinable
    public func search(fromMember member: Member, shape: GeoShape,
                       options: GeoSearchOptions = GeoSearchOptions(),
                       into results: inout [GeoSearchResult<Member>]) throws(GeoError) {
        results.removeAll(keepingCapacity: true)
        guard let s = storage.score(of: member) else { throw .memberNotFound }
        try Self.validate(shape: shape, options: options)
        let centre = RedisGeohash.decode(score: s)
        searchValidated(longitude: centre.longitude, latitude: centre.latitude, shape: shape, options: options,
                        into: &results)
    }

    /// `GEOSEARCH key FROMMEMBER member ...`, returning a new array.
    @inlinable
    public func search(fromMember member: Member, shape: GeoShape,
                       options: GeoSearchOptions = GeoSearchOptions()) throws(GeoError) -> [GeoSearchResult<Member>] {
        var results: [GeoSearchResult<Member>] = []
        try search(fromMember: member, shape: shape, options: options, into: &results)
        return results
    }

    /// The reply order of a sorted search: distance (ascending, or descending), then score ascending,
    /// then member ascending — a strict total order, so the reply is unique.
    @inlinable @inline(__always)
    static func replyPrecedes(_ a: GeoSearchResult<Member>, _ b: GeoSearchResult<Member>, descending: Bool) -> Bool {
        if a.distance != b.distance { return descending ? a.distance > b.distance : a.distance < b.distance }
        if a.score != b.score { return a.score < b.score }
        return a.member < b.member
    }

    @inlinable
    static func validate(shape: GeoShape, options: GeoSearchOptions) throws(GeoError) {
        switch shape.kind {
        case .circle:
            guard shape.radius >= 0 else { throw .negativeRadius }
        case .box:
            guard shape.width >= 0 && shape.height >= 0 else { throw .negativeBoxSize }
        }
        if let count = options.count, count <= 0 { throw .nonPositiveCount }
        if options.any && options.count == nil { throw .anyRequiresCount }
    }

    @inlinable
    func searchValidated(longitude lon: Double, latitude lat: Double, shape: GeoShape,
                         options: GeoSearchOptions, into results: inout [GeoSearchResult<Member>]) {
        let area = GeoSearchArea(longitude: lon, latitude: lat, shape: shape)
        let count = options.count ?? 0
        let limit = options.any ? count : 0
        let isCircle = shape.kind == .circle
        let origin = GeoDistance.Origin(longitude: lon, latitude: lat)
        let radiusMeters = shape.radius * shape.conversion
        let widthMeters = shape.width * shape.conversion
        let heightMeters = shape.height * shape.conversion

        // membersOfAllNeighbors: `last_processed` starts at 0 and the duplicate check is skipped while it
        // is 0, exactly as in Redis.
        var lastProcessed = 0
        for i in 0..<9 {
            let cell = area.cell(i)
            if cell.isZero { continue }
            if lastProcessed != 0 && cell == area.cell(lastProcessed) { continue }
            if !results.isEmpty && limit != 0 && results.count >= limit { break }
            let range = cell.scoreRange
            storage.forEach(scoreFrom: range.min, below: range.max) { score, member in
                let xy = RedisGeohash.decode(score: score)
                let distance: Double?
                if isCircle {
                    if origin.certainlyBeyond(radiusMeters, latitude: xy.latitude) {
                        distance = nil
                    } else {
                        let d = origin.meters(toLongitude: xy.longitude, latitude: xy.latitude)
                        distance = d > radiusMeters ? nil : d
                    }
                } else {
                    distance = GeoDistance.metersIfInRectangle(
                        widthMeters: widthMeters, heightMeters: heightMeters,
                        lon1: lon, lat1: lat, lon2: xy.longitude, lat2: xy.latitude)
                }
                if let distance {
                    results.append(GeoSearchResult(member: member, distance: distance, score: score,
                                                   longitude: xy.longitude, latitude: xy.latitude))
                }
                return !(limit != 0 && results.count >= limit)
            }
            lastProcessed = i
        }

        var order = options.order
        if count != 0 && order == .unsorted && !options.any { order = .ascending }
        let found = results.count
        let returned = (count == 0 || found < count) ? found : count
        if order != .unsorted && found > 1 {
            let descending = order == .descending
            results.withUnsafeMutableBufferPointer { buffer in
                // Closure literals passed straight to the non-escaping parameters: no context allocation.
                if returned == found {
                    GeoSort.sort(buffer) { Self.replyPrecedes($0, $1, descending: descending) }
                } else {
                    GeoSort.partialSort(buffer, first: returned) { Self.replyPrecedes($0, $1, descending: descending) }
                }
            }
        }
        if returned < found { results.removeLast(found - returned) }
        let conversion = shape.conversion
        if conversion != 1 {
            for j in results.indices { results[j].distance /= conversion }
        }
    }
}

extension GeoSet {
    /// The number of stored members in the cells a search would scan, matching or not: the N in
    /// Redis's O(N + log M) cost of a GEOSEARCH (without `ANY`), for charging a simulated Redis.
    ///
    /// - Complexity: O(log n + C) for C members in the scanned cells.
    @inlinable
    public func scannedCount(longitude: Double, latitude: Double, shape: GeoShape) throws(GeoError) -> Int {
        guard RedisGeohash.isValid(longitude: longitude, latitude: latitude) else {
            throw .invalidCoordinate(longitude: longitude, latitude: latitude)
        }
        try Self.validate(shape: shape, options: GeoSearchOptions())
        let area = GeoSearchArea(longitude: longitude, latitude: latitude, shape: shape)
        var total = 0
        var lastProcessed = 0
        for i in 0..<9 {
            let cell = area.cell(i)
            if cell.isZero { continue }
            if lastProcessed != 0 && cell == area.cell(lastProcessed) { continue }
            let range = cell.scoreRange
            storage.forEach(scoreFrom: range.min, below: range.max) { _, _ in
                total += 1
                return true
            }
            lastProcessed = i
        }
        return total
    }
}
