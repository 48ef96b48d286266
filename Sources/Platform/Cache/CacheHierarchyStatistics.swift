/// Request-level counters of a `CacheHierarchy` (the tiers keep their own
/// `CacheTierStatistics`).
public struct CacheHierarchyStatistics: Sendable, Equatable {
    /// Calls to `begin`.
    public var requests: Int = 0
    /// Requests answered by L1.
    public var l1Hits: Int = 0
    /// Loads answered by L2 (one per leader; joined requests are counted in `coalesced`).
    public var l2Hits: Int = 0
    /// Loads that went to L3 (`complete` calls).
    public var l3Loads: Int = 0
    /// Requests that joined an in-flight load instead of fetching.
    public var coalesced: Int = 0
    /// Answers that were a cached "not found" (from L1 or L2).
    public var negativeHits: Int = 0
    /// `invalidate` calls.
    public var invalidations: Int = 0
    /// L2 writes refused (full `.noEviction` L2).
    public var l2WritesRejected: Int = 0

    public init() {}
}
