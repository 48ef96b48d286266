import CapsimTestSupport
import Foundation
import Testing
import Platform

/// `GeoSet<GeoMember>` against a private `redis-server`: member names that are canonically
/// equivalent Unicode but different bytes ("caf\u{e9}" and "cafe\u{301}", three spellings of "Å")
/// are separate members in Redis (`sds` byte strings), and members with equal scores come back in
/// `sdscmp` byte order (ZRANGE, and GEOSEARCH's scan order within a cell). The expected values are
/// Redis' own replies.
@Suite("Geo: GeoMember vs a real redis-server",
       .enabled(if: RealSystems.canRun("redis-server"), "redis-server not installed (apt-get install redis-server)"))
struct GeoMemberRedisTests {
    /// Names whose String and byte comparisons disagree: canonically equivalent pairs and triples,
    /// and pairs whose order flips ("e\u{301}" < "f" as bytes, > "f" as Unicode after NFC).
    static let names = ["caf\u{e9}", "cafe\u{301}", "e\u{301}", "\u{e9}", "f", "\u{c5}", "A\u{30a}", "\u{212b}",
                        "\u{e4}ngstr\u{f6}m", "a\u{308}ngstro\u{308}m", "Zed", "apple", "a", "ab", "\u{1f355}pizza", "z"]

    @Test func byteMembersMatchRedis() throws {
        let exe = try #require(Subprocess.which("redis-server"), "redis-server not found (apt-get install redis-server)")
        let dir = try TemporaryDirectory(prefix: "capsim-redis-bytes")
        defer { dir.remove() }
        let redis = try GeoRedisServer(executable: exe, directory: dir.path)
        defer { redis.stop() }

        // Two places: every name at each (equal scores within a place), second place 300 m east.
        let places: [(Double, Double)] = [(-74.006, 40.7128), (-74.0025, 40.7128)]
        var set = GeoSet<GeoMember>()
        var commands: [[String]] = []
        var expectedNew: [Int] = []
        for (p, (lon, lat)) in places.enumerated() {
            let group = Self.names.map { "\($0)#\(p)" }
            commands.append(["GEOADD", "k"] + group.flatMap { ["\(lon)", "\(lat)", $0] })
            var added = 0
            for name in group where try set.add(GeoMember(name), longitude: lon, latitude: lat) { added += 1 }
            expectedNew.append(added)
        }
        let addReplies = try redis.pipeline(commands)
        #expect(addReplies == expectedNew.map { .integer(Int64($0)) })
        #expect(expectedNew == [Self.names.count, Self.names.count])     // every spelling is its own member

        // ZRANGE: (score, member bytes) order.
        let zrange = try #require(try redis.command(["ZRANGE", "k", "0", "-1", "WITHSCORES"]).array)
        let theirs = stride(from: 0, to: zrange.count, by: 2).map { i -> ([UInt8], UInt64?) in
            (Array((zrange[i].string ?? "").utf8), zrange[i + 1].string.flatMap { UInt64($0) })
        }
        let mine = set.sortedSet.entries.map { ($0.member.bytes, Optional($0.score)) }
        #expect(theirs.map(\.0) == mine.map(\.0))
        #expect(theirs.map(\.1) == mine.map(\.1))
        #expect(set.count == zrange.count / 2)

        // GEOSEARCH without ASC/DESC: scan order, within a cell by (score, member bytes).
        for (lon, lat) in places {
            let reply = try #require(try redis.command(["GEOSEARCH", "k", "FROMLONLAT", "\(lon)", "\(lat)", "BYRADIUS", "1", "km"]).array)
            let found = try set.search(longitude: lon, latitude: lat, shape: .radius(1, .kilometers))
            #expect(reply.map { Array(($0.string ?? "").utf8) } == found.map(\.member.bytes))
            #expect(found.count == 2 * Self.names.count)
        }
        // FROMMEMBER by the decomposed spelling finds the member Redis knows by those bytes.
        let decomposed = "cafe\u{301}#1"
        let reply = try #require(try redis.command(["GEOSEARCH", "k", "FROMMEMBER", decomposed, "BYRADIUS", "10", "m"]).array)
        let found = try set.search(fromMember: GeoMember(decomposed), shape: .radius(10, .meters))
        #expect(reply.map { Array(($0.string ?? "").utf8) } == found.map(\.member.bytes))

        // What GeoMember fixes: a String-keyed set merges the equivalent spellings Redis keeps apart.
        var strings = GeoSet<String>()
        for name in Self.names { try strings.add(name, longitude: places[0].0, latitude: places[0].1) }
        #expect(strings.count < Self.names.count)
    }

    @Test func sdscmpOrder() {
        // memcmp over the common prefix (unsigned), then the shorter first.
        #expect(GeoMember("a") < GeoMember("ab"))
        #expect(GeoMember("cafe\u{301}") < GeoMember("caf\u{e9}"))       // 0x65 < 0xc3
        #expect(GeoMember(bytes: [0x7f]) < GeoMember(bytes: [0x80]))     // unsigned bytes
        #expect(GeoMember("caf\u{e9}") != GeoMember("cafe\u{301}"))
        #expect(!(GeoMember("x") < GeoMember("x")))
    }
}
