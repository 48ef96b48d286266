/// Counters kept by one cache tier (`LRUCache` or `SharedCache`).
///
/// `hits + misses` is the number of `get` calls. An expired entry found by `get` counts as a
/// miss and as an expiration.
public struct CacheTierStatistics: Sendable, Equatable {
    public var hits: Int = 0
    public var misses: Int = 0
    /// Entries written that were not present (or had expired).
    public var insertions: Int = 0
    /// Writes that replaced a live entry.
    public var updates: Int = 0
    /// Entries removed to make room (capacity reached).
    public var evictions: Int = 0
    /// Entries removed because their TTL had passed (on access, on write, or by `purgeExpired`).
    public var expirations: Int = 0
    /// Entries removed by `remove` / `delete` (invalidation).
    public var removals: Int = 0
    /// Writes refused because the cache was full and its policy does not evict (`SharedCache`
    /// with `.noEviction`).
    public var rejectedWrites: Int = 0

    public init() {}

    /// `hits / (hits + misses)`, or 0 before the first `get`.
    public var hitRatio: Double {
        let total = hits + misses
        return total == 0 ? 0 : Double(hits) / Double(total)
    }
}
