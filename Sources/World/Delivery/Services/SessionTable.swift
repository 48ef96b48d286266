import SimCore

/// A pool's sticky-session cookies (NGINX `sticky cookie`): per session id the replica it
/// names and when it expires; empty when sticky sessions are off.
struct SessionTable {
    private var replica: [Int32] = []
    private var expiry: [SimTime] = []
    private var ttl: SimTime = 0

    init() {}

    init(count: Int, ttl: SimTime) {
        replica = Array(repeating: -1, count: count)
        expiry = Array(repeating: 0, count: count)
        self.ttl = ttl
    }

    @inline(__always) var isEmpty: Bool { replica.isEmpty }

    /// The replica of `session`'s cookie if it has one that has not expired at `now`.
    @inline(__always) func live(_ session: Int, now: SimTime) -> Int? {
        guard session < replica.count else { return nil }
        let r = Int(replica[session])
        guard r >= 0, now < expiry[session] else { return nil }
        return r
    }

    /// The cookie was used: its lifetime restarts.
    @inline(__always) mutating func touch(_ session: Int, now: SimTime) { expiry[session] = now + ttl }

    /// (Re)issues `session`'s cookie for `r`.
    @inline(__always) mutating func bind(_ session: Int, to r: Int, now: SimTime) {
        guard session < replica.count else { return }
        replica[session] = Int32(r)
        expiry[session] = now + ttl
    }
}
