/// Sticky routing by key: NGINX `hash $key consistent` (ketama ring over CRC-32), with HAProxy's
/// optional bounded-load rule (`hash-balance-factor`, Mirrokni, Thorup and Zadimoghaddam,
/// "Consistent Hashing with Bounded Loads", arXiv:1608.01350).
///
/// **Without a balance factor** this is `ngx_http_upstream_get_chash_peer`
/// (nginx/nginx `src/http/modules/ngx_http_upstream_hash_module.c`): start at the first ring
/// point >= `crc32(key)` (see ``KetamaRing``); if that point's backend is unavailable (down,
/// failed within `fail_timeout`, at `max_conns`) move to the next point; after 20 unsuccessful
/// moves fall back to round robin over all backends (``RoundRobinBalancer``'s rule). With a
/// single member NGINX uses round robin directly, and so it does when the request's key is empty
/// (`hp->key.len == 0`: a missing cookie or `$arg_`): ``choose(key:now:)`` and
/// ``choose(optionalKeyHash:now:)`` (nil = no key) take that path, on the same smooth weighted
/// round-robin state the ring picks share. Picking a backend through a point applies
/// NGINX's one-peer smooth-weighted step (restores `effective_weight` by one) and refreshes
/// `checked`, as NGINX does.
///
/// **With `hashBalanceFactor` f > 100**, a point's backend is also skipped while it is full,
/// by HAProxy's `chash_server_is_eligible` (haproxy/haproxy `src/lb_chash.c`):
/// ```
/// tot_slots = ((served + 1) * f + 99) / 100          // served: open connections, all members
/// q = tot_slots / W, r = tot_slots % W               // W: total weight of members not down
/// slots = w*q + ((C + w) * r) / W - (C * r) / W      // C: weight of earlier members not down
/// eligible = conns < max(slots, 1)
/// ```
/// so no backend exceeds `ceil(f/100 * (served + 1) * w / W)`, which for equal weights is
/// Mirrokni's `ceil((1 + eps) * m / n)` with `eps = f/100 - 1`, `m = served + 1`. The walk then
/// visits up to every point once (HAProxy walks the whole tree) before the round-robin fallback;
/// since the slots add up to at least `served + 1`, some backend not down always has room.
///
/// Keys are CRC-32 hashes: ``keyHash(_:)`` hashes a string (a cookie or `$arg_` value) exactly as
/// NGINX hashes `$key`, ``keyHash(decimal:)`` the decimal text of an integer id, without allocating.
/// Membership changes update the ring in O(P), P = 160 x total weight points (a merge on add; on
/// remove a filter, or a full O(P log P) rebuild if a 32-bit point collision hid another backend's
/// point); health changes do not touch it (NGINX walks past down peers).
public final class ConsistentHashBalancer: LoadBalancer {
    // Unchecked: accesses to the table are single calls that never overlap (see
    // LeastConnectionsBalancer); the dynamic check costs ~10 ns per access.
    @exclusivity(unchecked) @usableFromInline var table = _PeerTable()
    @usableFromInline var ring = KetamaRing()
    @usableFromInline var pointCache: [[UInt32]] = []
    /// HAProxy `hash-balance-factor` (0 = unbounded).
    public let hashBalanceFactor: Int
    /// Per slot: total weight of earlier members that are not down (HAProxy `cumulative_weight`).
    @usableFromInline var cumulativeWeight: [Int] = []
    /// Total weight of members not down (HAProxy `lbprm.tot_weight`).
    @usableFromInline var usableWeight: Int = 0

    /// - Parameter hashBalanceFactor: 0 (NGINX, no bound) or a percentage above 100
    ///   (HAProxy: 150 lets no backend carry more than 1.5x the average load).
    public init(hashBalanceFactor: Int = 0) {
        precondition(hashBalanceFactor == 0 || hashBalanceFactor > 100,
                     "hash-balance-factor is 0 or a percentage greater than 100")
        self.hashBalanceFactor = hashBalanceFactor
    }

    public var backendCount: Int { table.count }
    public func contains(_ id: Int) -> Bool { table.slot(of: id) != nil }
    public func addBackend(_ id: Int, _ config: BackendConfig = BackendConfig()) {
        table.add(id, config)
        let points = KetamaRing.points(server: config.server ?? String(id), weight: config.weight)
        pointCache.append(points)
        ring.append(slot: table.count - 1, points: points)
        recountWeights()
    }
    public func updateMembership(adding: [(id: Int, config: BackendConfig)], removing: [Int]) {
        for id in removing {
            if let slot = table.remove(id) { pointCache.remove(at: slot) }
        }
        for (id, config) in adding {
            table.add(id, config)
            pointCache.append(KetamaRing.points(server: config.server ?? String(id), weight: config.weight))
        }
        ring = KetamaRing(pointsPerSlot: pointCache)
        recountWeights()
    }
    @discardableResult public func removeBackend(_ id: Int) -> Bool {
        guard let slot = table.remove(id) else { return false }
        pointCache.remove(at: slot)
        if !ring.remove(slot: slot) { ring = KetamaRing(pointsPerSlot: pointCache) }
        recountWeights()
        return true
    }
    public func setDown(_ id: Int, _ down: Bool) {
        guard let s = table.slot(of: id), table.peers[s].down != down else { return }
        table.setDown(s, down)
        recountWeights()
    }
    @inlinable public func connectionOpened(_ id: Int) { table.opened(id) }
    @inlinable public func connectionClosed(_ id: Int, failed: Bool = false, now: Instant) {
        table.closed(id, failed: failed, now: now)
    }
    public func activeConnections(_ id: Int) -> Int { table.slot(of: id).map { table.connections($0) } ?? 0 }

