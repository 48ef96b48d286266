import SimCore

/// A pool's sticky-session cookies (NGINX `sticky cookie`): per session id the replica it
/// names and when it expires; empty when sticky sessions are off.
///
/// Stored in pages of 4,096 session ids, each allocated when one of its sessions is first
/// bound: session ids are numbered city by city (customers, couriers), so a pool holds pages
/// only for the cities it serves (its own, and a failed region's while it stands in), not for
/// the whole population of every region. The pages are shared by copies of the table (one
/// pool owns it and never copies it).
struct SessionTable {
    private static let pageShift = 12
    private static let pageMask = (1 << pageShift) - 1
    /// One cookie: the replica it names (-1: none) and when it expires, side by side so a
    /// lookup touches one cache line (a ping's lookup is a random courier: a miss each).
    private struct Cookie {
        var expiry: SimTime
        var replica: Int32
    }
    /// The pages, raw: a lookup reads the page's address from one small list and the cookie
    /// from its page. With a page per `Array`, every lookup also read that array's header (its
    /// count, for the bounds check), a cache line of its own per page: in `perf` at the
    /// national-day peak, the two dependent misses were most of `Services.submit`'s own time.
    private final class Pages {
        let list: UnsafeMutablePointer<UnsafeMutablePointer<Cookie>?>
        let count: Int
        /// Session ids with a page allocated.
        var allocated = 0

        init(count: Int) {
            self.count = count
            list = .allocate(capacity: max(1, count))
            list.initialize(repeating: nil, count: max(1, count))
        }

        deinit {
            for p in 0..<count { list[p]?.deallocate() }
            list.deallocate()
        }
    }
    private var pages: Pages?
    private var count = 0
    private var ttl: SimTime = 0

    init() {}

    init(count: Int, ttl: SimTime) {
        pages = Pages(count: (count + Self.pageMask) >> Self.pageShift)
        self.count = count
        self.ttl = ttl
    }

    @inline(__always) var isEmpty: Bool { count == 0 }

    /// Session ids with a page allocated (memory accounting for tests and benchmarks).
    var allocated: Int { pages?.allocated ?? 0 }

    /// `session`'s cookie, nil when its page is not allocated (ids are below `count`).
    @inline(__always) private func cookie(_ session: Int) -> UnsafeMutablePointer<Cookie>? {
        guard session >= 0, session < count, let page = pages.unsafelyUnwrapped.list[session >> Self.pageShift] else { return nil }
        return page + (session & Self.pageMask)
    }

    /// The replica of `session`'s cookie if it has one that has not expired at `now`.
    @inline(__always) func live(_ session: Int, now: SimTime) -> Int? {
        guard let c = cookie(session) else { return nil }
        let cookie = c.pointee
        guard cookie.replica >= 0, now < cookie.expiry else { return nil }
        return Int(cookie.replica)
    }

    /// The cookie was used: its lifetime restarts (`live` found it, so its page exists).
    @inline(__always) func touch(_ session: Int, now: SimTime) {
        cookie(session).unsafelyUnwrapped.pointee.expiry = now + ttl
    }

    /// Starts loading `session`'s cookie (a hint for the next event: `PlatformSimulation.prefetch`).
    @inline(__always) func prefetch(_ session: Int) {
        guard let c = cookie(session) else { return }
        prefetchForWrite(UnsafeRawPointer(c))
    }

    /// (Re)issues `session`'s cookie for `r`.
    @inline(__always) func bind(_ session: Int, to r: Int, now: SimTime) {
        guard session >= 0, session < count, let pages else { return }
        let page = session >> Self.pageShift
        if pages.list[page] == nil {
            let size = min(Self.pageMask + 1, count - (page << Self.pageShift))
            let p = UnsafeMutablePointer<Cookie>.allocate(capacity: size)
            p.initialize(repeating: Cookie(expiry: 0, replica: -1), count: size)
            pages.list[page] = p
            pages.allocated += size
        }
        pages.list[page].unsafelyUnwrapped[session & Self.pageMask] = Cookie(expiry: now + ttl, replica: Int32(r))
    }
}
