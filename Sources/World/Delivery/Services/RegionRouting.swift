import Scenario
import SimCore

/// Where a client's call goes while a region is out (`region_outage` faults): the region's own
/// pools, its failover region's, or nowhere (the region is unreachable and the client has not
/// moved yet: the call times out). Owned by `Services`; `PlatformSimulation` sets it from what
/// `Faults` says is due.
///
/// A moved call crosses to the failover region through the `CrossRegionChannel` (as a `down`
/// region's calls do): `Services.submit` returns `.crossRegion` and the caller sends it.
///
/// Clients move when the health checks declare the region out (Route 53 failover records: the
/// DNS answer changes then). With a global balancer every client moves at once (`spread` 0);
/// with DNS each client keeps its cached answer until it expires: a client's move falls at a
/// fixed fraction of the TTL after the change, the fraction a hash of the client (its session:
/// customer or courier), so no random draw is spent and the last client has moved exactly one
/// TTL after the change. Recovery moves them back the same way.
final class RegionRouting {
    private let poolOf: [[Int]]
    /// One-way trip per (city, region), flat: `city * regions + region`.
    private let oneWay: [SimTime]
    private let regions: Int
    /// Whether any outage is scheduled (else `route` returns at once).
    let active: Bool
    private var dark: [Bool]
    private var failover: [Int]
    private var moveFrom: [SimTime]
    private var moveSpread: [SimTime]
    private var backFrom: [SimTime]
    private var backSpread: [SimTime]
    /// Calls that reached an unreachable region, and calls moved to a failover region.
    private(set) var unreachable = 0
    private(set) var moved = 0

    init(config: PlatformConfig, poolOf: [[Int]], active: Bool) {
        self.poolOf = poolOf
        regions = config.regions.count
        oneWay = config.regions.flatMap { $0.rtt.map { $0 / 2 } }
        self.active = active
        dark = Array(repeating: false, count: regions)
        failover = Array(repeating: 0, count: regions)
        moveFrom = Array(repeating: .max, count: regions)
        moveSpread = Array(repeating: 0, count: regions)
        backFrom = Array(repeating: .max, count: regions)
        backSpread = Array(repeating: 0, count: regions)
    }

    /// The one-way trip between city `c` and region `r` (half the round trip; 0 for its own
    /// region): a call served by another region pays it back at the end, having crossed the
    /// `CrossRegionChannel` on its way out.
    @inline(__always) func oneWay(city c: Int, region r: Int) -> SimTime { oneWay[c * regions + r] }

    /// The fraction of a TTL after which client `key` has moved: its hash (SplitMix64's
    /// finaliser) over 2^64, in [0, 1).
    static func fraction(_ key: Int) -> Double {
        var z = UInt64(bitPattern: Int64(key)) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }

    /// Whether client `key`, whose calls go to region `r`, uses its failover region at `now`.
    func usesFailover(region r: Int, key: Int, now: SimTime) -> Bool {
        guard moveFrom[r] != .max, now >= moveFrom[r] else { return false }
        let u = Self.fraction(key)
        if now < moveFrom[r] + SimTime(u * Double(moveSpread[r])) { return false }
        guard backFrom[r] != .max else { return true }
        return now < backFrom[r] + SimTime(u * Double(backSpread[r]))
    }

    /// The pool a call for pool `p` (service `service` of region `r`) goes to, or -1 when
    /// region `r` is unreachable for this client.
    @inline(__always) func route(pool p: Int, region r: Int, service: Int, key: Int, now: SimTime) -> Int {
        guard active else { return p }
        if usesFailover(region: r, key: key, now: now) {
            moved += 1
            return poolOf[failover[r]][service]
        }
        if dark[r] { unreachable += 1; return -1 }
        return p
    }

    // MARK: what the faults set

    func regionLost(_ r: Int) { dark[r] = true }
    func regionBack(_ r: Int) { dark[r] = false }

    /// The checks declared `r` out at `now`: its clients move to `to` within `spread`.
    func failOver(_ r: Int, to: Int, at now: SimTime, spread: SimTime) {
        failover[r] = to
        moveFrom[r] = now
        moveSpread[r] = spread
        backFrom[r] = .max
    }

    /// The checks declared `r` back at `now`: its clients return within `spread`.
    func failBack(_ r: Int, at now: SimTime, spread: SimTime) {
        backFrom[r] = now
        backSpread[r] = spread
    }
}
