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
    /// One cookie: the replica it names (-1: none) and when it expires, side by side so a
    /// lookup touches one cache line (a ping's lookup is a random courier: a miss each).
    private struct Cookie {
        var expiry: SimTime
        var replica: Int32
    }
    private var pages: [[Cookie]] = []
    /// Each allocated page's address, for `prefetch` only: reading the page array itself
    /// (`pages[page]`) retains and releases its buffer, a pair of atomics per ping in `perf`.
    /// A prefetch is a hint that cannot fault, so a stale address (after a copy of the table
    /// was written) costs at most a useless load.
    private var pageAddresses: [UInt] = []
    private var count = 0
    private var ttl: SimTime = 0

    init() {}

    init(count: Int, ttl: SimTime) {
        pages = Array(repeating: [], count: (count + Self.pageMask) >> Self.pageShift)
        pageAddresses = Array(repeating: 0, count: pages.count)
        self.count = count
        self.ttl = ttl
    }

    @inline(__always) var isEmpty: Bool { count == 0 }

    /// Session ids with a page allocated (memory accounting for tests and benchmarks).
    var allocated: Int { pages.reduce(0) { $0 + $1.count } }

    /// The replica of `session`'s cookie if it has one that has not expired at `now`.
    @inline(__always) func live(_ session: Int, now: SimTime) -> Int? {
        guard session < count else { return nil }
        let page = session >> Self.pageShift, i = session & Self.pageMask
        guard !pages[page].isEmpty else { return nil }
        let cookie = pages[page][i]
        guard cookie.replica >= 0, now < cookie.expiry else { return nil }
        return Int(cookie.replica)
    }

    /// The cookie was used: its lifetime restarts (`live` found it, so its page exists).
    @inline(__always) mutating func touch(_ session: Int, now: SimTime) {
        pages[session >> Self.pageShift][session & Self.pageMask].expiry = now + ttl
    }

    /// Starts loading `session`'s cookie (a hint for the next event: `PlatformSimulation.prefetch`).
    @inline(__always) func prefetch(_ session: Int) {
        guard session >= 0, session < count else { return }
        let address = pageAddresses[session >> Self.pageShift]
        guard address != 0 else { return }
        prefetchForWrite(UnsafeRawPointer(bitPattern: address &+ UInt((session & Self.pageMask) &* MemoryLayout<Cookie>.stride)).unsafelyUnwrapped)
    }

    /// (Re)issues `session`'s cookie for `r`.
    @inline(__always) mutating func bind(_ session: Int, to r: Int, now: SimTime) {
        guard session < count else { return }
        let page = session >> Self.pageShift, i = session & Self.pageMask
        if pages[page].isEmpty {
            let size = min(Self.pageMask + 1, count - (page << Self.pageShift))
            pages[page] = Array(repeating: Cookie(expiry: 0, replica: -1), count: size)
            pageAddresses[page] = pages[page].withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        }
        pages[page][i] = Cookie(expiry: now + ttl, replica: Int32(r))
    }
}
