import CapsimTestSupport
import Testing
import Platform

@Suite struct TravelModelTests {
    /// MDRP: ceil(euclidean / metres-per-minute) whole minutes; 3-4-5 triangles give exact
    /// distances, so the boundaries are closed-form.
    @Test func mdrpWholeMinutesClosedForm() {
        let m = PlanarTravelModel.mdrp(metersPerMinute: 320)
        let o = DispatchPosition(x: 0, y: 0)
        #expect(m.travelTime(from: o, to: o) == 0)
        #expect(m.travelTime(from: o, to: DispatchPosition(x: 960, y: 1280)) == 5 * TimeUnit.minute)  // 1600 m = 5.0 min
        #expect(m.travelTime(from: o, to: DispatchPosition(x: 960, y: 1281)) == 6 * TimeUnit.minute)
        #expect(m.travelTime(from: o, to: DispatchPosition(x: 1, y: 0)) == 1 * TimeUnit.minute)
        #expect(m.travelTime(from: DispatchPosition(x: 500, y: 500), to: DispatchPosition(x: 500, y: 820)) == TimeUnit.minute)
        let exact = PlanarTravelModel(metersPerMinute: 320)
        #expect(exact.travelTime(from: o, to: DispatchPosition(x: 960, y: 1280)) == 5 * TimeUnit.minute)
        #expect(exact.travelTime(from: o, to: DispatchPosition(x: 3, y: 4)) == 937_500_000)  // 5 m / (320/60 m/s)
    }

