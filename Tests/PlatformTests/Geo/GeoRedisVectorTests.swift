import Foundation
import Testing
@testable import Platform

/// The expected outputs of Redis's own test suite (redis/redis `tests/unit/geo.tcl`, tag 7.0.15),
/// read from the .tcl file.
@Suite("Geo: Redis tests/unit/geo.tcl vectors")
struct GeoRedisVectorTests {
    static let nycPoints: [(String, Double, Double, UInt64)] = [
        ("wtc one", -74.0131604, 40.7126674, 1791873972053020),
        ("union square", -73.9903085, 40.7362513, 1791875485187452),
        ("central park n/q/r", -73.9733487, 40.7648057, 1791875761332224),
        ("4545", -73.9564142, 40.7480973, 1791875796750882),
        ("lic market", -73.9454966, 40.747533, 1791875804419201),
        ("q4", -73.9375699, 40.7498929, 1791875830079666),
        ("jfk", -73.7858139, 40.6428986, 1791895905559723),
    ]

    static func nyc() throws -> GeoSet<String> {
        var set = GeoSet<String>()
        for (name, lon, lat, _) in nycPoints { try set.add(name, longitude: lon, latitude: lat) }
        return set
    }

    static let centre = (lon: -73.9798091, lat: 40.7598464)

