/// The L1 cache of one service replica: least-recently-used eviction at a fixed capacity, and
/// a time-to-live per entry.
///
/// This is `self.local_cache` of `CacheHierarchy` in the platform design this simulator models:
/// an in-process map that the replica fills from Redis with `ttl=300`.
///
/// ## Expiry rule (L1)
/// An entry written at `t` with TTL `d` is live while `now < t + d`; **at `t + d` it is
/// expired** (a miss). This is the rule of Guava's `LocalCache.isExpired`
/// (google/guava `guava/src/com/google/common/cache/LocalCache.java`:
/// `now - entry.getWriteTime() >= expireAfterWriteNanos`), the usual in-process JVM cache.
/// Note that the L2 (`SharedCache`) follows Redis instead, where the instant of expiry is
/// still a hit.
///
/// ## Eviction
/// Writing a new key into a full cache evicts the least recently used entry (the tail of the
/// recency list), whether or not it has expired. `get` and `set` mark an entry as most
/// recently used; `peek` does not. Expired entries are removed lazily when `get`/`peek`/`set`
/// meet them, or in bulk by `purgeExpired(now:)`.
///
/// ## Cost
/// `get`, `set`, `remove`: O(1) expected (one hash lookup plus constant list work). Once the
/// cache has held `capacity` entries, they do not allocate.
///
/// Not thread-safe: one owner (one simulated replica) uses it.
public final class LRUCache<Key: Hashable, Value> {
    // One owner, no reentrancy: skip the dynamic exclusivity checks on the hot storage.
    @exclusivity(unchecked) @usableFromInline var _slab: _CacheSlab<Key, Value>

    /// Maximum number of entries; 0 disables the cache (every `set` is dropped).
    public let capacity: Int
    /// TTL used by `set` when no TTL is passed.
    public let defaultTTL: Nanoseconds
    @exclusivity(unchecked) @usableFromInline var _statistics = CacheTierStatistics()
    /// Hit/miss/eviction counters.
    public var statistics: CacheTierStatistics { _statistics }

    /// - Parameters:
    ///   - capacity: maximum number of entries (>= 0).
    ///   - ttl: default time to live (> 0), e.g. `300 * TimeUnit.second` for the seed's L1.
    public init(capacity: Int, ttl: Nanoseconds) {
        precondition(capacity >= 0, "capacity must be >= 0")
        precondition(ttl > 0, "ttl must be > 0")
        self.capacity = capacity
        self.defaultTTL = ttl
        self._slab = _CacheSlab(reserving: capacity)
    }

    /// Number of stored entries, including expired ones not yet removed.
    public var count: Int { _slab.count }

    /// The L1 liveness rule: live while `now < expiresAt`.
    @inlinable @inline(__always)
    static func _isLive(expiresAt: Instant, now: Instant) -> Bool { now < expiresAt }

    /// Looks `key` up and marks it most recently used.
    ///
    /// Returns `nil` when the key is absent or expired; an expired entry is removed.
    /// - Complexity: O(1) expected; no allocation.
    @inlinable
    public func get(_ key: Key, now: Instant) -> Value? {
        _slab.get(key, isLive: { Self._isLive(expiresAt: $0, now: now) }, statistics: &_statistics)
    }

    /// Like `get` but leaves recency and hit/miss counters unchanged (an expired entry is
    /// still removed).
    /// - Complexity: O(1) expected.
    @inlinable
    public func peek(_ key: Key, now: Instant) -> Value? {
        guard let i = _slab.slot(of: key) else { return nil }
        if !Self._isLive(expiresAt: _slab.nodes[Int(i)].expiresAt, now: now) {
            _slab.remove(at: i)
            _statistics.expirations &+= 1
            return nil
        }
        return _slab.nodes[Int(i)].value
    }

    /// Stores `value` under `key`, live until `now + ttl` (exclusive), and marks it most
    /// recently used. Overwriting a key replaces its value and its expiry.
    ///
    /// - Parameter ttl: time to live (> 0); `nil` uses `defaultTTL`.
    /// - Returns: the key evicted to make room, if any.
    /// - Complexity: O(1) expected; no allocation once the cache has been full.
    @inlinable
    @discardableResult
    public func set(_ key: Key, _ value: Value, now: Instant, ttl: Nanoseconds? = nil) -> Key? {
        let ttl = ttl ?? defaultTTL
        precondition(ttl > 0, "ttl must be > 0")
        let expiresAt = _cacheDeadline(now, ttl)
        if capacity == 0 { return nil }
        let full = _slab.count >= capacity
        let victim: Int32 = full ? _slab.tail : -1
        let victimKey: Key? = full ? _slab.nodes[Int(victim)].key : nil
        let (i, inserted) = _slab.insertOrFind(key, value, expiresAt: expiresAt, victim: victim)
        if inserted {
            _statistics.insertions &+= 1
            if full { _statistics.evictions &+= 1 }
            return victimKey
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
        return nil
    }

    /// Deletes `key` (invalidation). Returns whether an entry (live or expired) was present.
    /// - Complexity: O(1) expected.
    @inlinable
    @discardableResult
    public func remove(_ key: Key) -> Bool {
        guard let i = _slab.slot(of: key) else { return false }
        _slab.remove(at: i)
        _statistics.removals &+= 1
        return true
    }

    /// The instant at which `key`'s entry expires (first instant it is a miss), if stored.
    @inlinable
    public func expiry(of key: Key) -> Instant? {
        guard let i = _slab.slot(of: key) else { return nil }
        return _slab.nodes[Int(i)].expiresAt
    }

    /// Removes every expired entry. Returns how many were removed.
    /// - Complexity: O(n); walks the recency list, so the result does not depend on hashing.
    @discardableResult
    public func purgeExpired(now: Instant) -> Int {
        let removed = _slab.removeExpired { Self._isLive(expiresAt: $0, now: now) }
        _statistics.expirations &+= removed
        return removed
    }

    /// Drops every entry (a replica restart). Counters are kept.
    public func removeAll() { _slab.removeAll() }

    /// Stored keys from most to least recently used (expired ones included). O(n); for
    /// tests and reports.
    public func keysByRecency() -> [Key] { _slab.keysByRecency() }

    /// Checks the internal list/index/free-list invariants. O(n); for tests.
    public func checkInvariants() -> Bool { _slab.checkInvariants() }
}
