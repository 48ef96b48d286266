/// Which requests share one in-flight load of a key.
public enum CacheCoalescing: Sendable, Equatable {
    /// No coalescing: every miss loads by itself (the seed's code as written).
    case none
    /// One load per key per replica (an in-process "singleflight").
    case perReplica
    /// One load per key across all replicas (a distributed lock around the load).
    case global
}

/// Settings of a `CacheHierarchy`.
///
/// Defaults are the numbers of the platform design this simulator models (its
/// `CacheHierarchy`): L1 `ttl=300`, L2 `setex(..., 3600, ...)`, and the load path writes
/// only Redis (`fillL1OnLoad = false`). Capacities, negative caching, jitter and coalescing
/// are not in the seed and default to off, except the L1 capacity, which an in-process
/// cache must have.
public struct CacheHierarchyConfiguration: Sendable, Equatable {
    /// L1 entries per replica (0 disables L1).
    public var l1Capacity: Int
    /// L1 time to live.
    public var l1TTL: Nanoseconds
    /// L2 time to live.
    public var l2TTL: Nanoseconds
    /// L2 key limit (`nil` = unbounded, Redis `maxmemory 0`).
    public var l2Capacity: Int?
    /// L2 behaviour at capacity.
    public var l2EvictionPolicy: SharedCacheEvictionPolicy
    /// Time to live of a cached "not found" in both tiers; `nil` = do not cache misses.
    public var negativeTTL: Nanoseconds?
    /// TTL jitter as a fraction of the TTL: a TTL `d` becomes `d + floor(d * fraction * u)`
    /// with `u` uniform in [0, 1), so it lies in `[d, d + d * fraction)`. 0 = no jitter.
    public var ttlJitterFraction: Double
    /// Seed of the jitter draws when the caller does not supply `u` (see `CacheHierarchy`).
    public var jitterSeed: UInt64
    /// Whether a load from L3 also writes the loading replica's L1 (the seed: no).
    public var fillL1OnLoad: Bool
    /// Request coalescing scope.
    public var coalescing: CacheCoalescing

    public init(l1Capacity: Int = 10_000,
                l1TTL: Nanoseconds = 300 * TimeUnit.second,
                l2TTL: Nanoseconds = 3_600 * TimeUnit.second,
                l2Capacity: Int? = nil,
                l2EvictionPolicy: SharedCacheEvictionPolicy = .allKeysLRU,
                negativeTTL: Nanoseconds? = nil,
                ttlJitterFraction: Double = 0,
                jitterSeed: UInt64 = 0,
                fillL1OnLoad: Bool = false,
                coalescing: CacheCoalescing = .none) {
        precondition(l1Capacity >= 0)
        precondition(l1TTL > 0 && l2TTL > 0)
        if let negativeTTL { precondition(negativeTTL > 0) }
        precondition(ttlJitterFraction >= 0 && ttlJitterFraction.isFinite)
        self.l1Capacity = l1Capacity
        self.l1TTL = l1TTL
        self.l2TTL = l2TTL
        self.l2Capacity = l2Capacity
        self.l2EvictionPolicy = l2EvictionPolicy
        self.negativeTTL = negativeTTL
        self.ttlJitterFraction = ttlJitterFraction
        self.jitterSeed = jitterSeed
        self.fillL1OnLoad = fillL1OnLoad
        self.coalescing = coalescing
    }

    /// The seed's hierarchy exactly as written: 300 s L1, 3600 s L2, no L1 fill on load,
    /// no negative caching, no coalescing, no jitter.
    public static var seed: CacheHierarchyConfiguration { CacheHierarchyConfiguration() }
}
