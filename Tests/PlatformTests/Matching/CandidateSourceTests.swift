import Testing
import Platform

@Suite struct CandidateSourceTests {
    /// Reference: every courier measured, filtered by radius, sorted by (distance, id), cut.
    static func reference(_ couriers: [(Int, DispatchPosition)], _ c: DispatchPosition, _ r: Double, _ k: Int) -> [DispatchCandidate] {
        var all: [DispatchCandidate] = []
        for (id, p) in couriers {
            let dx = p.x - c.x, dy = p.y - c.y
            let d = (dx * dx + dy * dy).squareRoot()
            if d <= r { all.append(DispatchCandidate(courierID: id, position: p, distanceMeters: d)) }
        }
        all.sort { ($0.distanceMeters, $0.courierID) < ($1.distanceMeters, $1.courierID) }
        return Array(all.prefix(k))
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func gridMatchesBruteForceUnderMovesAndRemovals(seed: UInt64) {
        var rng = MatchingRNG(seed: seed)
        let cell = [250.0, 700, 2000][Int(seed % 3)]
        var grid = UniformGridCandidateSource(minX: 0, minY: 0, maxX: 10_000, maxY: 10_000, cellSizeMeters: cell)
        var brute = BruteForceCandidateSource(metric: PlanarMetric())
        var live: [Int: DispatchPosition] = [:]
        func randomPoint() -> DispatchPosition {
            // Some outside the grid bounds, some on a coarse lattice so distances tie.
            if Int.random(in: 0..<10, using: &rng) == 0 {
                return DispatchPosition(x: Double.random(in: -3000..<13000, using: &rng), y: Double.random(in: -3000..<13000, using: &rng))
            }
            if Bool.random(using: &rng) {
                return DispatchPosition(x: Double(Int.random(in: 0...20, using: &rng)) * 500, y: Double(Int.random(in: 0...20, using: &rng)) * 500)
            }
            return DispatchPosition(x: Double.random(in: 0..<10_000, using: &rng), y: Double.random(in: 0..<10_000, using: &rng))
        }
        var buf: [DispatchCandidate] = [], bbuf: [DispatchCandidate] = []
        for step in 0..<3000 {
            let id = Int.random(in: 1...400, using: &rng)
            if Int.random(in: 0..<4, using: &rng) == 0 {
                #expect(grid.remove(courierID: id) == (live[id] != nil))
                #expect(brute.remove(courierID: id) == (live[id] != nil))
                live[id] = nil
            } else {
                let p = randomPoint()
                grid.upsert(courierID: id, at: p)
                brute.upsert(courierID: id, at: p)
                live[id] = p
            }
            #expect(grid.count == live.count)
            if step % 3 == 0 {
                let c = randomPoint()
                let r = [0.0, 500, 1000, 2500, 8000, 30000].randomElement(using: &rng)!
                let k = [1, 2, 5, 16, Int.max].randomElement(using: &rng)!
                let expected = Self.reference(live.map { ($0.key, $0.value) }, c, r, k)
                grid.candidates(near: c, radiusMeters: r, limit: k, into: &buf)
                brute.candidates(near: c, radiusMeters: r, limit: k, into: &bbuf)
                #expect(buf == expected, "grid step \(step) r \(r) k \(k)")
                #expect(bbuf == expected, "brute step \(step)")
            }
        }
    }

    /// redis tests/unit/geo.tcl: GEORADIUS nyc -73.9798091 40.7598464 3 km ASC, and the
    /// 10 km COUNT 3 query, through a brute-force source over Redis' decoded positions.
    @Test func haversineSourceReproducesRedisGeoradius() {
        let members: [(Int, Double, Double)] = [
            (1, -74.0131604, 40.7126674), (2, -73.9903085, 40.7362513), (3, -73.9733487, 40.7648057),
            (4, -73.9564142, 40.7480973), (5, -73.9454966, 40.747533), (6, -73.9375699, 40.7498929),
            (7, -73.7858139, 40.6428986),
        ]  // wtc one, union square, central park n/q/r, 4545, lic market, q4, jfk
        let source = BruteForceCandidateSource(
            metric: HaversineMetric(),
            couriers: members.map { ($0.0, MatchingFixtures.redisDecoded(longitude: $0.1, latitude: $0.2)) })
        var out: [DispatchCandidate] = []
        let centre = DispatchPosition(longitude: -73.9798091, latitude: 40.7598464)
        source.candidates(near: centre, radiusMeters: 3000, limit: .max, into: &out)
        #expect(out.map(\.courierID) == [3, 4, 2])
        source.candidates(near: centre, radiusMeters: 10_000, limit: 3, into: &out)
        #expect(out.map(\.courierID) == [3, 4, 2])
    }

    @Test func emptyAndDegenerateQueries() {
        var grid = UniformGridCandidateSource(minX: 0, minY: 0, maxX: 100, maxY: 100, cellSizeMeters: 10)
        var out = [DispatchCandidate(courierID: 9, position: DispatchPosition(x: 0, y: 0), distanceMeters: 0)]
        grid.candidates(near: DispatchPosition(x: 5, y: 5), radiusMeters: 50, limit: 3, into: &out)
        #expect(out.isEmpty)
        grid.upsert(courierID: 1, at: DispatchPosition(x: 5, y: 5))
        grid.candidates(near: DispatchPosition(x: 5, y: 5), radiusMeters: 0, limit: 3, into: &out)
        #expect(out.map(\.courierID) == [1])  // radius is inclusive, as in Redis
        grid.candidates(near: DispatchPosition(x: 5, y: 5), radiusMeters: 10, limit: 0, into: &out)
        #expect(out.isEmpty)
    }
}
