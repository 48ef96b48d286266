/// One in-flight load of a key (request coalescing).
@usableFromInline
internal struct _CacheFlight {
    @usableFromInline var leader: Int
    @usableFromInline var leaderReplica: Int
    @usableFromInline var waiters: [Int]

    @inlinable
    init(leader: Int, leaderReplica: Int) {
        self.leader = leader
        self.leaderReplica = leaderReplica
        self.waiters = []
    }
}

/// The three-tier read path of the platform design this simulator models (its
/// `CacheHierarchy.get_restaurant_menu`): L1 = one `LRUCache` per service replica, L2 = one
/// `SharedCache` (Redis) for all replicas, L3 = the database, reached through the caller.
///
/// ## Two-phase, non-blocking protocol
/// The simulator is discrete-event, so the hierarchy never waits for a tier. A request runs
/// as:
/// 1. `begin(key, replica:, request:, now:)` checks L1. On a hit it returns
///    `.served(lookup)`. On a miss it returns `.fetchL2`, or `.joined` if coalescing is on and
///    the key is already being loaded (see below).
/// 2. After modelling the L2 round trip, the caller calls `resumeAfterL2(key, replica:, now:)`,
///    which reads L2 at that instant. A hit fills the replica's L1 (seed:
///    `local_cache.set(..., ttl=300)`) and returns `.served`; a miss returns `.fetchL3`.
/// 3. After modelling the database query, the caller calls
///    `complete(key, replica:, loaded:, now:)` with the loaded value (`nil` = not found). It
///    writes L2 (seed: `redis.setex(..., 3600, ...)`), writes L1 only if
///    `fillL1OnLoad` (the seed does not), and returns the lookup.
///
/// ## Coalescing
/// With `coalescing != .none`, the first miss for a key becomes the load's leader; later
/// misses for the same key (same replica for `.perReplica`, any replica for `.global`)
/// return `.joined` and are listed, in arrival order, in the `waiters` of the lookup that
/// `resumeAfterL2`/`complete` returns for the leader. They are answered together with it
/// (`CacheLookup.asCoalesced`). So N concurrent misses cause one L2 read and at most one
/// load. Only the leader's replica L1 is filled.
///
/// ## Negative caching
/// With `negativeTTL` set, a load that finds nothing stores `CachedValue.notFound` in L2
/// (and in L1 if `fillL1OnLoad`, or when a later L2 hit copies it) for `negativeTTL`, and a
/// later lookup is answered with `negative = true` without reaching L3.
///
/// ## TTL jitter
/// Every TTL the hierarchy assigns is stretched to `ttl + floor(ttl * ttlJitterFraction * u)`
/// (see `CacheHierarchyConfiguration`). `u` is the caller's draw if `jitter:` is passed,
/// otherwise `u = top53(splitmix64((jitterSeed ^ now) &+ n &* 0x9E3779B97F4A7C15)) / 2^53`,
/// where `n` counts the TTLs assigned so far. The same configuration and the same call
/// sequence therefore give the same TTLs (keys are not hashed: Swift's `Hasher` is seeded
/// per process and must not reach a result).
///
/// ## Invalidation on write
/// `invalidate(key, replica:, now:)` is what the writing replica does after updating the
/// database: `DEL` in L2 and remove from its own L1. Other replicas' L1 copies stay until
/// their TTL runs out (they have no way to hear about the write), so they can serve stale
/// data for up to `l1TTL`, exactly as in the real system. A load already in flight is not
/// cancelled: if it read the old row it will write the old value back (the classic
/// invalidate/fill race), as the real code would.
///
/// ## Expiry rules
/// L1 entries are misses from their expiry instant on (`LRUCache`); L2 entries are still hits
/// at their expiry instant and misses 1 ns later (Redis, `SharedCache`).
///
/// Not thread-safe; the simulator drives it from one task.
public final class CacheHierarchy<Key: Hashable, Value> {
    public let configuration: CacheHierarchyConfiguration
    /// The shared L2 (may be shared with other hierarchies).
    public let l2: SharedCache<Key, CachedValue<Value>>

    // One owner, no reentrancy: the hot stored properties skip dynamic exclusivity checks.
    @exclusivity(unchecked) @usableFromInline var _l1: [LRUCache<Key, CachedValue<Value>>?]
    /// In-flight loads: one table per replica (`.perReplica`) or a single table (`.global`).
    @exclusivity(unchecked) @usableFromInline var _flights: [[Key: _CacheFlight]]
    @exclusivity(unchecked) @usableFromInline var _statistics = CacheHierarchyStatistics()
    @exclusivity(unchecked) @usableFromInline var _jitterDraws: UInt64 = 0

