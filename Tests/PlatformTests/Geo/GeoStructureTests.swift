import Foundation
import Testing
@testable import Platform

/// The storage and sorting building blocks against brute-force models.
@Suite("Geo: sorted set and sorting vs brute force")
struct GeoStructureTests {
    /// Random inserts, moves and removals (with many equal scores) against a sorted array model;
    /// range scans against a filter of the model.
    @Test func scoreSortedSetMatchesModel() {
        var rng = GeoSplitMix(seed: 9)
        var set = ScoreSortedSet<Int>()
        var model: [Int: UInt64] = [:]
        for step in 0..<60_000 {
            let member = rng.int(5_000)
            let op = rng.int(10)
            if op < 7 {
                let score = rng.int(4) == 0 ? UInt64(rng.int(50)) : rng.next() >> 12
                #expect(set.set(member, score: score) == (model[member] == nil))
                model[member] = score
            } else {
                #expect(set.remove(member) == (model.removeValue(forKey: member) != nil))
            }
            if step % 5_000 == 0 || step == 59_999 {
                #expect(set.checkInvariants())
                let sorted = model.map { ($0.value, $0.key) }.sorted { $0 < $1 }
                #expect(set.entries.map { $0.score } == sorted.map { $0.0 })
                #expect(set.entries.map { $0.member } == sorted.map { $0.1 })
                for _ in 0..<50 {
                    let a = rng.next() >> 12, b = a &+ (rng.next() >> (14 + UInt64(rng.int(30))))
                    let lo = rng.int(3) == 0 ? UInt64(rng.int(50)) : a
                    let hi = rng.int(3) == 0 ? UInt64(rng.int(60)) : b
                    var scanned: [Int] = []
                    set.forEach(scoreFrom: lo, below: hi) { _, m in scanned.append(m); return true }
                    #expect(scanned == sorted.filter { $0.0 >= lo && $0.0 < hi }.map { $0.1 })
                }
            }
        }
        // Drain: buckets merge and disappear.
        for m in model.keys.sorted() { set.remove(m) }
        #expect(set.isEmpty && set.checkInvariants())
    }

    @Test func sortAndPartialSortMatchStdlib() {
        var rng = GeoSplitMix(seed: 5)
        for _ in 0..<400 {
            let n = rng.int(300)
            let values = (0..<n).map { _ in rng.int(4) == 0 ? rng.int(5) : rng.int(1_000_000) }
            let expected = values.sorted()
            var a = values
            a.withUnsafeMutableBufferPointer { GeoSort.sort($0, by: <) }
            #expect(a == expected)
            let k = rng.int(n + 2)
            var b = values
            b.withUnsafeMutableBufferPointer { GeoSort.partialSort($0, first: k, by: <) }
            #expect(Array(b.prefix(k)) == Array(expected.prefix(k)))
            #expect(b.sorted() == expected)
        }
        // Adversarial: already sorted, reversed, all equal.
        for pattern in 0..<3 {
            let n = 5_000
            let values = (0..<n).map { pattern == 0 ? $0 : (pattern == 1 ? n - $0 : 7) }
            var a = values
            a.withUnsafeMutableBufferPointer { GeoSort.sort($0, by: <) }
            #expect(a == values.sorted())
        }
    }

    @Test func neighboursWrapAndDecodeClamps() {
        // Step 1: one bit per axis; moving wraps.
        let h = RedisGeohash.encode(longitude: 10, latitude: 10, step: 1)
        #expect(h.bits == 0b11)
        #expect(h.movedX(1).bits == 0b01 && h.movedX(-1).bits == 0b01)
        #expect(h.movedY(1).bits == 0b10 && h.movedY(-1).bits == 0b10)
        // Exactly at the limits the cell index spills to 2^26 (Redis does not clamp) and the centre
        // decodes clamped to the limits.
        let s = RedisGeohash.score(longitude: 180, latitude: RedisGeohash.latitudeMax)
        #expect(s >= 1 << 52)
        let p = RedisGeohash.decode(score: s)
        #expect(p.longitude == 180 && p.latitude == RedisGeohash.latitudeMax)
        // Steps for latitude 40 worked out from redis `src/geohash_helper.c`
        // `geohashEstimateStepsByRadius` (double the radius until it reaches MERCATOR_MAX, then
        // step - 2); computed here from that C code, not read from a Redis server.
        let steps = [(500.0, 15), (1000, 14), (2000, 13), (3000, 12), (5000, 11), (10000, 10), (20000, 9)]
        for (r, s) in steps { #expect(GeoSearchArea.estimateStep(radiusMeters: r, latitude: 40) == UInt8(s)) }
    }

    /// The search loop's hoisted distance is bit-identical to `geohashGetDistance`, and its latitude
    /// shortcut never rejects a point the full formula would keep (incl. near-antipodal pairs).
    @Test func originDistanceIsBitIdentical() {
        var rng = GeoSplitMix(seed: 11)
        for i in 0..<200_000 {
            let lon1 = rng.uniform(-180, 180), lat1 = rng.uniform(-85.05, 85.05)
            var lon2 = rng.uniform(-180, 180), lat2 = rng.uniform(-85.05, 85.05)
            if i % 4 == 1 { lon2 = lon1 + rng.uniform(-0.01, 0.01); lat2 = lat1 + rng.uniform(-0.01, 0.01) }
            if i % 4 == 2 { lon2 = lon1 > 0 ? lon1 - 180 : lon1 + 180; lat2 = -lat1 + rng.uniform(-1e-3, 1e-3) }
            if i % 16 == 3 { lon2 = lon1 }
            lat2 = min(max(lat2, -85.05), 85.05)
            let origin = GeoDistance.Origin(longitude: lon1, latitude: lat1)
            let d = GeoDistance.meters(lon1: lon1, lat1: lat1, lon2: lon2, lat2: lat2)
            #expect(origin.meters(toLongitude: lon2, latitude: lat2).bitPattern == d.bitPattern)
            // Any radius the shortcut rejects must also be rejected by the formula.
            for r in [d, d.nextUp, d * (1 + 1e-9), d - 1, 0] where r >= 0 {
                if origin.certainlyBeyond(r, latitude: lat2) { #expect(d > r) }
            }
        }
    }

    /// Moving members keeps the index consistent, and a search sees only current positions.
    @Test func movesReplacePositions() throws {
        var set = GeoSet<Int>()
        var rng = GeoSplitMix(seed: 3)
        var truth: [Int: (Double, Double)] = [:]
        for round in 0..<20 {
            for id in 0..<2_000 where round == 0 || rng.int(4) == 0 {
                let p = (rng.uniform(-0.2, 0.2), rng.uniform(51.3, 51.7))
                try set.add(id, longitude: p.0, latitude: p.1)
                truth[id] = p
            }
            #expect(set.count == 2_000)
            let r = try set.search(longitude: 0, latitude: 51.5, shape: .radius(5, .kilometers))
            let expected = truth.keys.filter { id in
                let c = RedisGeohash.decode(score: RedisGeohash.score(longitude: truth[id]!.0, latitude: truth[id]!.1))
                return GeoDistance.meters(lon1: 0, lat1: 51.5, lon2: c.longitude, lat2: c.latitude) <= 5000
            }
            #expect(Set(r.map(\.member)) == Set(expected))
        }
        #expect(set.sortedSet.checkInvariants())
    }
}
