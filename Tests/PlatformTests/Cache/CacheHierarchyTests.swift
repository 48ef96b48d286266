import Testing
import Platform

@Suite("CacheHierarchy (L1 per replica, shared L2, loader L3)")
struct CacheHierarchyTests {
    typealias H = CacheHierarchy<String, String>
    static let s = TimeUnit.second

    /// Drives one request through the protocol with the seed's latencies (0.1 ms / 5 ms / 50 ms),
    /// loading `database[key]`. Returns the lookup and the instant it completed.
    static func read(_ h: H, _ key: String, replica: Int, request: Int, at t: Instant,
                     database: [String: String]) -> (CacheLookup<String>, Instant) {
        switch h.begin(key, replica: replica, request: request, now: t) {
        case .served(let lookup):
            return (lookup, t + 100_000)
        case .joined:
            Issue.record("unexpected join")
            return (CacheLookup(servedBy: .l3, value: nil, negative: true, populatedL1: false, populatedL2: false), t)
        case .fetchL3:
            Issue.record("begin never asks for L3")
            return (CacheLookup(servedBy: .l3, value: nil, negative: true, populatedL1: false, populatedL2: false), t)
        case .fetchL2:
            let t2 = t + 5 * TimeUnit.millisecond
            switch h.resumeAfterL2(key, replica: replica, now: t2) {
            case .served(let lookup):
                return (lookup, t2)
            case .fetchL3:
                let t3 = t2 + 50 * TimeUnit.millisecond
                return (h.complete(key, replica: replica, loaded: database[key], now: t3), t3)
            default:
                Issue.record("unexpected step after L2")
                return (CacheLookup(servedBy: .l3, value: nil, negative: true, populatedL1: false, populatedL2: false), t2)
            }
        }
    }

