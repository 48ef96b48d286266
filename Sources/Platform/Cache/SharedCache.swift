/// What `SharedCache` does when a new key is written while it holds `capacity` entries:
/// the two Redis `maxmemory-policy` settings the platform design can use.
public enum SharedCacheEvictionPolicy: Sendable, Equatable {
    /// Redis `allkeys-lru`: evict the least recently used key. Redis approximates LRU by
    /// sampling `maxmemory-samples` (5) keys; this cache evicts the exact LRU key, the
    /// behaviour Redis's sampling converges to as the sample grows.
    case allKeysLRU
    /// Redis `noeviction`: refuse the write (Redis answers `-OOM command not allowed when
    /// used memory > 'maxmemory'`). Overwriting an existing key is allowed, since it does not
    /// grow the key count.
    case noEviction
}

/// Outcome of `SharedCache.set`.
public enum SharedCacheWrite<Key>: Equatable where Key: Equatable {
    /// Stored without evicting anything.
    case stored
    /// Stored after evicting this key (`allKeysLRU` at capacity).
    case storedEvicting(Key)
    /// Not stored: full under `noEviction`.
    case rejected

    /// Whether the value is now in the cache.
    @inlinable
    public var isStored: Bool {
        if case .rejected = self { return false }
        return true
    }
}

/// The L2 cache shared by all replicas: a Redis-like key/value store with per-key TTL and an
/// optional `maxmemory`-style capacity.
///
/// This is `self.redis` of `CacheHierarchy` in the platform design this simulator models:
/// `GET menu:<id>`, `SETEX menu:<id> 3600 <menu>`.
///
/// ## Expiry rule (L2, Redis)
/// A key set at `t` with TTL `d` expires at `when = t + d` and **is still a hit at `when`**;
/// it is a miss from `when + 1 ns` on. Redis's `keyIsExpired` (redis/redis `src/db.c`, tag
/// 7.0.15) returns `now > when`, with `when` and `now` in milliseconds; this cache applies
/// the same comparison to nanosecond instants. (Real Redis therefore keeps a key visible
/// for up to 1 ms longer than this model, because it rounds to the millisecond.) `GET` does
/// not change a key's TTL; `SET` replaces it (Redis `SET` without `KEEPTTL`). Expired keys
/// are deleted lazily when touched (Redis `expireIfNeeded`) or by `purgeExpired(now:)`, which
/// stands in for Redis's active expiry cycle.
///
/// ## Capacity
/// Capacity counts keys, not bytes (Redis counts `used_memory`). `nil` means unbounded (Redis
/// `maxmemory 0`). When a new key arrives at capacity, `.allKeysLRU` evicts the least
/// recently used key (`GET` and `SET` refresh recency, like Redis's LRU clock update in
/// `lookupKey`); `.noEviction` first deletes expired keys found among the
/// `reclaimScanLimit` least recently used entries and, if still full, rejects the write.
///
/// - Complexity: `get`, `set`, `delete` O(1) expected; no allocation once the cache has
///   reached its capacity (an unbounded cache grows its storage geometrically).
///
/// Not thread-safe; one owner (the simulated Redis node) uses it.
public final class SharedCache<Key: Hashable, Value> {
    // One owner, no reentrancy: skip the dynamic exclusivity checks on the hot storage.
    @exclusivity(unchecked) @usableFromInline var _slab: _CacheSlab<Key, Value>
    @exclusivity(unchecked) @usableFromInline var _statistics = CacheTierStatistics()

    /// Maximum number of keys, or `nil` for unbounded.
    public let capacity: Int?
    public let evictionPolicy: SharedCacheEvictionPolicy
    /// How many least-recently-used entries a `.noEviction` write inspects for expired keys
    /// before rejecting.
    public let reclaimScanLimit: Int

    /// Hit/miss/eviction counters.
    public var statistics: CacheTierStatistics { _statistics }

    /// - Parameters:
    ///   - capacity: maximum number of keys (>= 1), or `nil` for no limit.
    ///   - evictionPolicy: what to do at capacity.
    ///   - reclaimScanLimit: see the type documentation (>= 0).
    public init(capacity: Int? = nil, evictionPolicy: SharedCacheEvictionPolicy = .allKeysLRU,
                reclaimScanLimit: Int = 16) {
        if let capacity { precondition(capacity >= 1, "capacity must be >= 1 (or nil)") }
        precondition(reclaimScanLimit >= 0)
        self.capacity = capacity
        self.evictionPolicy = evictionPolicy
        self.reclaimScanLimit = reclaimScanLimit
        self._slab = _CacheSlab(reserving: capacity ?? 0)
    }

    /// Number of stored keys, including expired ones not yet deleted.
    public var count: Int { _slab.count }

    /// The Redis liveness rule: live while `now <= expiresAt`.
    @inlinable @inline(__always)
    static func _isLive(expiresAt: Instant, now: Instant) -> Bool { now <= expiresAt }

    /// Redis `GET`: the value if the key exists and has not expired; refreshes its recency.
    /// - Complexity: O(1) expected; no allocation.
    @inlinable
    public func get(_ key: Key, now: Instant) -> Value? {
        _slab.get(key, isLive: { Self._isLive(expiresAt: $0, now: now) }, statistics: &_statistics)
    }