    /// - Parameters:
    ///   - configuration: tier settings (default: the seed's).
    ///   - replicas: initial number of replicas (each gets an empty L1), >= 0.
    ///   - l2: an existing L2 to share; by default a new one is made from the configuration.
    public init(configuration: CacheHierarchyConfiguration = .seed, replicas: Int = 1,
                l2: SharedCache<Key, CachedValue<Value>>? = nil) {
        precondition(replicas >= 0)
        self.configuration = configuration
        self.l2 = l2 ?? SharedCache(capacity: configuration.l2Capacity,
                                     evictionPolicy: configuration.l2EvictionPolicy)
        self._l1 = []
        self._flights = configuration.coalescing == .global ? [[:]] : []
        for _ in 0..<replicas { _ = addReplica() }
    }

    /// Request-level counters.
    public var statistics: CacheHierarchyStatistics { _statistics }

    /// Number of replica slots ever created (removed replicas keep their index).
    public var replicaSlots: Int { _l1.count }

    /// Whether `replica` exists and has not been removed.
    public func isActive(_ replica: Int) -> Bool {
        replica >= 0 && replica < _l1.count && _l1[replica] != nil
    }

    /// Adds a replica with an empty L1 (scale-out: its cache starts cold). Returns its index.
    @discardableResult
    public func addReplica() -> Int {
        _l1.append(LRUCache(capacity: configuration.l1Capacity, ttl: configuration.l1TTL))
        if configuration.coalescing == .perReplica { _flights.append([:]) }
        return _l1.count - 1
    }

    /// Removes a replica (scale-in or crash): its L1 is dropped and the loads it was leading
    /// are abandoned. Returns the ids of the requests that were waiting on those loads
    /// (leaders and waiters), sorted ascending, so the caller can fail or retry them.
    @discardableResult
    public func removeReplica(_ replica: Int) -> [Int] {
        precondition(isActive(replica), "replica \(replica) is not active")
        _l1[replica] = nil
        var stranded: [Int] = []
        switch configuration.coalescing {
        case .none:
            break
        case .perReplica:
            for flight in _flights[replica].values {
                stranded.append(flight.leader)
                stranded.append(contentsOf: flight.waiters)
            }
            _flights[replica] = [:]
        case .global:
            var lost: [Key] = []
            for (key, flight) in _flights[0] where flight.leaderReplica == replica {
                lost.append(key)
                stranded.append(flight.leader)
                stranded.append(contentsOf: flight.waiters)
            }
            for key in lost { _flights[0].removeValue(forKey: key) }
        }
        stranded.sort()  // Dictionary order must not reach the caller
        return stranded
    }

    /// The L1 of `replica`.
    public func l1(_ replica: Int) -> LRUCache<Key, CachedValue<Value>> {
        precondition(isActive(replica), "replica \(replica) is not active")
        return _l1[replica]!
    }

    /// Number of keys being loaded right now (all tables).
    public var loadsInFlight: Int { _flights.reduce(0) { $0 + $1.count } }

    @inlinable @inline(__always)
    func _flightTable(_ replica: Int) -> Int {
        configuration.coalescing == .global ? 0 : replica
    }

    /// Step 1: look `key` up in `replica`'s L1.
    ///
    /// - Parameter request: the caller's id for this request (used only to list it in a
    ///   coalesced load's `waiters`).
    /// - Returns: `.served` on an L1 hit, `.joined` if it joined an in-flight load, else
    ///   `.fetchL2`.
    /// - Complexity: O(1) expected; no allocation on an L1 hit.
    @inlinable
    public func begin(_ key: Key, replica: Int, request: Int, now: Instant) -> CacheStep<Value> {
        precondition(replica >= 0 && replica < _l1.count, "unknown replica \(replica)")
        precondition(_l1[replica] != nil, "replica \(replica) was removed")
        _statistics.requests &+= 1
        // `_l1` keeps the cache alive and `get` cannot reach back into the hierarchy, so the
        // call goes through an unretained reference (no retain/release pair per request).
        let cachedOrNil = Unmanaged.passUnretained(_l1[replica].unsafelyUnwrapped)
            ._withUnsafeGuaranteedRef { $0.get(key, now: now) }
        if let cached = cachedOrNil {
            _statistics.l1Hits &+= 1
            switch cached {
            case .found(let value):
                return .served(CacheLookup(servedBy: .l1, value: value, negative: false,
                                           populatedL1: false, populatedL2: false))
            case .notFound:
                _statistics.negativeHits &+= 1
                return .served(CacheLookup(servedBy: .l1, value: nil, negative: true,
                                           populatedL1: false, populatedL2: false))
            }
        }
        if configuration.coalescing != .none {
            let t = _flightTable(replica)
            if _flights[t][key] != nil {
                _flights[t][key]!.waiters.append(request)
                _statistics.coalesced &+= 1
                return .joined
            }
            _flights[t][key] = _CacheFlight(leader: request, leaderReplica: replica)
        }
        return .fetchL2
    }