    @Test func scoresMatchCheckGeosetValues() throws {
        let set = try Self.nyc()
        for (name, lon, lat, expected) in Self.nycPoints {
            #expect(RedisGeohash.score(longitude: lon, latitude: lat) == expected, "\(name)")
            #expect(set.score(of: name) == expected)
        }
        // `ZRANGE nyc 0 -1 WITHSCORES` order.
        #expect(set.sortedSet.entries.map(\.member)
                == ["wtc one", "union square", "central park n/q/r", "4545", "lic market", "q4", "jfk"])
    }

    @Test func addCreatesThenUpdates() throws {
        var set = GeoSet<String>()
        #expect(try set.add("lic market", longitude: -73.9454966, latitude: 40.747533) == true)
        #expect(try set.add("lic market", longitude: -73.9454966, latitude: 40.747533) == false)
        // GEOADD update with XX: the member moves.
        #expect(try set.add("lic market", longitude: -83.9454966, latitude: 40.747533) == false)
        let p = try #require(set.position(of: "lic market"))
        #expect(abs(p.longitude + 83.945) < 0.001 && abs(p.latitude - 40.747) < 0.001)
        #expect(set.count == 1)
        #expect(set.sortedSet.checkInvariants())
    }

    @Test func invalidCoordinatesAndArguments() throws {
        var set = try Self.nyc()
        #expect(throws: GeoError.self) { try set.add("x", longitude: 181, latitude: 0) }
        #expect(throws: GeoError.self) { try set.add("x", longitude: 0, latitude: 85.06) }
        #expect(throws: GeoError.self) { try set.add("x", longitude: .nan, latitude: 0) }
        #expect(set.count == 7)
        #expect(throws: GeoError.anyRequiresCount) {
            try set.search(longitude: Self.centre.lon, latitude: Self.centre.lat, shape: .radius(10, .kilometers),
                           options: GeoSearchOptions(order: .ascending, any: true))
        }
        #expect(throws: GeoError.nonPositiveCount) {
            try set.search(longitude: 0, latitude: 0, shape: .radius(1), options: GeoSearchOptions(count: 0))
        }
        #expect(throws: GeoError.negativeRadius) { try set.search(longitude: 0, latitude: 0, shape: .radius(-1)) }
        #expect(throws: GeoError.negativeBoxSize) {
            try set.search(longitude: 0, latitude: 0, shape: .box(width: 1, height: -1))
        }
        var out: [GeoSearchResult<String>] = []
        #expect(throws: GeoError.memberNotFound) { try set.search(fromMember: "nope", shape: .radius(1), into: &out) }
        // GEO BYLONLAT with empty search.
        #expect(try set.search(longitude: 1, latitude: 1, shape: .radius(1, .kilometers)).isEmpty)
    }

    @Test func radiusAndBoxSorted() throws {
        let set = try Self.nyc()
        let (lon, lat) = Self.centre
        let asc = GeoSearchOptions(order: .ascending)
        let r = try set.search(longitude: lon, latitude: lat, shape: .radius(3, .kilometers), options: asc)
        #expect(r.map(\.member) == ["central park n/q/r", "4545", "union square"])
        #expect(r.map { geoFormat4($0.distance) } == ["0.7750", "2.3651", "2.7697"])
        let b = try set.search(longitude: lon, latitude: lat, shape: .box(width: 6, height: 6, .kilometers), options: asc)
        #expect(b.map(\.member) == ["central park n/q/r", "4545", "union square", "lic market"])
        #expect(b.map { geoFormat4($0.distance) } == ["0.7750", "2.3651", "2.7697", "3.1991"])
    }

    @Test func countAnyDesc() throws {
        let set = try Self.nyc()
        let (lon, lat) = Self.centre
        let ten = GeoShape.radius(10, .kilometers)
        #expect(try set.members(longitude: lon, latitude: lat, shape: ten, options: GeoSearchOptions(count: 3))
                == ["central park n/q/r", "4545", "union square"])
        #expect(try set.members(longitude: lon, latitude: lat, shape: ten, options: GeoSearchOptions(count: 3, any: true))
                == ["wtc one", "union square", "central park n/q/r"])
        #expect(try set.members(longitude: lon, latitude: lat, shape: ten,
                                options: GeoSearchOptions(order: .ascending, count: 3, any: true))
                == ["central park n/q/r", "union square", "wtc one"])
        #expect(try set.members(longitude: lon, latitude: lat, shape: ten,
                                options: GeoSearchOptions(order: .descending, count: 2))
                == ["wtc one", "q4"])
    }

    @Test func hugeRadiusIssue2767() throws {
        var users = GeoSet<String>()
        try users.add("user_000000", longitude: -47.271613776683807, latitude: -54.534504198047678)
        #expect(try users.search(longitude: 0, latitude: 0, shape: .radius(50000, .kilometers)).count == 1)
    }

    @Test func byMemberScanOrderAndDistances() throws {
        let set = try Self.nyc()
        let r = try set.search(fromMember: "wtc one", shape: .radius(7, .kilometers))
        #expect(r.map(\.member) == ["wtc one", "union square", "central park n/q/r", "4545", "lic market"])
        #expect(r.map { geoFormat4($0.distance) } == ["0.0000", "3.2544", "6.7000", "6.1975", "6.8969"])
        #expect(try set.search(fromMember: "wtc one", shape: .box(width: 14, height: 14, .kilometers)).map(\.member)
                == ["wtc one", "union square", "central park n/q/r", "4545", "lic market", "q4"])
    }

    @Test func obliqueDirectionAndCrossingPole() throws {
        func byMember(_ points: [(String, Double, Double)], _ from: String, _ meters: Double) throws -> [String] {
            var k = GeoSet<String>()
            for (n, lon, lat) in points { try k.add(n, longitude: lon, latitude: lat) }
            return try k.search(fromMember: from, shape: .radius(meters)).map(\.member)
        }
        #expect(try byMember([("n1", -0.15307903289794921875, 85), ("n2", 0.3515625, 85.00019260486917005437)],
                             "n1", 4891.94) == ["n1", "n2"])
        #expect(try byMember([("n3", -4.95211958885192871094, 85), ("n4", 11.25, 85.0511)], "n3", 156544)
                == ["n3", "n4"])
        #expect(try byMember([("n5", -45, 65.50900022111811438208), ("n6", 90, 85.0511)], "n5", 5009431)
                == ["n5", "n6"])
        #expect(try byMember([("n1", 45, 65), ("n2", -135, 85.05)], "n1", 5009431) == ["n1", "n2"])
    }

    @Test func sicily() throws {
        var s = GeoSet<String>()
        try s.add("Palermo", longitude: 13.361389, latitude: 38.115556)
        try s.add("Catania", longitude: 15.087269, latitude: 37.502669)
        try s.add("edge1", longitude: 12.758489, latitude: 38.788135)
        try s.add("eage2", longitude: 17.241510, latitude: 38.788135)
        let asc = GeoSearchOptions(order: .ascending)
        #expect(try s.members(longitude: 15, latitude: 37, shape: .radius(200, .kilometers), options: asc)
                == ["Catania", "Palermo"])
        #expect(try s.members(longitude: 15, latitude: 37, shape: .box(width: 400, height: 400, .kilometers), options: asc)
                == ["Catania", "Palermo", "eage2", "edge1"])

        var n = GeoSet<String>()
        try n.add("test1", longitude: 12.75, latitude: 36.995)
        try n.add("test2", longitude: 12.75, latitude: 36.50)
        try n.add("test3", longitude: 13.00, latitude: 36.50)
        #expect(try n.members(longitude: 15, latitude: 37, shape: .box(width: 400, height: 2, .kilometers)) == ["test1"])
        try n.add("test3", longitude: -1, latitude: 37.00)
        #expect(try n.members(longitude: 15, latitude: 37, shape: .box(width: 3000, height: 2, .kilometers), options: asc)
                == ["test1", "test3"])

        var c = GeoSet<String>()
        let corner: [(String, Double, Double)] = [
            ("edge1", 12.758489, 38.788135), ("edge2", 17.241510, 38.788135), ("edge3", 17.250000, 35.202000),
            ("edge4", 12.750000, 35.202000), ("edge5", 12.748489955781654, 37), ("edge6", 15, 38.798135872540925),
            ("edge7", 17.251510044218346, 37), ("edge8", 15, 35.201864127459075),
            ("corner1", 12.692799634687903, 38.798135872540925), ("corner2", 12.692799634687903, 38.798135872540925),
            ("corner3", 17.200560937451133, 35.201864127459075), ("corner4", 12.799439062548865, 35.201864127459075),
        ]
        for (m, lon, lat) in corner { try c.add(m, longitude: lon, latitude: lat) }
        #expect(try c.members(longitude: 15, latitude: 37, shape: .box(width: 400, height: 400, .kilometers), options: asc)
                .sorted() == ["edge1", "edge2", "edge5", "edge7"])
    }

    @Test func geohashGeoposGeodist() throws {
        var p = GeoSet<String>()
        try p.add("test", longitude: -5.6, latitude: 42.6)
        #expect(p.geohash(of: "test") == "ezs42e44yx0")
        #expect(p.geohash(of: "missing") == nil)

        var q = GeoSet<String>()
        try q.add("a", longitude: 10, latitude: 20)
        try q.add("b", longitude: 30, latitude: 40)
        let a = try #require(q.position(of: "a"))
        let b = try #require(q.position(of: "b"))
        #expect(abs(a.longitude - 10) < 0.001 && abs(a.latitude - 20) < 0.001)
        #expect(abs(b.longitude - 30) < 0.001 && abs(b.latitude - 40) < 0.001)
        #expect(q.position(of: "x") == nil)

        var s = GeoSet<String>()
        try s.add("Palermo", longitude: 13.361389, latitude: 38.115556)
        try s.add("Catania", longitude: 15.087269, latitude: 37.502669)
        let m = try #require(s.distance(from: "Palermo", to: "Catania"))
        #expect(m > 166274 && m < 166275)
        #expect(geoFormat4(m) == "166274.1516")
        let km = try #require(s.distance(from: "Palermo", to: "Catania", unit: .kilometers))
        #expect(km > 166.2 && km < 166.3)
        #expect(s.distance(from: "Palermo", to: "Palermo").map(geoFormat4) == "0.0000")
        #expect(s.distance(from: "Palermo", to: "Agrigento") == nil)
        #expect(s.distance(from: "Ragusa", to: "Agrigento") == nil)
    }

    @Test func boxSpansAntimeridian() throws {
        var s = GeoSet<String>()
        try s.add("point1", longitude: 179.5, latitude: 36)
        try s.add("point2", longitude: -179.5, latitude: 36)
        let asc = GeoSearchOptions(order: .ascending)
        let box = GeoShape.box(width: 400, height: 400, .kilometers)
        #expect(try s.members(longitude: 179, latitude: 37, shape: box, options: asc) == ["point1", "point2"])
        #expect(try s.members(longitude: -179, latitude: 37, shape: box, options: asc) == ["point2", "point1"])
    }

    @Test func smallDistance() throws {
        var s = GeoSet<String>()
        try s.add("1", longitude: -122.407107, latitude: 37.794300)
        try s.add("2", longitude: -122.227336, latitude: 37.794300)
        let r = try s.search(longitude: -122.407107, latitude: 37.794300, shape: .radius(30, .miles),
                             options: GeoSearchOptions(order: .ascending))
        #expect(r.map(\.member) == ["1", "2"])
        #expect(r.map { geoFormat4($0.distance) } == ["0.0001", "9.8182"])
    }

    /// "GEOSEARCH box edges fuzzy test": 8 points on the edges of a random box are all found when the box
    /// grows by 4 m, only N/S or E/W when one side shrinks, none when both shrink.
    @Test func boxEdgesFuzz() throws {
        var rng = GeoSplitMix(seed: 77)
        for _ in 0..<60 {
            let lon = rng.uniform(-180, 180), lat = rng.uniform(-70, 70)
            let w = Double(rng.int(10000) + 10), h = Double(rng.int(10000) + 10)
            let d2r = atan(1.0) * 8 / 360
            let latDelta = h / 2 / 6372797.560856 / d2r
            let top = w / 2 / 6372797.560856 / cos((lat + latDelta) * d2r) / d2r
            let mid = w / 2 / 6372797.560856 / cos(lat * d2r) / d2r
            let bottom = w / 2 / 6372797.560856 / cos((lat - latDelta) * d2r) / d2r
            let pts: [(String, Double, Double)] = [
                ("north", lon, lat + latDelta), ("south", lon, lat - latDelta),
                ("east", lon + mid, lat), ("west", lon - mid, lat),
                ("north_east", lon + top, lat + latDelta), ("north_west", lon - top, lat + latDelta),
                ("south_east", lon + bottom, lat - latDelta), ("south_west", lon - bottom, lat - latDelta),
            ]
            var s = GeoSet<String>()
            for (n, x, y) in pts {
                let xx = x > 180 ? x - 360 : (x < -180 ? x + 360 : x)
                try s.add("place:" + n, longitude: xx, latitude: y)
            }
            func found(_ ww: Double, _ hh: Double) throws -> [String] {
                try s.members(longitude: lon, latitude: lat, shape: .box(width: ww, height: hh)).sorted()
            }
            #expect(try found(w + 4, h + 4) == pts.map { "place:" + $0.0 }.sorted())
            #expect(try found(w - 4, h + 4) == ["place:north", "place:south"])
            #expect(try found(w + 4, h - 4) == ["place:east", "place:west"])
            #expect(try found(w - 4, h - 4) == [])
        }
    }

    /// "GEOSEARCH fuzzy test" against a brute force over the GEOADD coordinates: only points within 0.1%
    /// of the radius or of the box edges may differ (they move by up to 0.6 m to their cell centre),
    /// starting from the suite's regression vectors (search km, lon, lat).
    @Test(arguments: [GeoShape.Kind.circle, .box])
    func fuzzAgainstBruteForce(kind: GeoShape.Kind) throws {
        let vectors: [(Double, Double, Double)] = [
            (7083, 81.634948934258375, 30.561509253718668), (5416, -70.863281847379767, -46.347003465679947),
            (6064, -89.818768962202014, -40.463868561416803), (156, 149.29737817929004, 15.95807862745508),
            (143, 59.235461856813856, 66.269555127373678), (187, -101.88575239939883, 49.061997951502917),
            (154, -90.187939661642517, 66.615930412251487), (145, 163.03472387745728, 64.012747720821181),
            (143, 137.86663517256579, 63.986745399416776), (151, 59.149620271823181, 65.204186651485145),
            (149, 84.062063109158544, -65.685403922426232), (16751, -1.8175081637769495, 20.665668878082954),
        ]
        var rng = GeoSplitMix(seed: kind == .circle ? 1 : 2)
        let d2r = atan(1.0) * 8 / 360
        func tclDistance(_ lon1: Double, _ lat1: Double, _ lon2: Double, _ lat2: Double) -> Double {
            let v = sin((lon2 * d2r - lon1 * d2r) / 2), u = sin((lat2 * d2r - lat1 * d2r) / 2)
            return 2.0 * 6372797.560856 * asin((u * u + cos(lat1 * d2r) * cos(lat2 * d2r) * v * v).squareRoot())
        }
        var checked = 0
        for attempt in 0..<(vectors.count + 8) {
            let (km, slon, slat): (Double, Double, Double) = attempt < vectors.count ? vectors[attempt]
                : (Double(rng.int(200) + 10), rng.uniform(-180, 180), rng.uniform(-70, 70))
            var set = GeoSet<Int>()
            var pts: [(Double, Double)] = []
            for j in 0..<20_000 {
                let lon = rng.uniform(-180, 180), lat = rng.uniform(-70, 70)
                pts.append((lon, lat))
                try set.add(j, longitude: lon, latitude: lat)
            }
            let shape: GeoShape = kind == .circle ? .radius(km, .kilometers) : .box(width: km, height: km, .kilometers)
            let got = Set(try set.members(longitude: slon, latitude: slat, shape: shape))
            func inBox(_ lon: Double, _ lat: Double, _ error: Double) -> Bool {
                tclDistance(lon, lat, slon, lat) <= km * 1000 * error / 2
                    && tclDistance(lon, lat, lon, slat) <= km * 1000 * error / 2
            }
            var expected = Set<Int>()
            for (j, p) in pts.enumerated() {
                let inside = kind == .circle ? tclDistance(p.0, p.1, slon, slat) < km * 1000 : inBox(p.0, p.1, 1)
                if inside { expected.insert(j) }
            }
            for j in got.symmetricDifference(expected) {
                let pos = set.position(of: j)!
                let myDist = tclDistance(pos.longitude, pos.latitude, slon, slat) / 1000
                // Stricter than the Tcl test (whose `$mydist < $radius_km*1000` compares km with m and
                // lets almost anything through): only points within 0.1% of the edge may differ.
                let allowed = kind == .circle ? abs(myDist / km - 1) < 0.001
                    : inBox(pos.longitude, pos.latitude, 1.001) && !inBox(pos.longitude, pos.latitude, 0.999)
                #expect(allowed, "member \(j) differs beyond rounding: search \(slon),\(slat) \(km) km")
            }
            checked += expected.count
        }
        #expect(checked > 1000)
    }
}
