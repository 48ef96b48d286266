/// Slot storage shared by `LRUCache` (L1) and `SharedCache` (L2): an intrusive doubly linked
/// recency list threaded through array slots, plus a key -> slot dictionary.
///
/// Why this shape: every operation the caches need (lookup, move-to-front, insert, evict the
/// least recently used entry, delete) is O(1), and once the slot array and the dictionary have
/// grown to the cache's capacity no operation allocates: freed slots are reused through a free
/// list threaded through `next`, and `Dictionary` keeps its storage when keys are removed.
///
/// A freed slot keeps its last key and value until it is reused (the slab stores them
/// unwrapped, so there is nothing to clear them to); memory stays bounded by the capacity.
///
/// Links are `Int32` (-1 = none), which bounds a cache to 2^31 - 1 entries.
@usableFromInline
internal struct _CacheSlab<Key: Hashable, Value> {
    @usableFromInline
    internal struct Node {
        @usableFromInline var key: Key
        @usableFromInline var value: Value
        @usableFromInline var expiresAt: Instant
        @usableFromInline var prev: Int32
        @usableFromInline var next: Int32

        @inlinable
        init(key: Key, value: Value, expiresAt: Instant, prev: Int32, next: Int32) {
            self.key = key
            self.value = value
            self.expiresAt = expiresAt
            self.prev = prev
            self.next = next
        }
    }

    @usableFromInline var nodes: ContiguousArray<Node>
    @usableFromInline var index: [Key: Int32]
    /// Most recently used slot, or -1.
    @usableFromInline var head: Int32
    /// Least recently used slot, or -1.
    @usableFromInline var tail: Int32
    /// First free slot (free slots are chained through `next`), or -1.
    @usableFromInline var free: Int32
    @usableFromInline var count: Int

    @inlinable
    init(reserving capacity: Int) {
        nodes = []
        nodes.reserveCapacity(capacity)
        index = [:]
        // Headroom: `insertOrFind` inserts the new key before it removes the victim's (+1),
        // and a lower load factor shortens the probe runs that a deletion must re-hash
        // (Swift's Dictionary deletes by backward shift). 1.5x keeps the table at most
        // half full without changing its power-of-two size for large capacities.
        index.reserveCapacity(capacity == 0 ? 0 : capacity + capacity / 2 + 1)
        head = -1
        tail = -1
        free = -1
        count = 0
    }

    @inlinable @inline(__always)
    func slot(of key: Key) -> Int32? { index[key] }

    @inlinable @inline(__always)
    mutating func unlink(_ i: Int32) {
        let p = nodes[Int(i)].prev
        let n = nodes[Int(i)].next
        if p >= 0 { nodes[Int(p)].next = n } else { head = n }
        if n >= 0 { nodes[Int(n)].prev = p } else { tail = p }
    }

    @inlinable @inline(__always)
    mutating func linkAtHead(_ i: Int32) {
        nodes[Int(i)].prev = -1
        nodes[Int(i)].next = head
        if head >= 0 { nodes[Int(head)].prev = i } else { tail = i }
        head = i
    }

    /// Marks slot `i` as the most recently used.
    @inlinable @inline(__always)
    mutating func touch(_ i: Int32) {
        if head != i {
            unlink(i)
            linkAtHead(i)
        }
    }

    /// Finds `key` or inserts it as the most recently used entry, with one hash probe for
    /// both. When inserting and `victim >= 0`, the victim's entry is dropped and its slot
    /// reused (eviction); otherwise a free slot is reused or a new one appended.
    /// - Returns: the key's slot and whether it was inserted (if not, nothing was changed).
    @inlinable
    mutating func insertOrFind(_ key: Key, _ value: Value, expiresAt: Instant,
                               victim: Int32) -> (slot: Int32, inserted: Bool) {
        let candidate: Int32
        if victim >= 0 {
            candidate = victim
        } else if free >= 0 {
            candidate = free
        } else {
            precondition(nodes.count < Int(Int32.max), "cache exceeds 2^31 - 1 entries")
            candidate = Int32(truncatingIfNeeded: nodes.count)
        }
        var inserted = false
        let slot = _cacheClaim(&index[key, default: -1], candidate, &inserted)
        guard inserted else { return (slot, false) }
        if victim >= 0 {
            unlink(victim)
            index.removeValue(forKey: nodes[Int(victim)].key)
            nodes[Int(victim)].key = key
            nodes[Int(victim)].value = value
            nodes[Int(victim)].expiresAt = expiresAt
        } else {
            if free >= 0 {
                free = nodes[Int(candidate)].next
                nodes[Int(candidate)].key = key
                nodes[Int(candidate)].value = value
                nodes[Int(candidate)].expiresAt = expiresAt
            } else {
                nodes.append(Node(key: key, value: value, expiresAt: expiresAt, prev: -1, next: -1))
            }
            count += 1
        }
        linkAtHead(candidate)
        return (candidate, true)
    }

