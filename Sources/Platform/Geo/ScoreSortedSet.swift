/// A sorted set of `(score, member)` pairs with a member -> score map: the storage of a Redis geo key
/// (redis `src/t_zset.c`: a skiplist ordered by score, then by member, plus a dict from member to score).
///
/// Layout: a bucketed sorted array (a two-level B-tree): `buckets` are sorted runs of at most
/// `maxBucketCount` entries, each non-empty, in global `(score, member)` order; `lastScores[i]` mirrors
/// the score of the last entry of `buckets[i]` in a flat array so that locating a bucket is a binary search
/// over contiguous memory. Full buckets split in half; buckets that fall below a quarter merge with a
/// neighbour, so there are at most about `4n / maxBucketCount` buckets.
///
/// Order among equal scores follows `Member`'s `<`. Redis orders equal scores by the member's bytes
/// (`sdscmp`); for ASCII `String` members the two agree. For `Int` members the order is numeric, which
/// Redis would not use for the decimal strings of the same ids; this only matters for members whose
/// positions fall in the same 0.6 m cell.
///
/// - Complexity: with `n` members and bucket size `B` = `maxBucketCount`: insert, remove and move are
///   O(log n + B) (two binary searches, a `memmove` inside one bucket, a hash-map update), plus an
///   amortised O(n / B^2) for splitting/merging buckets; point lookups O(1) expected (hash map); a range
///   scan O(log n + k) for k entries in the range.
public struct ScoreSortedSet<Member: Hashable & Comparable> {
    @usableFromInline
    struct Entry {
        @usableFromInline var score: UInt64
        @usableFromInline var member: Member

        @inlinable @inline(__always)
        init(score: UInt64, member: Member) {
            self.score = score
            self.member = member
        }

        /// `(score, member)` order.
        @inlinable @inline(__always)
        func precedes(_ score: UInt64, _ member: Member) -> Bool {
            self.score < score || (self.score == score && self.member < member)
        }
    }

    /// Entries per bucket before a split: 512 x 16 bytes for `Int` members keeps a bucket's insert
    /// `memmove` within a few cache-resident kilobytes.
    public static var maxBucketCount: Int { 512 }

    @usableFromInline var buckets: [[Entry]] = []
    @usableFromInline var lastScores: [UInt64] = []
    @usableFromInline var scores: [Member: UInt64] = [:]

    @inlinable
    public init() {}

    /// Number of members (`ZCARD`).
    @inlinable
    public var count: Int { scores.count }

    @inlinable
    public var isEmpty: Bool { scores.isEmpty }

    /// The member's score (`ZSCORE`). O(1) expected.
    @inlinable
    public func score(of member: Member) -> UInt64? { scores[member] }

    /// Sets the member's score (`ZADD` without flags): returns true if the member was new. An unchanged
    /// score leaves the structure untouched.
    ///
    /// - Complexity: O(log n + B) plus amortised O(n / B^2).
    @inlinable
    @discardableResult
    public mutating func set(_ member: Member, score: UInt64) -> Bool {
        if let old = scores.updateValue(score, forKey: member) {
            if old != score {
                removeEntry(score: old, member: member)
                insertEntry(Entry(score: score, member: member))
            }
            return false
        }
        insertEntry(Entry(score: score, member: member))
        return true
    }

    /// Removes the member (`ZREM`); returns whether it was present.
    ///
    /// - Complexity: O(log n + B) plus amortised O(n / B^2).
    @inlinable
    @discardableResult
    public mutating func remove(_ member: Member) -> Bool {
        guard let old = scores.removeValue(forKey: member) else { return false }
        removeEntry(score: old, member: member)
        return true
    }

    /// Removes every member, keeping allocated capacity.
    @inlinable
    public mutating func removeAll() {
        buckets.removeAll(keepingCapacity: true)
        lastScores.removeAll(keepingCapacity: true)
        scores.removeAll(keepingCapacity: true)
    }

    /// Calls `body` for each entry with `min <= score < max`, in `(score, member)` order, until it
    /// returns false. Returns false if `body` stopped the scan.
    ///
    /// - Complexity: O(log n + k) for k entries visited.
    @inlinable
    @discardableResult
    public func forEach(scoreFrom min: UInt64, below max: UInt64,
                        _ body: (_ score: UInt64, _ member: Member) -> Bool) -> Bool {
        var b = firstBucket(withLastScoreAtLeast: min)
        let bucketCount = buckets.count
        if b == bucketCount { return true }
        var start = buckets[b].withUnsafeBufferPointer { Self.lowerBound($0, score: min) }
        while b < bucketCount {
            // 0: bucket exhausted, 1: past the range, 2: stopped by `body`.
            let outcome: Int = buckets[b].withUnsafeBufferPointer { entries in
                var i = start
                while i < entries.count {
                    let e = entries[i]
                    if e.score >= max { return 1 }
                    if !body(e.score, e.member) { return 2 }
                    i &+= 1
                }
                return 0
            }
            if outcome == 1 { return true }
            if outcome == 2 { return false }
            b &+= 1
            start = 0
        }
        return true
    }