    @Test("seed read path: L3 load fills only L2; an L2 hit fills L1; then L1 serves")
    func seedPath() {
        let h = H(configuration: .seed, replicas: 2)
        let db = ["menu:1": "pizza"]
        let (first, t1) = Self.read(h, "menu:1", replica: 0, request: 1, at: 0, database: db)
        #expect(first == CacheLookup(servedBy: .l3, value: "pizza", negative: false, populatedL1: false,
                                     populatedL2: true))
        let (second, t2) = Self.read(h, "menu:1", replica: 0, request: 2, at: t1, database: db)
        #expect(second == CacheLookup(servedBy: .l2, value: "pizza", negative: false, populatedL1: true,
                                      populatedL2: false))
        let (third, _) = Self.read(h, "menu:1", replica: 0, request: 3, at: t2, database: db)
        #expect(third.servedBy == .l1 && third.value == "pizza")
        // Replica 1 has its own, cold L1: it goes to L2.
        let (other, _) = Self.read(h, "menu:1", replica: 1, request: 4, at: t2, database: db)
        #expect(other.servedBy == .l2)
        #expect(h.statistics.l1Hits == 1 && h.statistics.l2Hits == 2 && h.statistics.l3Loads == 1)
        // The L1 copy expires exactly 300 s after it was written (L1 rule: miss at expiry).
        let written = t1 + 5 * TimeUnit.millisecond
        #expect(h.l1(0).expiry(of: "menu:1") == written + 300 * Self.s)
        #expect(h.l1(0).peek("menu:1", now: written + 300 * Self.s - 1) == .found("pizza"))
        #expect(h.l1(0).peek("menu:1", now: written + 300 * Self.s) == nil)
        // The L2 copy written at the load is still a hit at exactly +3600 s, a miss 1 ns later.
        let loadedAt = Int64(55 * TimeUnit.millisecond)
        #expect(h.l2.ttlRemaining("menu:1", now: loadedAt + 3_600 * Self.s) == 0)
        #expect(!h.l2.exists("menu:1", now: loadedAt + 3_600 * Self.s + 1))
    }

    @Test("fillL1OnLoad also writes the loading replica's L1")
    func fillL1OnLoad() {
        var config = CacheHierarchyConfiguration.seed
        config.fillL1OnLoad = true
        let h = H(configuration: config)
        let (first, t1) = Self.read(h, "k", replica: 0, request: 1, at: 0, database: ["k": "v"])
        #expect(first.populatedL1 && first.populatedL2)
        #expect(Self.read(h, "k", replica: 0, request: 2, at: t1, database: [:]).0.servedBy == .l1)
    }

    @Test("N concurrent misses on one replica cause one L2 read and one load", arguments: [2, 10, 100])
    func coalescing(n: Int) {
        var config = CacheHierarchyConfiguration.seed
        config.coalescing = .perReplica
        let h = H(configuration: config, replicas: 1)
        #expect(h.begin("k", replica: 0, request: 0, now: 0) == .fetchL2)
        for r in 1..<n {
            #expect(h.begin("k", replica: 0, request: r, now: Int64(r)) == .joined)
        }
        #expect(h.loadsInFlight == 1)
        #expect(h.resumeAfterL2("k", replica: 0, now: 5_000_000) == .fetchL3)
        let done = h.complete("k", replica: 0, loaded: "v", now: 55_000_000)
        #expect(done.waiters == Array(1..<n))
        #expect(done.value == "v" && !done.coalesced)
        #expect(done.asCoalesced == CacheLookup(servedBy: .l3, value: "v", negative: false, populatedL1: false,
                                                populatedL2: false, coalesced: true))
        #expect(h.statistics.l3Loads == 1 && h.statistics.coalesced == n - 1)
        #expect(h.l2.statistics.hits + h.l2.statistics.misses == 1)
        #expect(h.loadsInFlight == 0)
        // The next miss starts a new load.
        #expect(h.begin("k2", replica: 0, request: n, now: 60_000_000) == .fetchL2)
    }

    @Test("coalescing scope: per replica, global, none")
    func coalescingScope() {
        for (scope, secondReplicaStep) in [(CacheCoalescing.perReplica, CacheStep<String>.fetchL2),
                                           (.global, .joined), (.none, .fetchL2)] {
            var config = CacheHierarchyConfiguration.seed
            config.coalescing = scope
            let h = H(configuration: config, replicas: 2)
            #expect(h.begin("k", replica: 0, request: 1, now: 0) == .fetchL2)
            #expect(h.begin("k", replica: 1, request: 2, now: 1) == secondReplicaStep, "\(scope)")
            let sameReplica = h.begin("k", replica: 0, request: 3, now: 2)
            #expect(sameReplica == (scope == .none ? .fetchL2 : .joined), "\(scope)")
        }
        // An L2 hit answers the waiters too.
        var config = CacheHierarchyConfiguration.seed
        config.coalescing = .global
        let h = H(configuration: config, replicas: 2)
        h.l2.set("k", .found("v"), now: 0, ttl: 3_600 * Self.s)
        #expect(h.begin("k", replica: 0, request: 1, now: 0) == .fetchL2)
        #expect(h.begin("k", replica: 1, request: 2, now: 1) == .joined)
        guard case .served(let lookup) = h.resumeAfterL2("k", replica: 0, now: 5) else {
            Issue.record("expected an L2 hit")
            return
        }
        #expect(lookup.servedBy == .l2 && lookup.waiters == [2] && lookup.populatedL1)
        #expect(h.l1(0).peek("k", now: 6) == .found("v"))
        #expect(h.l1(1).peek("k", now: 6) == nil)  // only the leader's replica is filled
    }

    @Test("negative caching: a not-found is cached for negativeTTL and answered without L3")
    func negativeCaching() {
        var config = CacheHierarchyConfiguration.seed
        config.negativeTTL = 30 * Self.s
        let h = H(configuration: config, replicas: 2)
        let (miss, t1) = Self.read(h, "menu:404", replica: 0, request: 1, at: 0, database: [:])
        #expect(miss == CacheLookup(servedBy: .l3, value: nil, negative: true, populatedL1: false, populatedL2: true))
        let (fromL2, t2) = Self.read(h, "menu:404", replica: 1, request: 2, at: t1, database: [:])
        #expect(fromL2.servedBy == .l2 && fromL2.negative && fromL2.value == nil && fromL2.populatedL1)
        let (fromL1, _) = Self.read(h, "menu:404", replica: 1, request: 3, at: t2, database: [:])
        #expect(fromL1.servedBy == .l1 && fromL1.negative)
        #expect(h.statistics.l3Loads == 1 && h.statistics.negativeHits == 2)
        // The L2 negative entry (written at t1) is live at t1 + 30 s and gone 1 ns later.
        #expect(h.l2.exists("menu:404", now: t1 + 30 * Self.s))
        #expect(!h.l2.exists("menu:404", now: t1 + 30 * Self.s + 1))
        // Without negativeTTL nothing is cached.
        let plain = H(configuration: .seed)
        let (m, t) = Self.read(plain, "x", replica: 0, request: 1, at: 0, database: [:])
        #expect(m.negative && !m.populatedL2)
        #expect(Self.read(plain, "x", replica: 0, request: 2, at: t, database: [:]).0.servedBy == .l3)
    }

    @Test("invalidation deletes L2 and the writer's L1; other replicas stay stale until their TTL")
    func invalidation() {
        let h = H(configuration: .seed, replicas: 2)
        var db = ["menu:1": "v1"]
        var t: Instant = 0
        for (replica, request) in [(0, 1), (0, 2), (1, 3)] {   // load, then warm both L1s
            t = Self.read(h, "menu:1", replica: replica, request: request, at: t, database: db).1
        }
        let warmedAt = t
        db["menu:1"] = "v2"
        h.invalidate("menu:1", replica: 0, now: t)
        let (fresh, _) = Self.read(h, "menu:1", replica: 0, request: 4, at: t, database: db)
        #expect(fresh.servedBy == .l3 && fresh.value == "v2")
        let (stale, _) = Self.read(h, "menu:1", replica: 1, request: 5, at: t, database: db)
        #expect(stale.servedBy == .l1 && stale.value == "v1")
        // Replica 1's copy was written at warmedAt (its L2 hit); from +300 s on it reads L2 again.
        let (later, _) = Self.read(h, "menu:1", replica: 1, request: 6, at: warmedAt + 300 * Self.s,
                                   database: db)
        #expect(later.servedBy == .l2 && later.value == "v2")
        #expect(h.statistics.invalidations == 1)
    }

    @Test("TTL jitter stays in [ttl, ttl * (1 + fraction)) and is deterministic")
    func jitterBounds() {
        var config = CacheHierarchyConfiguration.seed
        config.ttlJitterFraction = 0.2
        config.fillL1OnLoad = true
        config.jitterSeed = 99
        func run(seed: UInt64) -> [Instant] {
            var c = config
            c.jitterSeed = seed
            let h = H(configuration: c)
            var expiries: [Instant] = []
            for i in 0..<2_000 {
                let now = Int64(i) * 1_000
                let key = "k\(i)"
                #expect(h.begin(key, replica: 0, request: i, now: now) == .fetchL2)
                #expect(h.resumeAfterL2(key, replica: 0, now: now) == .fetchL3)
                _ = h.complete(key, replica: 0, loaded: "v", now: now)
                let l2 = h.l2.ttlRemaining(key, now: now)!
                let l1 = h.l1(0).expiry(of: key)! - now
                #expect(l2 >= 3_600 * Self.s && Double(l2) < 3_600e9 * 1.2)
                #expect(l1 >= 300 * Self.s && Double(l1) < 300e9 * 1.2)
                expiries.append(l2)
                expiries.append(l1)
            }
            return expiries
        }
        let a = run(seed: 99)
        #expect(a == run(seed: 99))
        #expect(a != run(seed: 100))
        #expect(Set(a).count > 3_000)  // the draws spread
        // Mean stretch close to fraction / 2 (uniform draws).
        let l2Stretch = stride(from: 0, to: a.count, by: 2).map { Double(a[$0]) / 3_600e9 - 1 }
        let mean = l2Stretch.reduce(0, +) / Double(l2Stretch.count)
        #expect(abs(mean - 0.1) < 0.01)
        // A caller-supplied draw gives floor(ttl * fraction * u) exactly.
        let h = H(configuration: config)
        _ = h.begin("x", replica: 0, request: 1, now: 0)
        _ = h.resumeAfterL2("x", replica: 0, now: 0)
        _ = h.complete("x", replica: 0, loaded: "v", now: 0, jitter: 0.5)
        #expect(h.l2.ttlRemaining("x", now: 0) == 3_600 * Self.s + 360 * Self.s)
        #expect(h.l1(0).expiry(of: "x") == 300 * Self.s + 30 * Self.s)
    }

    @Test("a full noeviction L2 refuses the write; the lookup reports populatedL2 = false")
    func l2Rejects() {
        var config = CacheHierarchyConfiguration.seed
        config.l2Capacity = 1
        config.l2EvictionPolicy = .noEviction
        let h = H(configuration: config)
        #expect(Self.read(h, "a", replica: 0, request: 1, at: 0, database: ["a": "1"]).0.populatedL2)
        let (b, _) = Self.read(h, "b", replica: 0, request: 2, at: 0, database: ["b": "2"])
        #expect(b.value == "2" && !b.populatedL2)
        #expect(h.statistics.l2WritesRejected == 1)
    }

    @Test("scale-out adds a cold L1; removing a replica returns its stranded requests sorted")
    func replicas() {
        var config = CacheHierarchyConfiguration.seed
        config.coalescing = .perReplica
        let h = H(configuration: config, replicas: 1)
        let r1 = h.addReplica()
        #expect(r1 == 1 && h.l1(r1).count == 0)
        #expect(h.begin("b", replica: r1, request: 30, now: 0) == .fetchL2)
        #expect(h.begin("a", replica: r1, request: 10, now: 0) == .fetchL2)
        #expect(h.begin("b", replica: r1, request: 20, now: 0) == .joined)
        #expect(h.begin("a", replica: r1, request: 5, now: 0) == .joined)
        #expect(h.removeReplica(r1) == [5, 10, 20, 30])
        #expect(!h.isActive(r1) && h.isActive(0))
        #expect(h.loadsInFlight == 0)
    }
}
