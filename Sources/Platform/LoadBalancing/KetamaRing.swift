/// NGINX's consistent-hash ring (`hash $key consistent`), a ketama ring built with CRC-32.
///
/// Source: nginx/nginx `src/http/modules/ngx_http_upstream_hash_module.c`,
/// `ngx_http_upstream_init_chash` / `ngx_http_upstream_find_chash_point` (compatible with
/// Cache::Memcached::Fast):
/// - the `server` string splits into host and port at a final `:digits` (a `unix:` prefix
///   is dropped and there is no port);
/// - `base = crc32_update(init, host "\0" port)`; for `j` in `0..<160*weight`:
///   `point_j = crc32_final(crc32_update(base, prev))`, `prev` = the previous point as 4
///   little-endian bytes (0 at first);
/// - all points are sorted by hash, and of equal hashes only the first is kept (glibc's
///   stable `qsort`: the earlier backend in membership order wins the collision);
/// - a key goes to the first point whose hash is >= `crc32(key)`, wrapping to point 0.
/// The ring stores membership slots; the balancer rebuilds it when membership changes.
public struct KetamaRing: Sendable {
    /// Sorted, de-duplicated point hashes.
    public private(set) var hashes: [UInt32] = []
    /// Membership slot owning each point.
    @usableFromInline var owners: [Int32] = []
    /// `buckets[b]` = index of the first point with `hash >> shift >= b`, for b in 0...2^bits:
    /// narrows NGINX's binary search to the ~2 points of one bucket (same answer, fewer cache misses).
    @usableFromInline var buckets: [Int32] = []
    @usableFromInline var shift: UInt32 = 32

    public init() {}

    /// Point hashes for one `server` string of `weight` (160 per weight unit), in generation order.
    public static func points(server: String, weight: Int) -> [UInt32] {
        let bytes = Array(server.utf8)
        var host = bytes[...]
        var port: ArraySlice<UInt8> = []
        if bytes.count >= 5, bytes[0..<5].map({ $0 | 0x20 }) == Array("unix:".utf8) {
            host = bytes[5...]
        } else {
            var j = 0
            while j < bytes.count {
                let c = bytes[bytes.count - j - 1]
                if c == UInt8(ascii: ":") {
                    host = bytes[0..<(bytes.count - j - 1)]
                    port = bytes[(bytes.count - j)...]
                    break
                }
                if c < UInt8(ascii: "0") || c > UInt8(ascii: "9") { break }
                j += 1
            }
        }
        var base = NginxCRC32.update(NginxCRC32.initial, bytes: host)
        base = NginxCRC32.update(base, bytes: CollectionOfOne(UInt8(0)))
        base = NginxCRC32.update(base, bytes: port)
        var out: [UInt32] = []
        out.reserveCapacity(160 * weight)
        var prev: UInt32 = 0
        for _ in 0..<(160 * weight) {
            let h = withUnsafeBytes(of: prev.littleEndian) { NginxCRC32.finalize(NginxCRC32.update(base, $0)) }
            out.append(h)
            prev = h
        }
        return out
    }

    /// Builds the ring from each slot's points (`pointsPerSlot[slot]`).
    public init(pointsPerSlot: [[UInt32]]) {
        // Sort (hash, slot) packed in one UInt64: the order glibc's stable merge-sort qsort
        // leaves equal hashes in (membership order); equal hashes of one slot are one point.
        var keys: [UInt64] = []
        keys.reserveCapacity(pointsPerSlot.reduce(0) { $0 + $1.count })
        for (slot, pts) in pointsPerSlot.enumerated() {
            for h in pts { keys.append(UInt64(h) << 32 | UInt64(slot)) }
        }
        keys.sort()
        hashes.reserveCapacity(keys.count)
        owners.reserveCapacity(keys.count)
        for k in keys {
            let h = UInt32(truncatingIfNeeded: k >> 32)
            let o = Int32(truncatingIfNeeded: k)
            if hashes.last == h {
                if owners.last != o { shadowed += 1 }
                continue
            }
            hashes.append(h)
            owners.append(o)
        }
        rebuildBuckets()
    }

    /// Points dropped because an earlier slot owns the same hash. While it is 0, removing a slot
    /// can simply drop its points; otherwise a hidden point may reappear and the ring is rebuilt.
    @usableFromInline var shadowed = 0

    /// Adds the points of a new last slot by merging (O(points)), as a full rebuild would place them.
    public mutating func append(slot: Int, points: [UInt32]) {
        let new = points.sorted()
        var h2: [UInt32] = []
        var o2: [Int32] = []
        h2.reserveCapacity(hashes.count + new.count)
        o2.reserveCapacity(hashes.count + new.count)
        var i = 0
        var j = 0
        let s = Int32(slot)
        while i < hashes.count || j < new.count {
            if j == new.count || (i < hashes.count && hashes[i] <= new[j]) {
                if i < hashes.count && j < new.count && hashes[i] == new[j] {
                    shadowed += 1   // the earlier slot keeps the point
                    j += 1
                    continue
                }
                h2.append(hashes[i])
                o2.append(owners[i])
                i += 1
            } else {
                if h2.last == new[j] { j += 1; continue }   // repeated hash within the new slot
                h2.append(new[j])
                o2.append(s)
                j += 1
            }
        }
        hashes = h2
        owners = o2
        rebuildBuckets()
    }

    /// Drops the points of `slot` and renumbers later slots; returns false (and changes nothing)
    /// when a shadowed point could reappear, in which case the caller rebuilds.
    public mutating func remove(slot: Int) -> Bool {
        guard shadowed == 0 else { return false }
        let s = Int32(slot)
        var w = 0
        for r in 0..<hashes.count where owners[r] != s {
            hashes[w] = hashes[r]
            owners[w] = owners[r] > s ? owners[r] - 1 : owners[r]
            w += 1
        }
        hashes.removeLast(hashes.count - w)
        owners.removeLast(owners.count - w)
        rebuildBuckets()
        return true
    }

    mutating func rebuildBuckets() {
        var bits: UInt32 = 1
        while bits < 16 && (1 << (bits + 1)) <= hashes.count { bits += 1 }
        shift = 32 - bits
        let nb = 1 << Int(bits)
        buckets = [Int32](repeating: 0, count: nb + 1)
        var i = 0
        for b in 0...nb {
            while i < hashes.count && Int(hashes[i] >> shift) < b { i += 1 }
            buckets[b] = Int32(i)
        }
    }

    /// Number of points after de-duplication.
    public var count: Int { hashes.count }

    /// Membership slot owning point `index % count`.
    @inlinable @inline(__always)
    public func owner(ofPoint index: Int) -> Int { Int(owners[index % owners.count]) }

    /// `ngx_http_upstream_find_chash_point`: index of the first point >= `hash` (may equal `count`).
    /// - Complexity: O(1) expected (bucket index, then a binary search inside the bucket).
    @inlinable
    public func firstPoint(atOrAfter hash: UInt32) -> Int {
        if hashes.isEmpty { return 0 }
        let b = Int(hash >> shift)
        var i = Int(buckets[b])
        var j = Int(buckets[b + 1])
        return hashes.withUnsafeBufferPointer { p in
            while i < j {
                let k = (i + j) / 2
                if hash > p[k] { i = k + 1 } else if hash < p[k] { j = k } else { return k }
            }
            return i
        }
    }
}
