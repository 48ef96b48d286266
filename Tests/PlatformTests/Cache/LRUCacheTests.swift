import Testing
import Platform

@Suite("LRUCache (L1)")
struct LRUCacheTests {
    static let ttl: Nanoseconds = 300 * TimeUnit.second

    @Test("an entry is a hit at ttl - 1 ns and a miss at ttl and ttl + 1 ns (Guava rule)")
    func exactExpiry() {
        let t0: Instant = 1_234_567_891
        for (offset, expectHit) in [(Self.ttl - 1, true), (Self.ttl, false), (Self.ttl + 1, false), (0, true)] {
            let cache = LRUCache<String, Int>(capacity: 4, ttl: Self.ttl)
            cache.set("menu:1", 7, now: t0)
            #expect(cache.expiry(of: "menu:1") == t0 + Self.ttl)
            #expect((cache.get("menu:1", now: t0 + offset) != nil) == expectHit, "offset \(offset)")
        }
        // A per-entry TTL overrides the default.
        let cache = LRUCache<String, Int>(capacity: 4, ttl: Self.ttl)
        cache.set("k", 1, now: 0, ttl: 5)
        #expect(cache.get("k", now: 4) == 1)
        #expect(cache.get("k", now: 5) == nil)
        #expect(cache.count == 0)  // the expired entry was removed by the miss
        #expect(cache.statistics.expirations == 1)
    }

    @Test("least recently used entry is evicted; get and set refresh recency, peek does not")
    func evictionOrder() {
        let cache = LRUCache<Int, Int>(capacity: 3, ttl: Self.ttl)
        cache.set(1, 10, now: 0)
        cache.set(2, 20, now: 0)
        cache.set(3, 30, now: 0)
        #expect(cache.get(1, now: 1) == 10)           // order: 1 3 2
        #expect(cache.peek(3, now: 1) == 30)          // unchanged
        #expect(cache.set(4, 40, now: 2) == 2)        // evicts 2
        #expect(cache.keysByRecency() == [4, 1, 3])
        #expect(cache.set(1, 11, now: 3) == nil)      // update, no eviction
        #expect(cache.set(5, 50, now: 3) == 3)
        #expect(cache.keysByRecency() == [5, 1, 4])
        #expect(cache.statistics.evictions == 2)
        #expect(cache.checkInvariants())
    }

    @Test("capacity 0 stores nothing")
    func zeroCapacity() {
        let cache = LRUCache<Int, Int>(capacity: 0, ttl: Self.ttl)
        #expect(cache.set(1, 1, now: 0) == nil)
        #expect(cache.get(1, now: 0) == nil)
        #expect(cache.count == 0)
    }

    @Test("random operation sequences match a brute-force LRU reference", arguments: [1, 2, 7, 64])
    func matchesReference(capacity: Int) {
        var rng = CacheTestRNG(state: UInt64(capacity) &* 7919)
        let cache = LRUCache<Int, Int>(capacity: capacity, ttl: 1_000)
        var reference = CacheReferenceLRU(capacity: capacity, exclusiveExpiry: true)
        var now: Int64 = 0
        let keySpace = capacity * 2 + 3
        for step in 0..<20_000 {
            now += Int64(rng.below(40))
            let key = rng.below(keySpace)
            switch rng.below(10) {
            case 0...3:
                #expect(cache.get(key, now: now) == reference.get(key, now: now), "step \(step)")
            case 4:
                #expect(cache.peek(key, now: now) == reference.peek(key, now: now), "step \(step)")
            case 5...7:
                let ttl = Int64(1 + rng.below(2_000))
                let value = rng.below(1_000_000)
                let got = cache.set(key, value, now: now, ttl: ttl)
                let want = reference.set(key, value, expiresAt: now + ttl)
                #expect(got == want, "step \(step)")
            case 8:
                #expect(cache.remove(key) == reference.remove(key), "step \(step)")
            default:
                if rng.below(20) == 0 {
                    #expect(cache.purgeExpired(now: now) == reference.purge(now: now), "step \(step)")
                }
            }
            if step % 97 == 0 {
                #expect(cache.keysByRecency() == reference.entries.map(\.key), "step \(step)")
                #expect(cache.checkInvariants(), "step \(step)")
            }
        }
        #expect(cache.keysByRecency() == reference.entries.map(\.key))
        #expect(cache.count == reference.entries.count)
        #expect(cache.checkInvariants())
    }

    @Test("statistics count hits, misses, insertions, updates")
    func statistics() {
        let cache = LRUCache<Int, Int>(capacity: 2, ttl: 10)
        #expect(cache.get(1, now: 0) == nil)
        cache.set(1, 1, now: 0)
        cache.set(1, 2, now: 1)
        #expect(cache.get(1, now: 2) == 2)
        #expect(cache.get(1, now: 11) == nil)   // written at 1, expires at 11
        let s = cache.statistics
        #expect(s.hits == 1 && s.misses == 2 && s.insertions == 1 && s.updates == 1 && s.expirations == 1)
        #expect(s.hitRatio == 1.0 / 3.0)
    }
}
