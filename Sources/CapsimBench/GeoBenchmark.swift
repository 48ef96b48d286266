import Foundation
import Platform

/// Wall time of the Geo area: `GeoSet<Int>` (courier ids) searches and moves.
///
/// - `geo.search.n=N`: GEOSEARCH BYRADIUS 2 km (no options, ASC COUNT 10, COUNT 10 ANY) over N points
///   spread uniformly at 10 points/km² around New York (the area grows with N), so the points in the
///   scanned cells and the results per search stay about the same while N grows 1,000x: the time should
///   stay flat apart from the O(log N) binary searches and cache effects.
/// - `geo.search.n=100000.r=R`: N fixed, radius growing: time grows with the points scanned.
/// - `geo.move.n=N`: GEOADD of an existing member to a position up to ~300 m away (a courier update).
public enum GeoBenchmark {
    static let density = 10.0          // points per km²
    static let centreLon = -74.0, centreLat = 40.7

    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    }

    static func seconds(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Half the side, in degrees, of the square holding `n` points at `density`.
    static func halfSide(_ n: Int) -> (lon: Double, lat: Double) {
        let sideKm = (Double(n) / density).squareRoot()
        return (sideKm / 2 / (111.2 * cos(centreLat * .pi / 180)), sideKm / 2 / 111.2)
    }

    static func build(_ n: Int, _ rng: inout Rng) -> (GeoSet<Int>, Double) {
        let h = halfSide(n)
        var set = GeoSet<Int>()
        var points: [(Double, Double)] = []
        points.reserveCapacity(n)
        for _ in 0..<n {
            points.append((centreLon + (rng.unit() * 2 - 1) * h.lon, centreLat + (rng.unit() * 2 - 1) * h.lat))
        }
        let t = seconds {
            for (i, p) in points.enumerated() { try! set.add(i, longitude: p.0, latitude: p.1) }
        }
        return (set, t / Double(n))
    }

    public static func run() {
        var rng = Rng(state: 42)
        var checksum = 0
        var buffer: [GeoSearchResult<Int>] = []
        buffer.reserveCapacity(4096)
        let radius = GeoShape.radius(2, .kilometers)
        var sets: [Int: GeoSet<Int>] = [:]

        for n in [1_000, 10_000, 100_000, 1_000_000] {
            let (set, addSeconds) = build(n, &rng)
            print(String(format: "geo.add.n=%d: %.3f us/op", n, addSeconds * 1e6))
            // Centres at least 3 km inside the edge so every search sees the same density.
            let h = halfSide(n)
            let marginLon = 3 / (111.2 * cos(centreLat * .pi / 180)), marginLat = 3 / 111.2
            let q = 2_000
            var centres: [(Double, Double)] = []
            for _ in 0..<q {
                centres.append((centreLon + (rng.unit() * 2 - 1) * max(h.lon - marginLon, 0),
                                centreLat + (rng.unit() * 2 - 1) * max(h.lat - marginLat, 0)))
            }
            var scanned = 0
            for c in centres { scanned += try! set.scannedCount(longitude: c.0, latitude: c.1, shape: radius) }
            let variants: [(String, GeoSearchOptions)] = [
                ("", GeoSearchOptions()),
                (".asc.count10", GeoSearchOptions(order: .ascending, count: 10)),
                (".count10.any", GeoSearchOptions(count: 10, any: true)),
            ]
            for (suffix, options) in variants {
                let rounds = 5
                var results = 0
                let t = seconds {
                    for _ in 0..<rounds {
                        for c in centres {
                            try! set.search(longitude: c.0, latitude: c.1, shape: radius, options: options, into: &buffer)
                            results += buffer.count
                        }
                    }
                }
                checksum &+= results
                let ops = Double(rounds * q)
                print(String(format: "geo.search.n=%d.r=2km%@: %.2f us/op (results/search %.1f, scanned/search %.1f)",
                             n, suffix, t / ops * 1e6, Double(results) / ops, Double(scanned) / Double(q)))
            }
            sets[n] = set
        }

        // Fixed N, growing radius: cost follows the points in the scanned cells.
        if let set = sets[100_000] {
            for km in [0.25, 0.5, 1, 2, 4, 8, 16] {
                let shape = GeoShape.radius(km, .kilometers)
                let q = 1_000
                var centres: [(Double, Double)] = []
                for _ in 0..<q {
                    centres.append((centreLon + (rng.unit() * 2 - 1) * 0.2, centreLat + (rng.unit() * 2 - 1) * 0.2))
                }
                var scanned = 0
                for c in centres { scanned += try! set.scannedCount(longitude: c.0, latitude: c.1, shape: shape) }
                var results = 0
                let rounds = 5
                let t = seconds {
                    for _ in 0..<rounds {
                        for c in centres {
                            try! set.search(longitude: c.0, latitude: c.1, shape: shape, into: &buffer)
                            results += buffer.count
                        }
                    }
                }
                checksum &+= results
                let ops = Double(rounds * q)
                print(String(format: "geo.search.n=100000.r=%gkm: %.2f us/op (results/search %.1f, scanned/search %.1f, %.1f ns/scanned)",
                             km, t / ops * 1e6, Double(results) / ops, Double(scanned) / Double(q),
                             t / Double(rounds) / Double(max(scanned, 1)) * 1e9))
            }
        }

        // Moves: each courier jumps up to ~300 m (the simulator's location updates).
        for n in [1_000, 10_000, 100_000, 1_000_000] {
            guard var set = sets.removeValue(forKey: n) else { continue }
            let moves = 500_000
            var ids: [Int] = []
            var targets: [(Double, Double)] = []
            ids.reserveCapacity(moves)
            targets.reserveCapacity(moves)
            for _ in 0..<moves {
                let id = Int(rng.next() % UInt64(n))
                let p = set.position(of: id)!
                let lon = p.longitude + (rng.unit() * 2 - 1) * 0.0035
                let lat = p.latitude + (rng.unit() * 2 - 1) * 0.0027
                ids.append(id)
                targets.append((lon, lat))
            }
            let t = seconds {
                for i in 0..<moves { try! set.add(ids[i], longitude: targets[i].0, latitude: targets[i].1) }
            }
            checksum &+= set.count
            print(String(format: "geo.move.n=%d: %.3f us/op", n, t / Double(moves) * 1e6))
        }
        print("geo.checksum: \(checksum)")
    }
}
