import CapsimTestSupport
import Testing
import Platform

typealias CacheTestRNG = SplitMix64

/// Brute-force reference: an array ordered most- to least-recently used, scanned linearly.
/// Independent of the slab/linked-list implementation under test.
struct CacheReferenceLRU {
    var entries: [(key: Int, value: Int, expiresAt: Int64)] = []
    let capacity: Int
    /// true: live while now < expiresAt (L1); false: live while now <= expiresAt (Redis).
    let exclusiveExpiry: Bool

    func live(_ expiresAt: Int64, _ now: Int64) -> Bool {
        exclusiveExpiry ? now < expiresAt : now <= expiresAt
    }

    mutating func get(_ key: Int, now: Int64) -> Int? {
        guard let i = entries.firstIndex(where: { $0.key == key }) else { return nil }
        let e = entries.remove(at: i)
        if !live(e.expiresAt, now) { return nil }
        entries.insert(e, at: 0)
        return e.value
    }

    mutating func peek(_ key: Int, now: Int64) -> Int? {
        guard let i = entries.firstIndex(where: { $0.key == key }) else { return nil }
        if !live(entries[i].expiresAt, now) {
            entries.remove(at: i)
            return nil
        }
        return entries[i].value
    }

    /// Returns the evicted key (LRU victim), if any.
    mutating func set(_ key: Int, _ value: Int, expiresAt: Int64) -> Int? {
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries.remove(at: i)
            entries.insert((key, value, expiresAt), at: 0)
            return nil
        }
        if capacity == 0 { return nil }
        var evicted: Int? = nil
        if entries.count >= capacity { evicted = entries.removeLast().key }
        entries.insert((key, value, expiresAt), at: 0)
        return evicted
    }

    mutating func remove(_ key: Int) -> Bool {
        guard let i = entries.firstIndex(where: { $0.key == key }) else { return false }
        entries.remove(at: i)
        return true
    }

    mutating func purge(now: Int64) -> Int {
        let before = entries.count
        let exclusive = exclusiveExpiry
        entries.removeAll { exclusive ? now >= $0.expiresAt : now > $0.expiresAt }
        return before - entries.count
    }
}