    /// Number of de-duplicated points on the ring.
    public var ringSize: Int { ring.count }

    /// HAProxy `recount_servers`: cumulative weights over members not down, in order.
    func recountWeights() {
        cumulativeWeight.removeAll(keepingCapacity: true)
        var sum = 0
        for p in table.peers {
            cumulativeWeight.append(sum)
            if !p.down { sum += p.weight }
        }
        usableWeight = sum
    }

    /// HAProxy's bounded-load capacity of slot `s` for the next connection.
    @inlinable
    func slots(_ s: Int) -> Int {
        let totSlots = ((table.totalConns + 1) * hashBalanceFactor + 99) / 100
        let q = totSlots / usableWeight
        let r = totSlots % usableWeight
        let w = table.peers[s].weight
        let c = cumulativeWeight[s]
        let n = w * q + ((c + w) * r) / usableWeight - (c * r) / usableWeight
        return n == 0 ? 1 : n
    }

    /// The bounded-load capacity a backend has for the next connection (nil when unbounded,
    /// down or not a member).
    public func capacity(_ id: Int) -> Int? {
        guard hashBalanceFactor != 0, usableWeight > 0, let s = table.slot(of: id), !table.peers[s].down
        else { return nil }
        return slots(s)
    }

    /// The backend for a request whose key hashes to `keyHash`.
    /// - Complexity: O(1) expected to find the point (``KetamaRing``), plus the walk past unavailable or full backends
    ///   (at most 21 points unbounded, at most P bounded), no allocation.
    @inlinable
    public func choose(keyHash: UInt32, now: Instant) -> Int? {
        let t = _PeerTable.seconds(now)
        if table.peers.count <= 1 || ring.count == 0 {
            guard let s = table.roundRobinPick(nowSeconds: t) else { return nil }
            return table.ids[s]
        }
        var index = ring.firstPoint(atOrAfter: keyHash)
        let bounded = hashBalanceFactor != 0 && usableWeight > 0
        let limit = bounded ? ring.count : 20
        var tries = 0
        while true {
            let s = ring.owner(ofPoint: index)
            if table.isAvailable(s, nowSeconds: t) && (!bounded || table.connections(s) < slots(s)) {
                // The one-peer smooth weighted step NGINX runs for the point's server.
                if table.peers[s].effectiveWeight < table.peers[s].weight { table.restoreEffectiveWeight(s) }
                if t - table.peers[s].checked > table.peers[s].failTimeout { table.peers[s].checked = t }
                return table.ids[s]
            }
            index += 1
            tries += 1
            if tries > limit { break }
        }
        guard let s = table.roundRobinPick(nowSeconds: t) else { return nil }
        return table.ids[s]
    }

    /// The backend for a request whose `hash` key evaluated to `key`: NGINX's
    /// `ngx_http_upstream_get_chash_peer` (and the non-consistent `get_hash_peer`) go straight to
    /// round robin when the key is empty, instead of hashing the empty string (crc32 = 0) and
    /// walking the ring from its first point.
    @inlinable
    public func choose(key: String, now: Instant) -> Int? {
        choose(optionalKeyHash: key.isEmpty ? nil : Self.keyHash(key), now: now)
    }

    /// ``choose(keyHash:now:)`` for a request with a key (its CRC-32), or NGINX's round-robin
    /// fallback for one without (`nil`, an empty key).
    @inlinable
    public func choose(optionalKeyHash: UInt32?, now: Instant) -> Int? {
        guard let keyHash = optionalKeyHash else {
            guard let s = table.roundRobinPick(nowSeconds: _PeerTable.seconds(now)) else { return nil }
            return table.ids[s]
        }
        return choose(keyHash: keyHash, now: now)
    }

    @inlinable
    public func choose<R: RandomNumberGenerator>(now: Instant, keyHash: UInt32, using rng: inout R) -> Int? {
        choose(keyHash: keyHash, now: now)
    }

    /// `crc32(key)`, the hash NGINX computes for `hash $key consistent`.
    @inlinable
    public static func keyHash(_ key: String) -> UInt32 {
        var key = key
        return key.withUTF8 { NginxCRC32.finalize(NginxCRC32.update(NginxCRC32.initial, UnsafeRawBufferPointer($0))) }
    }

    /// `crc32` of the decimal text of `value` (what NGINX hashes for `$arg_id=123`), allocation-free.
    @inlinable
    public static func keyHash(decimal value: Int) -> UInt32 {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: sign + 19 digits fit
        return withUnsafeMutableBytes(of: &digits) { buf -> UInt32 in
            var v = value.magnitude
            var i = buf.count
            repeat {
                i -= 1
                buf[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v != 0
            if value < 0 {
                i -= 1
                buf[i] = UInt8(ascii: "-")
            }
            let text = UnsafeRawBufferPointer(rebasing: buf[i...])
            return NginxCRC32.finalize(NginxCRC32.update(NginxCRC32.initial, text))
        }
    }
}
