import Testing
import Platform

@Suite("SharedCache (L2, Redis semantics)")
struct SharedCacheTests {
    @Test("a key is a hit at its expire time and a miss 1 ns later (Redis keyIsExpired: now > when)")
    func redisExpiryRule() {
        let ttl: Nanoseconds = 3_600 * TimeUnit.second
        let t0: Instant = 42
        for (offset, expectHit) in [(ttl - 1, true), (ttl, true), (ttl + 1, false)] {
            let redis = SharedCache<String, Int>()
            redis.set("menu:9", 1, now: t0, ttl: ttl)
            #expect((redis.get("menu:9", now: t0 + offset) != nil) == expectHit, "offset \(offset)")
        }
        let redis = SharedCache<String, Int>()
        redis.set("k", 1, now: 0, ttl: 100)
        #expect(redis.ttlRemaining("k", now: 100) == 0)   // PTTL 0 at the instant of expiry
        #expect(redis.ttlRemaining("k", now: 101) == nil) // PTTL -2 afterwards
        #expect(redis.count == 0)
    }

    @Test("GET keeps the TTL, SET replaces it, SET without TTL never expires, DEL counts live keys")
    func ttlCommands() {
        let redis = SharedCache<String, Int>()
        redis.set("a", 1, now: 0, ttl: 100)
        _ = redis.get("a", now: 50)
        #expect(redis.ttlRemaining("a", now: 50) == 50)
        redis.set("a", 2, now: 60, ttl: 100)
        #expect(redis.ttlRemaining("a", now: 60) == 100)
        redis.set("a", 3, now: 70, ttl: nil)
        #expect(redis.ttlRemaining("a", now: 70) == Int64.max)
        #expect(redis.get("a", now: Int64.max) == 3)
        #expect(redis.delete("a", now: 80))
        #expect(!redis.delete("a", now: 80))
        redis.set("b", 1, now: 0, ttl: 10)
        #expect(!redis.delete("b", now: 11))  // expired: deleted but not counted
        #expect(!redis.exists("b", now: 11))
    }

    @Test("allkeys-lru at capacity matches a brute-force LRU reference", arguments: [1, 3, 50])
    func lruMatchesReference(capacity: Int) {
        var rng = CacheTestRNG(state: 0xC0FFEE &+ UInt64(capacity))
        let redis = SharedCache<Int, Int>(capacity: capacity, evictionPolicy: .allKeysLRU)
        var reference = CacheReferenceLRU(capacity: capacity, exclusiveExpiry: false)
        var now: Int64 = 0
        for step in 0..<20_000 {
            now += Int64(rng.below(30))
            let key = rng.below(capacity * 2 + 2)
            switch rng.below(8) {
            case 0...3:
                #expect(redis.get(key, now: now) == reference.get(key, now: now), "step \(step)")
            case 4...6:
                let ttl = Int64(1 + rng.below(1_500))
                let value = rng.below(1000)
                let got = redis.set(key, value, now: now, ttl: ttl)
                // The reference evicts the LRU key; SharedCache reports it only if it was live.
                let victim = reference.entries.count >= capacity && !reference.entries.contains { $0.key == key }
                    ? reference.entries.last : nil
                _ = reference.set(key, value, expiresAt: now + ttl)
                if let victim, victim.expiresAt >= now {
                    #expect(got == .storedEvicting(victim.key), "step \(step)")
                } else {
                    #expect(got == .stored, "step \(step)")
                }
            default:
                _ = redis.delete(key, now: now)
                _ = reference.remove(key)
            }
        }
        #expect(redis.keysByRecency() == reference.entries.map(\.key))
        #expect(redis.checkInvariants())
    }

    @Test("noeviction rejects new keys when full, allows overwrites, reclaims expired LRU keys")
    func noEviction() {
        let redis = SharedCache<Int, Int>(capacity: 2, evictionPolicy: .noEviction)
        #expect(redis.set(1, 1, now: 0, ttl: 10) == .stored)
        #expect(redis.set(2, 2, now: 0, ttl: 1_000) == .stored)
        #expect(redis.set(3, 3, now: 5, ttl: 1_000) == .rejected)
        #expect(redis.set(2, 22, now: 5, ttl: 1_000) == .stored)   // overwrite does not grow
        #expect(redis.set(3, 3, now: 11, ttl: 1_000) == .stored)   // key 1 expired at 10: reclaimed
        #expect(redis.statistics.rejectedWrites == 1)
        #expect(redis.keysByRecency() == [3, 2])
    }

    @Test("unbounded cache never evicts")
    func unbounded() {
        let redis = SharedCache<Int, Int>()
        for k in 0..<5_000 { redis.set(k, k, now: 0, ttl: 10) }
        #expect(redis.count == 5_000)
        #expect(redis.purgeExpired(now: 10) == 0)
        #expect(redis.purgeExpired(now: 11) == 5_000)
        #expect(redis.checkInvariants())
    }
}
