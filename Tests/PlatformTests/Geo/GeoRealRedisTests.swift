import CapsimTestSupport
import Foundation
import Testing
@testable import Platform

/// `GeoSet<String>` against a private `redis-server` (Debian `redis-server`, 7.0.15 on bookworm):
/// the same GEOADDs (12,000 points around cities and at the edge cases: near the ±85.05112878 latitude
/// limit, across the antimeridian and the equator, beyond ±66° and ±80°, exact limit values, duplicate
/// positions), then 2,000 moves, then at least 1,000 random searches per option set and 1,000 each of
/// GEODIST / GEOPOS / GEOHASH, plus ZSCORE of every member.
///
/// What must match: scores exactly; members exactly; `WITHDIST` and `GEODIST` text exactly (`%.4f`);
/// `WITHCOORD` / `GEOPOS` values exactly (parsed, since 7.0 and 7.2 print them differently); `GEOHASH`
/// text exactly. Order: exactly for unsorted replies (scan order is deterministic in Redis); for ASC/DESC
/// the distance sequence exactly and the members within a run of equal distances as a set (Redis sorts
/// with an unstable `qsort`/`pqsort`), and at a COUNT cut-off inside such a run only membership in the
/// tied group.
@Suite("Geo: GeoSet vs a real redis-server",
       .enabled(if: RealSystems.canRun("redis-server"), "redis-server not installed (apt-get install redis-server)"))
struct GeoRealRedisTests {
    struct Site {
        var lon: Double, lat: Double, spreadKm: Double
    }

    static let sites: [Site] = [
        Site(lon: -74.006, lat: 40.7128, spreadKm: 25),      // New York
        Site(lon: -122.4194, lat: 37.7749, spreadKm: 20),    // San Francisco
        Site(lon: -0.1278, lat: 51.5074, spreadKm: 25),      // London (crosses lon 0)
        Site(lon: 151.2093, lat: -33.8688, spreadKm: 25),    // Sydney
        Site(lon: 30.0, lat: 0.0, spreadKm: 20),             // equator
        Site(lon: 0.0, lat: 0.0, spreadKm: 15),              // equator x prime meridian
        Site(lon: 180.0, lat: -17.0, spreadKm: 30),          // antimeridian (Fiji)
        Site(lon: 180.0, lat: 65.5, spreadKm: 30),           // antimeridian, beyond 66° in part
        Site(lon: 18.95, lat: 69.65, spreadKm: 20),          // Tromsø: |lat| > 66
        Site(lon: 10.0, lat: 82.0, spreadKm: 20),            // |lat| > 80
        Site(lon: 20.0, lat: 84.98, spreadKm: 15),           // near the north limit
        Site(lon: -60.0, lat: -84.98, spreadKm: 15),         // near the south limit
    ]
    static let edgePoints: [(Double, Double)] = [
        (180, 0), (-180, 0), (0, 85.05112878), (0, -85.05112878), (180, 85.05112878),
        (-180, -85.05112878), (179.9999999, 85.05112877), (-179.9999999, -85.05112877), (0, 0),
    ]

    static func point(near site: Site, _ rng: inout GeoSplitMix, scale: Double = 1) -> (Double, Double) {
        let dy = rng.uniform(-site.spreadKm, site.spreadKm) * scale
        let dx = rng.uniform(-site.spreadKm, site.spreadKm) * scale
        var lat = site.lat + dy / 111.2
        var lon = site.lon + dx / (111.2 * max(cos(site.lat * .pi / 180), 0.05))
        if lon > 180 { lon -= 360 }
        if lon < -180 { lon += 360 }
        lat = min(max(lat, RedisGeohash.latitudeMin), RedisGeohash.latitudeMax)
        return (lon, lat)
    }

    static func num(_ d: Double) -> String { "\(d)" }   // shortest round-trip text; strtod reads it back exactly

    struct Tally {
        var queries = 0
        var items = 0
        var mismatches = 0
    }