    /// Step 2 (after `.fetchL2`): read L2 now. On a hit, fills the replica's L1 and answers
    /// the request (and its waiters); on a miss returns `.fetchL3`.
    ///
    /// - Parameter jitter: optional uniform draw in [0, 1) for the L1 TTL jitter.
    public func resumeAfterL2(_ key: Key, replica: Int, now: Instant, jitter: Double? = nil) -> CacheStep<Value> {
        guard let cached = l2.get(key, now: now) else { return .fetchL3 }
        _statistics.l2Hits &+= 1
        let negative: Bool
        let value: Value?
        let ttl: Nanoseconds
        switch cached {
        case .found(let v):
            negative = false
            value = v
            ttl = configuration.l1TTL
        case .notFound:
            negative = true
            value = nil
            ttl = configuration.negativeTTL ?? configuration.l1TTL
            _statistics.negativeHits &+= 1
        }
        var populatedL1 = false
        if isActive(replica), configuration.l1Capacity > 0 {
            _l1[replica]!.set(key, cached, now: now, ttl: _jittered(ttl, now: now, u: jitter))
            populatedL1 = true
        }
        let waiters = _finishFlight(key, replica: replica)
        return .served(CacheLookup(servedBy: .l2, value: value, negative: negative,
                                   populatedL1: populatedL1, populatedL2: false, waiters: waiters))
    }

    /// Step 3 (after `.fetchL3`): the loader returned `loaded` (`nil` = the key does not
    /// exist). Writes L2 (and L1 if `fillL1OnLoad`), ends the in-flight load and answers the
    /// request and its waiters. A "not found" is cached only if `negativeTTL` is set.
    ///
    /// - Parameter jitter: optional uniform draw in [0, 1) used for every TTL this call
    ///   assigns.
    public func complete(_ key: Key, replica: Int, loaded: Value?, now: Instant,
                         jitter: Double? = nil) -> CacheLookup<Value> {
        _statistics.l3Loads &+= 1
        let entry: CachedValue<Value>
        let l2TTL: Nanoseconds
        let l1TTL: Nanoseconds
        if let loaded {
            entry = .found(loaded)
            l2TTL = configuration.l2TTL
            l1TTL = configuration.l1TTL
        } else if let negativeTTL = configuration.negativeTTL {
            entry = .notFound
            l2TTL = negativeTTL
            l1TTL = negativeTTL
        } else {
            let waiters = _finishFlight(key, replica: replica)
            return CacheLookup(servedBy: .l3, value: nil, negative: true, populatedL1: false,
                               populatedL2: false, waiters: waiters)
        }
        let write = l2.set(key, entry, now: now, ttl: _jittered(l2TTL, now: now, u: jitter))
        if !write.isStored { _statistics.l2WritesRejected &+= 1 }
        var populatedL1 = false
        if configuration.fillL1OnLoad, isActive(replica), configuration.l1Capacity > 0 {
            _l1[replica]!.set(key, entry, now: now, ttl: _jittered(l1TTL, now: now, u: jitter))
            populatedL1 = true
        }
        let waiters = _finishFlight(key, replica: replica)
        return CacheLookup(servedBy: .l3, value: loaded, negative: loaded == nil,
                           populatedL1: populatedL1, populatedL2: write.isStored, waiters: waiters)
    }

    /// Invalidation after a write by `replica`: deletes `key` from L2 and from that
    /// replica's L1 only. Other replicas keep serving their L1 copy until it expires.
    public func invalidate(_ key: Key, replica: Int, now: Instant) {
        _statistics.invalidations &+= 1
        l2.delete(key, now: now)
        if isActive(replica) { _l1[replica]!.remove(key) }
    }

    /// Ends the in-flight load of `key` started at `replica` and returns its waiters.
    @usableFromInline
    func _finishFlight(_ key: Key, replica: Int) -> [Int] {
        if configuration.coalescing == .none { return [] }
        let t = _flightTable(replica)
        guard t < _flights.count, let flight = _flights[t].removeValue(forKey: key) else {
            return []
        }
        return flight.waiters
    }

    /// Applies TTL jitter (see the type documentation).
    @usableFromInline
    func _jittered(_ ttl: Nanoseconds, now: Instant, u: Double?) -> Nanoseconds {
        let fraction = configuration.ttlJitterFraction
        if fraction == 0 { return ttl }
        let draw: Double
        if let u {
            draw = u
        } else {
            let word = configuration.jitterSeed ^ UInt64(bitPattern: now)
            draw = _cacheUnitInterval(_cacheSplitMix64(word &+ _jitterDraws &* 0x9E37_79B9_7F4A_7C15))
            _jitterDraws &+= 1
        }
        return _cacheJitteredTTL(ttl, fraction: fraction, u: draw)
    }
}
