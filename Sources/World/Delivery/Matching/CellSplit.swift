import Platform

/// The split of a city's batch run across the matching_service replicas by geography
/// (`matching.split: by_cell`): each order belongs to the geohash cell of its restaurant
/// (Redis's geohash, `src/geohash.c`, at `step` bits per axis: about 0.84 × 0.58 km at 40° N),
/// cells are taken along the geohash's Z-order curve (neighbouring cells stay together) and
/// cut into `n` runs of about equal order counts without splitting a cell, one run per
/// replica. An order is in exactly one part; a courier may be a candidate of several parts
/// (couriers near a seam), and the part whose run finishes first claims it: the next part
/// sees it on a trip. Runs finish in event order (ties by sequence number), so the
/// resolution is deterministic. This is how a sharded dispatcher works (Uber's ringpop
/// shards supply and demand by S2 cell, "How Uber Scales Their Real-Time Market Platform",
/// 2015), with the seam resolved by first claim.
enum CellSplit {
    /// Bits per axis of the cells (Redis's `GEOADD` stores step 26).
    static let step: UInt8 = 15

    /// The cell of a position (longitude, latitude in degrees): its geohash at `step`.
    @inline(__always) static func cell(_ p: DispatchPosition) -> UInt64 {
        let lat = min(max(p.y, RedisGeohash.latitudeMin), RedisGeohash.latitudeMax)
        let lon = min(max(p.x, RedisGeohash.longitudeMin), RedisGeohash.longitudeMax)
        return RedisGeohash.encode(longitude: lon, latitude: lat, step: step).bits
    }

    /// Splits orders (an id each, and their cell) into at most `n` parts: sorted by (cell, id),
    /// a cell goes to part ⌊(orders before it) · n / total⌋. Empty parts are dropped; ids keep
    /// their cell order within a part.
    static func split(_ orders: [(id: Int, cell: UInt64)], into n: Int) -> [[Int]] {
        guard n > 1, orders.count > 1 else { return orders.isEmpty ? [] : [orders.map(\.id)] }
        let sorted = orders.sorted { $0.cell != $1.cell ? $0.cell < $1.cell : $0.id < $1.id }
        var parts = Array(repeating: [Int](), count: n)
        var k = 0, cellStart = 0
        for (i, o) in sorted.enumerated() {
            if i == 0 || o.cell != sorted[i - 1].cell {
                cellStart = i
                k = min(n - 1, cellStart * n / sorted.count)
            }
            parts[k].append(o.id)
        }
        return parts.filter { !$0.isEmpty }
    }
}