    /// Redis `EXISTS`: whether the key is present and live (deletes it if expired); does not
    /// refresh recency or count as a hit or miss.
    @inlinable
    public func exists(_ key: Key, now: Instant) -> Bool {
        guard let i = _slab.slot(of: key) else { return false }
        if !Self._isLive(expiresAt: _slab.nodes[Int(i)].expiresAt, now: now) {
            _slab.remove(at: i)
            _statistics.expirations &+= 1
            return false
        }
        return true
    }

    /// Redis `SET key value PX ttl` (`ttl` non-nil) or `SET key value` (`ttl` nil: no
    /// expiry).
    /// - Parameter ttl: time to live (> 0), or `nil` for a key that never expires.
    /// - Complexity: O(1) expected; O(`reclaimScanLimit`) when a `.noEviction` cache is full.
    @inlinable
    @discardableResult
    public func set(_ key: Key, _ value: Value, now: Instant, ttl: Nanoseconds?) -> SharedCacheWrite<Key> {
        let expiresAt: Instant
        if let ttl {
            precondition(ttl > 0, "ttl must be > 0")
            expiresAt = _cacheDeadline(now, ttl)
        } else {
            expiresAt = Instant.max
        }
        let full = capacity.map { _slab.count >= $0 } ?? false
        if full && evictionPolicy == .noEviction && _slab.slot(of: key) == nil {
            if _reclaimExpiredAtTail(now: now) == 0 {
                _statistics.rejectedWrites &+= 1
                return .rejected
            }
        }
        let evict = full && evictionPolicy == .allKeysLRU
        let victim: Int32 = evict ? _slab.tail : -1
        let victimKey: Key? = evict ? _slab.nodes[Int(victim)].key : nil
        let victimLive = evict && Self._isLive(expiresAt: _slab.nodes[Int(victim)].expiresAt, now: now)
        let (i, inserted) = _slab.insertOrFind(key, value, expiresAt: expiresAt, victim: victim)
        if inserted {
            _statistics.insertions &+= 1
            if let victimKey {
                if victimLive {
                    _statistics.evictions &+= 1
                    return .storedEvicting(victimKey)
                }
                _statistics.expirations &+= 1
            }
            return .stored
        }
        if Self._isLive(expiresAt: _slab.nodes[Int(i)].expiresAt, now: now) {
            _statistics.updates &+= 1
        } else {
            _statistics.expirations &+= 1
            _statistics.insertions &+= 1
        }
        _slab.nodes[Int(i)].value = value
        _slab.nodes[Int(i)].expiresAt = expiresAt
        _slab.touch(i)
        return .stored
    }

    /// Deletes expired entries among the `reclaimScanLimit` least recently used ones.
    @usableFromInline
    func _reclaimExpiredAtTail(now: Instant) -> Int {
        var removed = 0
        var scanned = 0
        var i = _slab.tail
        while i >= 0 && scanned < reclaimScanLimit {
            let prev = _slab.nodes[Int(i)].prev
            if !Self._isLive(expiresAt: _slab.nodes[Int(i)].expiresAt, now: now) {
                _slab.remove(at: i)
                removed += 1
            }
            scanned += 1
            i = prev
        }
        _statistics.expirations &+= removed
        return removed
    }

    /// Redis `DEL`: removes the key. Returns whether it was present and live (Redis counts
    /// only keys that existed; an expired key is deleted but not counted).
    /// - Complexity: O(1) expected.
    @inlinable
    @discardableResult
    public func delete(_ key: Key, now: Instant) -> Bool {
        guard let i = _slab.slot(of: key) else { return false }
        let live = Self._isLive(expiresAt: _slab.nodes[Int(i)].expiresAt, now: now)
        _slab.remove(at: i)
        if live { _statistics.removals &+= 1 } else { _statistics.expirations &+= 1 }
        return live
    }

    /// Redis `PTTL` in nanoseconds: `nil` if the key is missing or expired, `Int64.max` if it
    /// has no expiry, else `expiresAt - now` (0 at the instant of expiry, which is still a
    /// hit). Deletes the key if it has expired.
    @inlinable
    public func ttlRemaining(_ key: Key, now: Instant) -> Nanoseconds? {
        guard let i = _slab.slot(of: key) else { return nil }
        let expiresAt = _slab.nodes[Int(i)].expiresAt
        if !Self._isLive(expiresAt: expiresAt, now: now) {
            _slab.remove(at: i)
            _statistics.expirations &+= 1
            return nil
        }
        return expiresAt == Instant.max ? Int64.max : expiresAt - now
    }

    /// Deletes every expired key (Redis's active expiry, done completely). Returns how many.
    /// - Complexity: O(n); walks the recency list (deterministic order).
    @discardableResult
    public func purgeExpired(now: Instant) -> Int {
        let removed = _slab.removeExpired { Self._isLive(expiresAt: $0, now: now) }
        _statistics.expirations &+= removed
        return removed
    }

    /// Redis `FLUSHALL`. Counters are kept.
    public func removeAll() { _slab.removeAll() }

    /// Stored keys from most to least recently used (expired ones included). O(n).
    public func keysByRecency() -> [Key] { _slab.keysByRecency() }

    /// Checks the internal list/index/free-list invariants. O(n); for tests.
    public func checkInvariants() -> Bool { _slab.checkInvariants() }
}
