import SimCore

/// A pool's sticky-session cookies (NGINX `sticky cookie`): per session id the replica it
/// names and when it expires; empty when sticky sessions are off.
///
/// Stored in pages of 4,096 session ids, each allocated when one of its sessions is first
/// bound: session ids are numbered city by city (customers, couriers), so a pool holds pages
/// only for the cities it serves (its own, and a failed region's while it stands in), not for
/// the whole population of every region.
struct SessionTable {
    private static let pageShift = 12
    private static let pageMask = (1 << pageShift) - 1
    private var replica: [[Int32]] = []
    private var expiry: [[SimTime]] = []
    private var count = 0
    private var ttl: SimTime = 0

    init() {}

    init(count: Int, ttl: SimTime) {
        let pages = (count + Self.pageMask) >> Self.pageShift
        replica = Array(repeating: [], count: pages)
        expiry = Array(repeating: [], count: pages)
        self.count = count
        self.ttl = ttl
    }

    @inline(__always) var isEmpty: Bool { count == 0 }

    /// Session ids with a page allocated (memory accounting for tests and benchmarks).
    var allocated: Int { replica.reduce(0) { $0 + $1.count } }

    /// The replica of `session`'s cookie if it has one that has not expired at `now`.
    @inline(__always) func live(_ session: Int, now: SimTime) -> Int? {
        guard session < count else { return nil }
        let page = session >> Self.pageShift, i = session & Self.pageMask
        guard !replica[page].isEmpty else { return nil }
        let r = Int(replica[page][i])
        guard r >= 0, now < expiry[page][i] else { return nil }
        return r
    }

    /// The cookie was used: its lifetime restarts (`live` found it, so its page exists).
    @inline(__always) mutating func touch(_ session: Int, now: SimTime) {
        expiry[session >> Self.pageShift][session & Self.pageMask] = now + ttl
    }

    /// (Re)issues `session`'s cookie for `r`.
    @inline(__always) mutating func bind(_ session: Int, to r: Int, now: SimTime) {
        guard session < count else { return }
        let page = session >> Self.pageShift, i = session & Self.pageMask
        if replica[page].isEmpty {
            let size = min(Self.pageMask + 1, count - (page << Self.pageShift))
            replica[page] = Array(repeating: -1, count: size)
            expiry[page] = Array(repeating: 0, count: size)
        }
        replica[page][i] = Int32(r)
        expiry[page][i] = now + ttl
    }
}
