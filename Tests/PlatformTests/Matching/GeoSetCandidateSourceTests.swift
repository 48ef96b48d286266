import CapsimTestSupport
import Platform
import Testing

/// The Redis-GEO index behind the matchers: the same candidates, distances and order as a
/// brute-force scan over the stored (cell-centre) positions with Redis' haversine.
@Suite struct GeoSetCandidateSourceTests {
    @Test func agreesWithBruteForceOverStoredPositions() throws {
        var rng = FixedRNG(state: 2024)
        var geo = GeoSetCandidateSource()
        var brute = BruteForceCandidateSource(metric: HaversineMetric())
        for id in 0..<3000 {
            let lon = -74.0 + Double(rng.next() % 100_000) / 1_000_000 * 2   // ~0.2° around Manhattan
            let lat = 40.7 + Double(rng.next() % 100_000) / 1_000_000 * 2
            try geo.index.add(id, longitude: lon, latitude: lat)
            let stored = geo.index.position(of: id)!
            brute.upsert(courierID: id, at: DispatchPosition(longitude: stored.longitude, latitude: stored.latitude))
        }
        var a: [DispatchCandidate] = [], b: [DispatchCandidate] = []
        for _ in 0..<300 {
            let c = DispatchPosition(longitude: -74.0 + Double(rng.next() % 200_000) / 1_000_000, latitude: 40.7 + Double(rng.next() % 200_000) / 1_000_000)
            let radius = Double(200 + rng.next() % 3000)
            let limit = [1, 5, 16, Int.max][Int(rng.next() % 4)]
            geo.candidates(near: c, radiusMeters: radius, limit: limit, into: &a)
            brute.candidates(near: c, radiusMeters: radius, limit: limit, into: &b)
            #expect(a.map(\.courierID) == b.map(\.courierID))
            #expect(zip(a, b).allSatisfy { abs($0.distanceMeters - $1.distanceMeters) < 1e-6 })
        }
    }
}

typealias FixedRNG = SplitMix64
