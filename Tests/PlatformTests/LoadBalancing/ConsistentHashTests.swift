import Testing
import Platform

@Suite struct ConsistentHashTests {
    @Test func crc32Vectors() {
        #expect(NginxCRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)   // the CRC-32 check value
        #expect(NginxCRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        #expect(NginxCRC32.checksum([UInt8]()) == 0)
        #expect(ConsistentHashBalancer.keyHash("session-42") == 0xBB57_8739)
        #expect(ConsistentHashBalancer.keyHash(decimal: Int.min) == 0xAB25_130B)
        #expect(ConsistentHashBalancer.keyHash(decimal: 0) == 0xF4DB_DF21)
        for v in [1, 7, 42, 123_456_789, -17, Int.max] {
            #expect(ConsistentHashBalancer.keyHash(decimal: v) == ConsistentHashBalancer.keyHash(String(v)))
        }
    }

    /// Ketama points as produced by Python's zlib for `crc32(prev_le32, crc32(host + b"\0" + port))`
    /// (an independent CRC implementation; the chaining is ngx_http_upstream_init_chash's).
    @Test func ketamaPointVectors() {
        let cases: [(String, [UInt32], UInt32)] = [
            ("127.0.0.1:8080", [0x6DCA_9547, 0x92C7_ADF9, 0xDDBE_B1B8], 0x24B9_6112),
            ("backend.local", [0xBA43_6B14, 0xD15A_C949, 0x73A1_86F0], 0x2F78_2B16),
            ("unix:/tmp/sock", [0xDE07_2055, 0x34B3_F031, 0xCD08_C58F], 0x372E_993C),
            ("10.0.0.1:80", [0xA2AD_5D56, 0x0BDE_B0AB, 0x75F0_0C5B], 0x0A2A_5F6F),
        ]
        for (server, first, last) in cases {
            let p = KetamaRing.points(server: server, weight: 1)
            #expect(p.count == 160)
            #expect(Array(p.prefix(3)) == first, "\(server)")
            #expect(p[159] == last, "\(server)")
        }
        #expect(KetamaRing.points(server: "a:1", weight: 3).count == 480)
    }

    /// The ring by brute force: every (point, backend) pair, sorted.
    func brutePoints(_ servers: [String]) -> [(UInt32, Int)] {
        var pts: [(UInt32, Int)] = []
        for (i, s) in servers.enumerated() { for h in KetamaRing.points(server: s, weight: 1) { pts.append((h, i)) } }
        pts.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        return pts
    }

    /// The owner of a key by linear search: the first point >= hash, wrapping to the first point.
    func bruteOwner(_ pts: [(UInt32, Int)], _ key: UInt32) -> Int { (pts.first { $0.0 >= key } ?? pts[0]).1 }

    func servers(_ n: Int) -> [String] { (0..<n).map { "10.0.\($0 / 200).\($0 % 200 + 1):8080" } }

    @Test func lookupMatchesBruteForce() {
        let names = servers(7)
        let ch = ConsistentHashBalancer()
        for (i, s) in names.enumerated() { ch.addBackend(i, BackendConfig(server: s)) }
        #expect(ch.ringSize == 7 * 160)
        let pts = brutePoints(names)
        var rng = LBSplitMix64(seed: 3)
        for _ in 0..<2000 {
            let key = UInt32(truncatingIfNeeded: rng.next())
            #expect(ch.choose(keyHash: key, now: 0) == bruteOwner(pts, key))
        }
        for key in pts.map(\.0) + [0, .max] {     // exact point hashes, and the wrap past the last
            #expect(ch.choose(keyHash: key, now: 0) == bruteOwner(pts, key))
        }
    }

    /// Adding an 11th backend to 10: a key either keeps its owner or moves to the newcomer
    /// (exact), and the share moving is near 1/11. Tolerance [0.5, 1.5] x 1/11: the newcomer's
    /// arc is a sum of 160 gaps, relative sd 1/sqrt(160) = 7.9 %, so +-50 % is over 6 sd, while
    /// modulo hashing (which moves ~10/11 of keys) fails by a factor of 10.
    @Test func addingABackendMovesOnlyItsShare() {
        let names = servers(11)
        let ch = ConsistentHashBalancer()
        for i in 0..<10 { ch.addBackend(i, BackendConfig(server: names[i])) }
        let keys = (0..<20_000).map { ConsistentHashBalancer.keyHash("user-\($0)") }
        let before = keys.map { ch.choose(keyHash: $0, now: 0)! }
        ch.addBackend(10, BackendConfig(server: names[10]))
        let after = keys.map { ch.choose(keyHash: $0, now: 0)! }
        var moved = 0
        for k in keys.indices where before[k] != after[k] {
            moved += 1
            #expect(after[k] == 10)
        }
        let expected = Double(keys.count) / 11
        #expect(Double(moved) > 0.5 * expected && Double(moved) < 1.5 * expected, "moved \(moved)")
        // Removing it again restores every key exactly.
        ch.removeBackend(10)
        #expect(keys.map { ch.choose(keyHash: $0, now: 0)! } == before)
    }

