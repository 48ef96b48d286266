/// A tier of the cache hierarchy.
public enum CacheTier: UInt8, Sendable, Equatable, Comparable {
    /// The replica's in-process cache (`LRUCache`).
    case l1 = 1
    /// The shared Redis-like cache (`SharedCache`).
    case l2 = 2
    /// The loader behind the caches (the database).
    case l3 = 3

    public static func < (a: CacheTier, b: CacheTier) -> Bool { a.rawValue < b.rawValue }
}

/// What the caches store for a key: a value, or a remembered "not found" (negative caching).
public enum CachedValue<Value> {
    case found(Value)
    case notFound

    /// The value, or `nil` for a negative entry.
    @inlinable
    public var value: Value? {
        if case .found(let v) = self { return v }
        return nil
    }
}

extension CachedValue: Equatable where Value: Equatable {}
extension CachedValue: Sendable where Value: Sendable {}

/// How a request was finally served by the hierarchy, and what it wrote on the way.
public struct CacheLookup<Value> {
    /// The tier whose data answered the request (`.l3` = loaded from the database).
    public var servedBy: CacheTier
    /// The value, or `nil` if the key does not exist (`negative`).
    public var value: Value?
    /// The answer is "not found" (from a cached negative entry or from the loader).
    public var negative: Bool
    /// This request wrote the replica's L1.
    public var populatedL1: Bool
    /// This request wrote the L2 (false if L2 refused the write, see `SharedCache`).
    public var populatedL2: Bool
    /// This request did not fetch by itself: it joined another request's in-flight load.
    public var coalesced: Bool
    /// Requests that joined this load while it was in flight, in arrival order. They are
    /// answered now with the same data; `asCoalesced` is the lookup to hand each of them.
    public var waiters: [Int]

    @inlinable
    public init(servedBy: CacheTier, value: Value?, negative: Bool, populatedL1: Bool,
                populatedL2: Bool, coalesced: Bool = false, waiters: [Int] = []) {
        self.servedBy = servedBy
        self.value = value
        self.negative = negative
        self.populatedL1 = populatedL1
        self.populatedL2 = populatedL2
        self.coalesced = coalesced
        self.waiters = waiters
    }

    /// The lookup as seen by a request that joined this load: same data, `coalesced = true`,
    /// nothing populated by it, no waiters.
    @inlinable
    public var asCoalesced: CacheLookup<Value> {
        CacheLookup(servedBy: servedBy, value: value, negative: negative, populatedL1: false,
                    populatedL2: false, coalesced: true, waiters: [])
    }
}

extension CacheLookup: Equatable where Value: Equatable {}
extension CacheLookup: Sendable where Value: Sendable {}

/// The next step of a request in the non-blocking two-phase protocol of `CacheHierarchy`.
///
/// The hierarchy never waits: it tells the caller which tier to visit next, and the caller
/// (the simulator) models that tier's latency before calling back.
public enum CacheStep<Value> {
    /// Finished: the request is answered now.
    case served(CacheLookup<Value>)
    /// L1 missed: read L2 (after the L2 latency), then call `CacheHierarchy.resumeAfterL2`.
    case fetchL2
    /// L2 missed: run the loader (after the L3 latency), then call `CacheHierarchy.complete`.
    case fetchL3
    /// Another request for the same key is already loading it; this request is answered
    /// when that load completes (its id is then listed in `CacheLookup.waiters`).
    case joined
}

extension CacheStep: Equatable where Value: Equatable {}
extension CacheStep: Sendable where Value: Sendable {}