    /// Removes slot `i` from the list and the index and puts it on the free list.
    @inlinable
    mutating func remove(at i: Int32) {
        unlink(i)
        index.removeValue(forKey: nodes[Int(i)].key)
        nodes[Int(i)].prev = -2  // marks a free slot (used only by invariant checks)
        nodes[Int(i)].next = free
        free = i
        count -= 1
    }

    /// A counted read for both tiers (they differ only in `isLive`): the live entry's value,
    /// moved to the front; an expired entry is removed and counts as a miss and an expiration.
    /// - Complexity: O(1) expected; no allocation.
    @inlinable
    mutating func get(_ key: Key, isLive: (_ expiresAt: Instant) -> Bool, statistics: inout CacheTierStatistics) -> Value? {
        guard let i = slot(of: key) else {
            statistics.misses &+= 1
            return nil
        }
        if !isLive(nodes[Int(i)].expiresAt) {
            remove(at: i)
            statistics.expirations &+= 1
            statistics.misses &+= 1
            return nil
        }
        touch(i)
        statistics.hits &+= 1
        return nodes[Int(i)].value
    }

    /// Removes every entry `isLive` rejects, walking from least to most recently used (an
    /// order independent of hashing). Returns how many were removed. - Complexity: O(n).
    @inlinable
    mutating func removeExpired(isLive: (_ expiresAt: Instant) -> Bool) -> Int {
        var removed = 0
        var i = tail
        while i >= 0 {
            let prev = nodes[Int(i)].prev
            if !isLive(nodes[Int(i)].expiresAt) {
                remove(at: i)
                removed += 1
            }
            i = prev
        }
        return removed
    }

    /// Keys from most to least recently used.
    @inlinable
    func keysByRecency() -> [Key] {
        var out: [Key] = []
        out.reserveCapacity(count)
        var i = head
        while i >= 0 {
            out.append(nodes[Int(i)].key)
            i = nodes[Int(i)].next
        }
        return out
    }

    /// Empties the cache but keeps the allocated storage.
    @inlinable
    mutating func removeAll() {
        nodes.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        head = -1
        tail = -1
        free = -1
        count = 0
    }

    /// Walks the list and the free list and checks that they partition the slots consistently.
    /// For tests; O(n).
    func checkInvariants() -> Bool {
        var seen = 0
        var prev: Int32 = -1
        var i = head
        while i >= 0 {
            if nodes[Int(i)].prev != prev { return false }
            if index[nodes[Int(i)].key] != i { return false }
            prev = i
            i = nodes[Int(i)].next
            seen += 1
            if seen > nodes.count { return false }
        }
        if prev != tail || seen != count || index.count != count { return false }
        var freeCount = 0
        i = free
        while i >= 0 {
            if nodes[Int(i)].prev != -2 { return false }
            i = nodes[Int(i)].next
            freeCount += 1
            if freeCount > nodes.count { return false }
        }
        return freeCount + count == nodes.count
    }
}

/// Stores `candidate` into a freshly defaulted (-1) dictionary slot; leaves an existing one.
@inlinable @inline(__always)
internal func _cacheClaim(_ slot: inout Int32, _ candidate: Int32, _ inserted: inout Bool) -> Int32 {
    if slot < 0 {
        slot = candidate
        inserted = true
    }
    return slot
}

/// `now + ttl`, saturating at `Instant.max` so a huge TTL means "never".
@inlinable @inline(__always)
internal func _cacheDeadline(_ now: Instant, _ ttl: Nanoseconds) -> Instant {
    let (sum, overflow) = now.addingReportingOverflow(ttl)
    return overflow ? Instant.max : sum
}