    @Test func removingABackendMovesOnlyItsKeys() {
        let names = servers(10)
        let ch = ConsistentHashBalancer()
        for i in 0..<10 { ch.addBackend(i, BackendConfig(server: names[i])) }
        let keys = (0..<20_000).map { ConsistentHashBalancer.keyHash(decimal: $0 * 7919) }
        let before = keys.map { ch.choose(keyHash: $0, now: 0)! }
        ch.removeBackend(4)
        let after = keys.map { ch.choose(keyHash: $0, now: 0)! }
        for k in keys.indices {
            if before[k] == 4 { #expect(after[k] != 4) } else { #expect(after[k] == before[k]) }
        }
        let share = Double(before.filter { $0 == 4 }.count) / Double(keys.count)
        #expect(share > 0.05 && share < 0.15)    // 1/10 +- 50 %, same argument as above
    }

    /// A down backend's keys go to the next point's backend (NGINX walks the ring), others stay.
    @Test func downBackendIsWalkedPast() {
        let names = servers(5)
        let ch = ConsistentHashBalancer()
        for i in 0..<5 { ch.addBackend(i, BackendConfig(server: names[i])) }
        let keys = (0..<5000).map { ConsistentHashBalancer.keyHash("k\($0)") }
        let before = keys.map { ch.choose(keyHash: $0, now: 0)! }
        ch.setDown(2, true)
        for (k, key) in keys.enumerated() {
            let now = ch.choose(keyHash: key, now: 0)!
            if before[k] != 2 { #expect(now == before[k]) } else { #expect(now != 2) }
        }
    }

    /// HAProxy's slots formula, written out independently.
    func haproxySlots(served: Int, factor: Int, weights: [Int], down: Set<Int>, slot: Int) -> Int {
        let tot = weights.indices.filter { !down.contains($0) }.reduce(0) { $0 + weights[$1] }
        let cum = (0..<slot).filter { !down.contains($0) }.reduce(0) { $0 + weights[$1] }
        let totSlots = ((served + 1) * factor + 99) / 100
        let w = weights[slot]
        let s = w * (totSlots / tot) + ((cum + w) * (totSlots % tot)) / tot - (cum * (totSlots % tot)) / tot
        return max(s, 1)
    }

    /// Bounded loads with a hot key: every placement matches a brute-force walk (first point >= key,
    /// then clockwise past full or down backends), and no backend ever exceeds Mirrokni's cap
    /// ceil(c * m / n) with m the connections after placing (equal weights).
    @Test(arguments: [125, 150, 200])
    func boundedLoadNeverExceedsCap(factor: Int) {
        let n = 8
        let names = servers(n)
        let ch = ConsistentHashBalancer(hashBalanceFactor: factor)
        for i in 0..<n { ch.addBackend(i, BackendConfig(server: names[i])) }
        var pts: [(UInt32, Int)] = []
        for (i, s) in names.enumerated() { for h in KetamaRing.points(server: s, weight: 1) { pts.append((h, i)) } }
        pts.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var conns = [Int](repeating: 0, count: n)
        var open: [Int] = []
        var rng = LBSplitMix64(seed: UInt64(factor))
        let hot = ConsistentHashBalancer.keyHash("hot-restaurant")
        var maxRatio = 0.0
        for step in 0..<5000 {
            if rng.below(10) < 6 || open.isEmpty {
                let key = rng.below(2) == 0 ? hot : UInt32(truncatingIfNeeded: rng.next())
                let served = open.count
                var idx = pts.firstIndex { $0.0 >= key } ?? 0
                var expected = -1
                for _ in 0...pts.count {
                    let b = pts[idx % pts.count].1
                    if conns[b] < haproxySlots(served: served, factor: factor, weights: .init(repeating: 1, count: n),
                                               down: [], slot: b) { expected = b; break }
                    idx += 1
                }
                let got = ch.choose(keyHash: key, now: 0)
                #expect(got == expected, "step \(step)")
                guard let b = got else { continue }
                ch.connectionOpened(b)
                conns[b] += 1
                open.append(b)
                let m = open.count
                let cap = (factor * m + 100 * n - 1) / (100 * n)   // ceil(factor/100 * m / n)
                #expect(conns[b] <= cap, "step \(step): \(conns[b]) > \(cap)")
                maxRatio = max(maxRatio, Double(conns.max()!) / (Double(m) / Double(n)))
            } else {
                let b = open.remove(at: rng.below(open.count))
                ch.connectionClosed(b, now: 0)
                conns[b] -= 1
            }
        }
        #expect(maxRatio > 1.0)   // the hot key does push load onto its successors
    }

    /// Weighted capacities: HAProxy hands out exactly tot_slots across backends not down,
    /// proportionally to weight, and skips down backends in the cumulative weights.
    @Test func weightedCapacities() {
        let weights = [1, 2, 3, 2]
        let ch = ConsistentHashBalancer(hashBalanceFactor: 150)
        for (i, w) in weights.enumerated() { ch.addBackend(i, BackendConfig(weight: w, server: "s\(i):80")) }
        var rng = LBSplitMix64(seed: 9)
        for _ in 0..<37 {
            let id = ch.choose(keyHash: UInt32(truncatingIfNeeded: rng.next()), now: 0)!
            ch.connectionOpened(id)
        }
        let totSlots = ((37 + 1) * 150 + 99) / 100
        let caps = (0..<4).map { ch.capacity($0)! }
        #expect(caps.reduce(0, +) == totSlots)
        for i in 0..<4 {
            #expect(caps[i] == haproxySlots(served: 37, factor: 150, weights: weights, down: [], slot: i))
        }
        ch.setDown(1, true)
        #expect(ch.capacity(1) == nil)
        for i in [0, 2, 3] {
            #expect(ch.capacity(i) == haproxySlots(served: 37, factor: 150, weights: weights, down: [1], slot: i))
        }
    }

    /// Unbounded: a key whose first 21 points all belong to unavailable backends goes to NGINX's
    /// round robin over all backends (smooth weighted, membership order); other keys to the first
    /// available backend clockwise. 2 of 40 backends up, so runs of > 20 down points are common.
    @Test func fallsBackToRoundRobinAfterTwentyTries() {
        let names = servers(40)
        let ch = ConsistentHashBalancer()
        for (i, s) in names.enumerated() { ch.addBackend(i, BackendConfig(server: s)) }
        let up: Set<Int> = [11, 29]
        for i in 0..<40 where !up.contains(i) { ch.setDown(i, true) }
        var pts: [(UInt32, Int)] = []
        for (i, s) in names.enumerated() { for h in KetamaRing.points(server: s, weight: 1) { pts.append((h, i)) } }
        pts.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        var fallbacks: [Int] = []
        var walked = 0
        for k in 0..<3000 {
            let key = ConsistentHashBalancer.keyHash("order-\(k)")
            let start = pts.firstIndex { $0.0 >= key } ?? 0
            let hit = (0...20).map { pts[(start + $0) % pts.count].1 }.first { up.contains($0) }
            let got = ch.choose(keyHash: key, now: 0)!
            if let h = hit { #expect(got == h); walked += 1 } else { fallbacks.append(got) }
        }
        #expect(walked > 100 && fallbacks.count > 100)
        let alternating = (0..<fallbacks.count).map { $0 % 2 == 0 ? 11 : 29 }
        #expect(fallbacks == alternating)
    }

    /// Membership changes update the ring in place (merge on add, filter on remove); the result
    /// must equal a ring built from scratch with the final membership, for every key.
    @Test func incrementalRingEqualsFreshBuild() {
        var rng = LBSplitMix64(seed: 5)
        let ch = ConsistentHashBalancer()
        var members: [(Int, Int)] = []
        var next = 0
        for _ in 0..<60 {
            if members.count < 3 || rng.below(3) > 0 {
                let w = 1 + rng.below(3)
                ch.addBackend(next, BackendConfig(weight: w, server: "10.1.\(next / 200).\(next % 200):80"))
                members.append((next, w))
                next += 1
            } else {
                let (id, _) = members.remove(at: rng.below(members.count))
                ch.removeBackend(id)
            }
        }
        let fresh = ConsistentHashBalancer()
        for (id, w) in members { fresh.addBackend(id, BackendConfig(weight: w, server: "10.1.\(id / 200).\(id % 200):80")) }
        #expect(ch.ringSize == fresh.ringSize)
        for _ in 0..<3000 {
            let key = UInt32(truncatingIfNeeded: rng.next())
            #expect(ch.choose(keyHash: key, now: 0) == fresh.choose(keyHash: key, now: 0))
        }
    }

    /// Two backends with the same `server` string collide on every point: the earlier one owns
    /// them all (NGINX keeps the first of equal hashes). Removing it must uncover the other's.
    @Test func collidingPointsReappearAfterRemoval() {
        let ch = ConsistentHashBalancer()
        ch.addBackend(1, BackendConfig(server: "x:1"))
        ch.addBackend(2, BackendConfig(server: "x:1"))
        ch.addBackend(3, BackendConfig(server: "y:2"))
        #expect(ch.ringSize == 320)
        let keys = (0..<2000).map { ConsistentHashBalancer.keyHash("s\($0)") }
        #expect(!keys.contains { ch.choose(keyHash: $0, now: 0) == 2 })
        ch.removeBackend(1)
        let fresh = ConsistentHashBalancer()
        fresh.addBackend(2, BackendConfig(server: "x:1"))
        fresh.addBackend(3, BackendConfig(server: "y:2"))
        #expect(keys.map { ch.choose(keyHash: $0, now: 0) } == keys.map { fresh.choose(keyHash: $0, now: 0) })
        #expect(keys.contains { ch.choose(keyHash: $0, now: 0) == 2 })
    }
}