    @Test func matchesRealRedis() throws {
        let exe = try #require(Subprocess.which("redis-server"), "redis-server not found (apt-get install redis-server)")
        let started = Date()
        let dir = try TemporaryDirectory(prefix: "capsim-redis")
        defer { dir.remove() }
        let redis = try GeoRedisServer(executable: exe, directory: dir.path)
        defer { redis.stop() }
        let info = try redis.command(["INFO", "server"]).string ?? ""
        let version = info.components(separatedBy: "\r\n").first { $0.hasPrefix("redis_version:") }?
            .dropFirst("redis_version:".count).split(separator: ".").compactMap { Int($0) } ?? []
        print("geo vs redis: redis_version \(version.map(String.init).joined(separator: "."))")
        // GEOPOS / WITHCOORD text: 7.0 prints `%.17Lf` with trailing zeros removed
        // (addReplyHumanLongDouble), 7.2+ a round-trip double (addReplyDouble). Compare the 7.0 text
        // exactly; newer text by its exact double value.
        let humanCoordinates = version.count >= 2 && (version[0], version[1]) < (7, 2)
        func sameCoordinate(_ text: String?, _ value: Double) -> Bool {
            guard let text else { return false }
            return humanCoordinates ? text == geoHumanLongDouble(value) : Double(text) == value
        }

        let key = "drivers"
        var set = GeoSet<String>()
        var rng = GeoSplitMix(seed: 20_240_601)
        var members: [String] = []
        var tallies: [String: Tally] = [:]
        var order: [String] = []
        var failures: [String] = []
        func record(_ name: String, items: Int, ok: Bool, _ detail: @autoclosure () -> String) {
            if tallies[name] == nil { order.append(name); tallies[name] = Tally() }
            tallies[name]!.queries += 1
            tallies[name]!.items += items
            if !ok {
                tallies[name]!.mismatches += 1
                if failures.count < 25 { failures.append("\(name): \(detail())") }
            }
        }

        // ---- load
        var adds: [(String, Double, Double)] = []
        for (i, p) in Self.edgePoints.enumerated() { adds.append(("edge\(i)", p.0, p.1)) }
        for i in 0..<12_000 {
            if i % 40 == 39, let previous = adds.last {   // duplicate positions: equal scores, ordered by member
                adds.append(("m\(i)", previous.1, previous.2))
                continue
            }
            let site = Self.sites[i % Self.sites.count]
            let p = Self.point(near: site, &rng)
            adds.append(("m\(i)", p.0, p.1))
        }
        func geoadd(_ batch: ArraySlice<(String, Double, Double)>) -> [String] {
            [ "GEOADD", key ] + batch.flatMap { [Self.num($0.1), Self.num($0.2), $0.0] }
        }
        var commands: [[String]] = []
        var expectedAdded: [Int] = []
        var start = 0
        while start < adds.count {
            let batch = adds[start..<min(start + 100, adds.count)]
            commands.append(geoadd(batch))
            var added = 0
            for (m, lon, lat) in batch where try set.add(m, longitude: lon, latitude: lat) { added += 1 }
            expectedAdded.append(added)
            start += 100
        }
        members = adds.map(\.0)
        // ---- moves: 2,000 members jump to a new place (GEOADD replaces the position)
        var moves: [(String, Double, Double)] = []
        for _ in 0..<2_000 {
            let m = members[rng.int(members.count)]
            let p = Self.point(near: Self.sites[rng.int(Self.sites.count)], &rng)
            moves.append((m, p.0, p.1))
        }
        start = 0
        while start < moves.count {
            let batch = moves[start..<min(start + 100, moves.count)]
            commands.append(geoadd(batch))
            var added = 0
            for (m, lon, lat) in batch where try set.add(m, longitude: lon, latitude: lat) { added += 1 }
            expectedAdded.append(added)
            start += 100
        }
        let addReplies = try redis.pipeline(commands)
        for (reply, expected) in zip(addReplies, expectedAdded) {
            record("GEOADD replies", items: 1, ok: reply == .integer(Int64(expected)), "\(reply) vs \(expected)")
        }
        #expect(try redis.command(["ZCARD", key]) == .integer(Int64(set.count)))

        // ---- ZSCORE of every member
        let scores = try redis.pipeline(members.map { ["ZSCORE", key, $0] })
        for (m, reply) in zip(members, scores) {
            let theirs = reply.string.flatMap(Double.init).map { UInt64($0) }
            record("ZSCORE", items: 1, ok: theirs == set.score(of: m), "\(m): \(reply) vs \(String(describing: set.score(of: m)))")
        }

        // ---- searches
        let units = GeoUnit.allCases
        func randomCentre() -> (Double, Double) {
            if rng.int(50) == 0 { return Self.edgePoints[rng.int(Self.edgePoints.count)] }
            return Self.point(near: Self.sites[rng.int(Self.sites.count)], &rng, scale: 1.5)
        }
        func randomMeters() -> Double {
            if rng.int(40) == 0 { return rng.uniform(50_000, 2_500_000) }
            return exp(rng.uniform(log(30), log(30_000)))
        }
        struct Query {
            var name: String
            var centre: (Double, Double)?   // nil: FROMMEMBER
            var fromMember: String?
            var shape: GeoShape
            var options: GeoSearchOptions
            var withDist: Bool
            var withCoord: Bool
        }
        var queries: [Query] = []
        let perOption = 1_000
        let optionSets: [(String, GeoSortOrder, Bool /*count*/, Bool /*any*/, Bool /*dist*/, Bool /*coord*/, Bool /*box*/)] = [
            ("BYRADIUS", .unsorted, false, false, false, false, false),
            ("BYRADIUS WITHDIST WITHCOORD", .unsorted, false, false, true, true, false),
            ("BYRADIUS ASC WITHDIST", .ascending, false, false, true, false, false),
            ("BYRADIUS DESC WITHDIST", .descending, false, false, true, false, false),
            ("BYRADIUS COUNT n WITHDIST", .unsorted, true, false, true, false, false),
            ("BYRADIUS COUNT n DESC", .descending, true, false, false, false, false),
            ("BYRADIUS COUNT n ANY", .unsorted, true, true, false, false, false),
            ("BYRADIUS COUNT n ANY ASC WITHDIST", .ascending, true, true, true, false, false),
            ("BYBOX WITHDIST WITHCOORD", .unsorted, false, false, true, true, true),
            ("BYBOX ASC WITHDIST COUNT n", .ascending, true, false, true, false, true),
        ]
        for (name, order, hasCount, any, dist, coord, box) in optionSets {
            for _ in 0..<perOption {
                let unit = units[rng.int(units.count)]
                let shape: GeoShape = box
                    ? .box(width: randomMeters() / unit.metersPerUnit, height: randomMeters() / unit.metersPerUnit, unit)
                    : .radius(randomMeters() / unit.metersPerUnit, unit)
                let count: Int? = hasCount ? 1 + rng.int(rng.int(4) == 0 ? 400 : 40) : nil
                queries.append(Query(name: name, centre: randomCentre(), fromMember: nil, shape: shape,
                                     options: GeoSearchOptions(order: order, count: count, any: any),
                                     withDist: dist, withCoord: coord))
            }
        }
        for _ in 0..<perOption {
            let unit = units[rng.int(units.count)]
            queries.append(Query(name: "FROMMEMBER BYRADIUS ASC WITHDIST", centre: nil,
                                 fromMember: members[rng.int(members.count)],
                                 shape: .radius(randomMeters() / unit.metersPerUnit, unit),
                                 options: GeoSearchOptions(order: .ascending), withDist: true, withCoord: false))
        }
        func redisCommand(_ q: Query) -> [String] {
            var c = ["GEOSEARCH", key]
            if let m = q.fromMember { c += ["FROMMEMBER", m] } else { c += ["FROMLONLAT", Self.num(q.centre!.0), Self.num(q.centre!.1)] }
            switch q.shape.kind {
            case .circle: c += ["BYRADIUS", Self.num(q.shape.radius), q.shape.unit.redisName]
            case .box: c += ["BYBOX", Self.num(q.shape.width), Self.num(q.shape.height), q.shape.unit.redisName]
            }
            if q.options.order == .ascending { c.append("ASC") }
            if q.options.order == .descending { c.append("DESC") }
            if let n = q.options.count { c += ["COUNT", String(n)] }
            if q.options.any { c.append("ANY") }
            if q.withDist { c.append("WITHDIST") }
            if q.withCoord { c.append("WITHCOORD") }
            return c
        }
        let replies = try redis.pipeline(queries.map(redisCommand), batch: 200)
        var mine: [GeoSearchResult<String>] = []
        var full: [GeoSearchResult<String>] = []
        // How often the order rules that are hard to get right were actually exercised.
        var tiedRuns = 0, boundaryTies = 0, anyStopped = 0, equalScoresInScan = 0
        for (q, reply) in zip(queries, replies) {
            let cmd = redisCommand(q).joined(separator: " ")
            func run(_ options: GeoSearchOptions, _ out: inout [GeoSearchResult<String>]) throws {
                if let m = q.fromMember { try set.search(fromMember: m, shape: q.shape, options: options, into: &out) }
                else { try set.search(longitude: q.centre!.0, latitude: q.centre!.1, shape: q.shape, options: options, into: &out) }
            }
            try run(q.options, &mine)
            guard let items = reply.array else {
                record(q.name, items: 0, ok: false, "\(cmd): reply \(reply)")
                continue
            }
            // Parse [member] or [member, dist?, [lon, lat]?].
            var rMembers: [String] = [], rDist: [String] = [], rCoord: [(String?, String?)] = []
            for item in items {
                if let s = item.string { rMembers.append(s); continue }
                let parts = item.array ?? []
                rMembers.append(parts.first?.string ?? "?")
                var k = 1
                if q.withDist { rDist.append(parts[k].string ?? "?"); k += 1 }
                if q.withCoord, let xy = parts[k].array, xy.count == 2 {
                    rCoord.append((xy[0].string, xy[1].string))
                }
            }
            var ok = rMembers.count == mine.count
            var why = "count \(rMembers.count) vs \(mine.count)"
            let sorted = q.options.order != .unsorted || (q.options.count != nil && !q.options.any)
            if q.options.any, let n = q.options.count, mine.count == n { anyStopped += 1 }
            if ok && !sorted {
                ok = rMembers == mine.map(\.member)
                why = "scan order differs"
                if zip(mine, mine.dropFirst()).contains(where: { $0.score == $1.score }) { equalScoresInScan += 1 }
            } else if ok {
                // Exact distances of Redis's members, from their stored cells.
                let centre: GeoCoordinate = q.fromMember.flatMap { set.position(of: $0) }
                    ?? GeoCoordinate(longitude: q.centre!.0, latitude: q.centre!.1)
                var dR: [Double] = []
                for m in rMembers {
                    guard let p = set.position(of: m) else { dR.append(.nan); continue }
                    dR.append(GeoDistance.meters(lon1: centre.longitude, lat1: centre.latitude,
                                                 lon2: p.longitude, lat2: p.latitude) / q.shape.conversion)
                }
                if dR != mine.map(\.distance) { ok = false; why = "distance sequence differs" }
                let truncated: Bool
                if let n = q.options.count, !q.options.any, mine.count == n {
                    try run(GeoSearchOptions(), &full)
                    truncated = full.count > n
                } else { truncated = false }
                var i = 0
                while ok && i < dR.count {
                    var j = i
                    while j < dR.count && dR[j] == dR[i] { j += 1 }
                    let theirs = Set(rMembers[i..<j])
                    if j - i > 1 { tiedRuns += 1 }
                    if truncated && j == dR.count {
                        let tied = Set(full.filter { $0.distance == dR[i] }.map(\.member))
                        if tied.count > j - i { boundaryTies += 1 }
                        if !theirs.isSubset(of: tied) { ok = false; why = "boundary tie members not in tie group" }
                    } else if theirs != Set(mine[i..<j].map(\.member)) {
                        ok = false; why = "members at distance \(dR[i]) differ"
                    }
                    i = j
                }
            }
            if ok && q.withDist {
                ok = rDist == mine.map { geoFormat4($0.distance) }
                why = "WITHDIST text differs"
            }
            if ok && q.withCoord {
                ok = rCoord.count == mine.count
                    && zip(rCoord, mine).allSatisfy { sameCoordinate($0.0, $1.longitude) && sameCoordinate($0.1, $1.latitude) }
                why = "WITHCOORD differs"
            }
            record(q.name, items: mine.count, ok: ok, "\(cmd): \(why); redis \(rMembers.prefix(8)) mine \(mine.prefix(8).map(\.member))")
        }

        print("geo vs redis: exercised: \(tiedRuns) runs of equal distances in sorted replies, \(boundaryTies) COUNT "
              + "cut-offs inside a tie, \(anyStopped) ANY scans stopped at COUNT, \(equalScoresInScan) unsorted replies "
              + "with equal scores side by side")
        #expect(tiedRuns > 0 && anyStopped > 0 && equalScoresInScan > 0)

        // ---- GEODIST, GEOPOS, GEOHASH of random members (and a few missing ones)
        var distPairs: [(String, String, GeoUnit)] = []
        var posLists: [[String]] = []
        var hashLists: [[String]] = []
        func randomMember() -> String { rng.int(50) == 0 ? "missing\(rng.int(9))" : members[rng.int(members.count)] }
        for _ in 0..<1_000 {
            distPairs.append((randomMember(), randomMember(), units[rng.int(units.count)]))
            posLists.append((0..<3).map { _ in randomMember() })
            hashLists.append((0..<3).map { _ in randomMember() })
        }
        let distReplies = try redis.pipeline(distPairs.map { ["GEODIST", key, $0.0, $0.1, $0.2.redisName] })
        for (p, reply) in zip(distPairs, distReplies) {
            let mineText = set.distance(from: p.0, to: p.1, unit: p.2).map(geoFormat4)
            record("GEODIST", items: 1, ok: reply.string == mineText, "\(p): \(reply) vs \(String(describing: mineText))")
        }
        let posReplies = try redis.pipeline(posLists.map { ["GEOPOS", key] + $0 })
        for (list, reply) in zip(posLists, posReplies) {
            let entries = reply.array ?? []
            for (m, e) in zip(list, entries) {
                let theirs = e.array.map { xy in (xy.first?.string, xy.last?.string) }
                let p = set.position(of: m)
                let ok = (theirs == nil && p == nil) || (theirs != nil && p != nil
                    && sameCoordinate(theirs!.0, p!.longitude) && sameCoordinate(theirs!.1, p!.latitude))
                record("GEOPOS", items: 1, ok: ok && entries.count == list.count, "\(m): \(e) vs \(String(describing: p))")
            }
        }
        let hashReplies = try redis.pipeline(hashLists.map { ["GEOHASH", key] + $0 })
        for (list, reply) in zip(hashLists, hashReplies) {
            let entries = reply.array ?? []
            for (m, e) in zip(list, entries) {
                record("GEOHASH", items: 1, ok: e.string == set.geohash(of: m) && entries.count == list.count,
                       "\(m): \(e) vs \(String(describing: set.geohash(of: m)))")
            }
        }

        // ---- report
        var totalMismatches = 0
        for name in order {
            let t = tallies[name]!
            totalMismatches += t.mismatches
            print("geo vs redis: \(name): \(t.queries) compared, \(t.items) items, \(t.mismatches) mismatches")
        }
        print("geo vs redis: \(set.count) members, total mismatches \(totalMismatches), "
              + String(format: "%.1f s", Date().timeIntervalSince(started)))
        for f in failures { Issue.record(Comment(rawValue: f)) }
        #expect(totalMismatches == 0)
        for (name, _, _, _, _, _, _) in optionSets { #expect((tallies[name]?.queries ?? 0) >= perOption) }
    }
}