    /// All entries in `(score, member)` order (for tests and snapshots). O(n).
    public var entries: [(score: UInt64, member: Member)] {
        var out: [(score: UInt64, member: Member)] = []
        out.reserveCapacity(count)
        for bucket in buckets { for e in bucket { out.append((e.score, e.member)) } }
        return out
    }

    /// Checks the structural invariants; for tests. O(n).
    public func checkInvariants() -> Bool {
        guard buckets.count == lastScores.count else { return false }
        var total = 0
        var previous: Entry?
        for (i, bucket) in buckets.enumerated() {
            if bucket.isEmpty || bucket.count > Self.maxBucketCount { return false }
            if lastScores[i] != bucket[bucket.count - 1].score { return false }
            for e in bucket {
                if let p = previous, !p.precedes(e.score, e.member) { return false }
                if scores[e.member] != e.score { return false }
                previous = e
            }
            total += bucket.count
        }
        return total == scores.count
    }

    // MARK: - internals

    /// The first bucket whose last score is >= `score`, or `buckets.count`.
    @inlinable @inline(__always)
    func firstBucket(withLastScoreAtLeast score: UInt64) -> Int {
        lastScores.withUnsafeBufferPointer { last in
            var lo = 0
            var hi = last.count
            while lo < hi {
                let mid = (lo &+ hi) >> 1
                if last[mid] < score { lo = mid &+ 1 } else { hi = mid }
            }
            return lo
        }
    }

    /// The first bucket whose last entry is >= `(score, member)`, or `buckets.count`.
    @inlinable @inline(__always)
    func firstBucket(withLastAtLeast score: UInt64, _ member: Member) -> Int {
        var lo = 0
        var hi = lastScores.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            let s = lastScores[mid]
            let before = s < score || (s == score && buckets[mid][buckets[mid].count &- 1].member < member)
            if before { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    @inlinable @inline(__always)
    static func lowerBound(_ entries: UnsafeBufferPointer<Entry>, score: UInt64) -> Int {
        var lo = 0
        var hi = entries.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if entries[mid].score < score { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    @inlinable @inline(__always)
    static func lowerBound(_ entries: UnsafeBufferPointer<Entry>, score: UInt64, member: Member) -> Int {
        var lo = 0
        var hi = entries.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if entries[mid].precedes(score, member) { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    @inlinable
    mutating func insertEntry(_ entry: Entry) {
        if buckets.isEmpty {
            var first: [Entry] = []
            first.reserveCapacity(Self.maxBucketCount + 1)
            first.append(entry)
            buckets.append(first)
            lastScores.append(entry.score)
            return
        }
        var b = firstBucket(withLastAtLeast: entry.score, entry.member)
        if b == buckets.count { b -= 1 }
        let position = buckets[b].withUnsafeBufferPointer {
            Self.lowerBound($0, score: entry.score, member: entry.member)
        }
        buckets[b].insert(entry, at: position)
        let n = buckets[b].count
        lastScores[b] = buckets[b][n - 1].score
        if n > Self.maxBucketCount {
            let half = n / 2
            var upper: [Entry] = []
            upper.reserveCapacity(Self.maxBucketCount + 1)
            upper.append(contentsOf: buckets[b][half...])
            buckets[b].removeSubrange(half...)
            lastScores[b] = buckets[b][half - 1].score
            buckets.insert(upper, at: b + 1)
            lastScores.insert(upper[upper.count - 1].score, at: b + 1)
        }
    }

    @inlinable
    mutating func removeEntry(score: UInt64, member: Member) {
        let b = firstBucket(withLastAtLeast: score, member)
        precondition(b < buckets.count, "ScoreSortedSet: entry missing from the ordered index")
        let position = buckets[b].withUnsafeBufferPointer {
            Self.lowerBound($0, score: score, member: member)
        }
        precondition(position < buckets[b].count && buckets[b][position].score == score
                     && buckets[b][position].member == member, "ScoreSortedSet: entry missing")
        buckets[b].remove(at: position)
        let n = buckets[b].count
        if n == 0 {
            buckets.remove(at: b)
            lastScores.remove(at: b)
            return
        }
        lastScores[b] = buckets[b][n - 1].score
        if n < Self.maxBucketCount / 4 && buckets.count > 1 {
            // Merge into the smaller neighbour when the result fits: keeps buckets >= B/4 on average.
            let left = b > 0 ? buckets[b - 1].count : Int.max
            let right = b + 1 < buckets.count ? buckets[b + 1].count : Int.max
            let into = left <= right ? b - 1 : b + 1
            if min(left, right) + n <= Self.maxBucketCount {
                let lower = min(into, b)
                let moved = buckets.remove(at: lower + 1)
                buckets[lower].append(contentsOf: moved)
                lastScores.remove(at: lower + 1)
                lastScores[lower] = buckets[lower][buckets[lower].count - 1].score
            }
        }
    }
}

extension ScoreSortedSet.Entry: Sendable where Member: Sendable {}
extension ScoreSortedSet: Sendable where Member: Sendable {}

extension ScoreSortedSet {
    /// Reserves room in the member -> score map for `n` members.
    @inlinable
    public mutating func reserveCapacity(_ n: Int) { scores.reserveCapacity(n) }
}