    /// Our MDRP travel times against numpy evaluating the very expression of
    /// grubhub/mdrplib compute_performance_summary.py `traveltime`.
    @Test(.enabled(if: RealSystems.canRunPython("numpy"), "python3 with numpy not found (set CAPSIM_PYTHON)"))
    func mdrpMatchesNumpyReferenceFormula() throws {
        var rng = MatchingRNG(seed: 5)
        var pairs: [(DispatchPosition, DispatchPosition, Double)] = []
        for k in 0..<5000 {
            // MDRP coordinates are UTM-like metres, some exactly on minute boundaries.
            let a = DispatchPosition(x: Double(Int.random(in: 400_000...420_000, using: &rng)) + (k % 3 == 0 ? 0 : Double.random(in: 0..<1, using: &rng)),
                                     y: Double(Int.random(in: 3_700_000...3_720_000, using: &rng)))
            let b = k % 5 == 0 ? DispatchPosition(x: a.x + 320 * Double(k % 7), y: a.y)
                : DispatchPosition(x: Double(Int.random(in: 400_000...420_000, using: &rng)), y: Double(Int.random(in: 3_700_000...3_720_000, using: &rng)))
            pairs.append((a, b, [320, 420, 314.5][k % 3]))
        }
        let input = pairs.map { "\($0.0.x) \($0.0.y) \($0.1.x) \($0.1.y) \($0.2)" }.joined(separator: "\n")
        let script = """
        import sys, numpy as np
        for line in sys.stdin:
            x1, y1, x2, y2, v = map(float, line.split())
            dist = np.sqrt((x2 - x1)**2 + (y2 - y1)**2)
            print(int(np.ceil(dist / v)))
        """
        guard let out = try MatchingFixtures.python(script, input: input, needs: "numpy") else { return }
        let minutes = out.split(separator: "\n").map { Int64($0)! }
        #expect(minutes.count == pairs.count)
        var mismatches = 0
        for (k, p) in pairs.enumerated() where k < minutes.count {
            if PlanarTravelModel.mdrp(metersPerMinute: p.2).travelTime(from: p.0, to: p.1) != minutes[k] * TimeUnit.minute { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) of \(pairs.count) differ from numpy")
    }

    /// redis tests/unit/geo.tcl (7.0.15) vectors; Redis measures to the decoded cell centres.
    @Test func haversineReproducesRedisVectors() {
        let m = HaversineMetric()
        let palermo = MatchingFixtures.redisDecoded(longitude: 13.361389, latitude: 38.115556)
        let catania = MatchingFixtures.redisDecoded(longitude: 15.087269, latitude: 37.502669)
        #expect(abs(m.distanceMeters(from: palermo, to: catania) - 166274.1516) < 0.00005)  // GEODIST
        let centre = DispatchPosition(longitude: -73.9798091, latitude: 40.7598464)
        let expectedKm: [(Double, Double, Double)] = [
            (-73.9733487, 40.7648057, 0.7750), (-73.9564142, 40.7480973, 2.3651),
            (-73.9903085, 40.7362513, 2.7697), (-73.9454966, 40.747533, 3.1991),
        ]
        for (lon, lat, km) in expectedKm {
            let d = m.distanceMeters(from: centre, to: MatchingFixtures.redisDecoded(longitude: lon, latitude: lat))
            #expect(abs(d / 1000 - km) < 0.00005, "\(lon),\(lat): \(d)")
        }
        let sf = DispatchPosition(longitude: -122.407107, latitude: 37.794300)
        let p1 = MatchingFixtures.redisDecoded(longitude: -122.407107, latitude: 37.7943)
        let p2 = MatchingFixtures.redisDecoded(longitude: -122.227336, latitude: 37.7943)
        #expect(abs(m.distanceMeters(from: sf, to: p1) / 1609.34 - 0.0001) < 0.00005)
        #expect(abs(m.distanceMeters(from: sf, to: p2) / 1609.34 - 9.8182) < 0.00005)
        // Equal longitudes take Redis' meridian shortcut: R * |dlat| exactly.
        let a = DispatchPosition(longitude: 10, latitude: 40), b = DispatchPosition(longitude: 10, latitude: 41)
        #expect(m.distanceMeters(from: a, to: b) == HaversineMetric.earthRadiusMeters * abs(41 * (Double.pi / 180) - 40 * (Double.pi / 180)))
    }

    @Test func haversineTravelUsesSpeedAndDetour() {
        let a = DispatchPosition(longitude: 10, latitude: 40), b = DispatchPosition(longitude: 10, latitude: 41)
        let d = HaversineMetric().distanceMeters(from: a, to: b)
        let m = HaversineTravelModel(metersPerSecond: 5, detourFactor: 1.3)
        #expect(m.travelTime(from: a, to: b) == Int64((d * 1.3 / 5 * 1e9).rounded(.up)))
        #expect(m.travelTime(from: a, to: a) == 0)
    }

    /// travelTime(d) <= t implies d <= reach(t): the bound the greedy matcher relies on.
    @Test func reachBoundsTravelTime() {
        var rng = MatchingRNG(seed: 17)
        let planar: [PlanarTravelModel] = [.mdrp(metersPerMinute: 320), PlanarTravelModel(metersPerMinute: 419)]
        for _ in 0..<20000 {
            let a = DispatchPosition(x: Double.random(in: 0..<20000, using: &rng), y: Double.random(in: 0..<20000, using: &rng))
            let b = DispatchPosition(x: Double.random(in: 0..<20000, using: &rng), y: Double.random(in: 0..<20000, using: &rng))
            for m in planar {
                let t = m.travelTime(from: a, to: b)
                #expect(m.distanceMeters(from: a, to: b) <= m.reachMeters(within: t))
                #expect(m.reachMeters(within: t - 1) < m.distanceMeters(from: a, to: b) + 1)  // and it is tight-ish
            }
            let g = HaversineTravelModel(metersPerSecond: 6, detourFactor: 1.25)
            let ga = DispatchPosition(longitude: -74 + a.x / 1e5, latitude: 40.7 + a.y / 1e5)
            let gb = DispatchPosition(longitude: -74 + b.x / 1e5, latitude: 40.7 + b.y / 1e5)
            #expect(g.distanceMeters(from: ga, to: gb) <= g.reachMeters(within: g.travelTime(from: ga, to: gb)))
        }
    }
}
