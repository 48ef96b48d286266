/// One key's leaky bucket in an NGINX `limit_req` zone, with NGINX's arithmetic
/// (nginx/nginx `src/http/modules/ngx_http_limit_req_module.c`, `ngx_http_limit_req_lookup` and
/// `ngx_http_limit_req_account`, for one `limit_req` in the location):
///
/// ```
/// first request of a key:   excess = 0                     (a new node, lr->excess = 0)
/// later requests:           ms = now - last  (negative -> 0; below -60000 -> 1)
///                           excess = max(0, lr.excess - rate * ms / 1000 + 1000)
/// excess > burst            -> reject; the node is left as it was
/// otherwise                 -> lr.excess = excess, lr.last = now (when ms != 0)
///                              delay = excess <= limit.delay ? 0 : (excess - limit.delay) * 1000 / rate  ms
/// ```
/// All integers in thousandths of a request and milliseconds, as NGINX; `now` is the caller's
/// nanoseconds floored to milliseconds (NGINX's `ngx_current_msec`). A delayed request was
/// already charged when it was admitted. NGINX frees a node only when it needs room and the node
/// has drained for 60 s, after which a fresh node gives the same excess (0) a drained one does, so
/// that reclamation changes no decision and is not modelled. Several `limit_req` directives in one
/// location (the strictest wins) are not modelled. `NginxLimitReqLiveTests` replays a real NGINX's
/// decisions, clock and logged excess through this type and expects every one to match.
public struct LimitReqBucket: Sendable {
    public let config: LimitReqConfig
    /// `lr->excess`: thousandths of a request waiting in the bucket after the last admitted one.
    public private(set) var excess: Int64 = 0
    /// `lr->last` in milliseconds; nil until the first request (no node yet).
    public private(set) var lastMillis: Int64?
    public private(set) var accepted = 0
    public private(set) var delayed = 0
    public private(set) var rejected = 0

    public init(config: LimitReqConfig) {
        precondition(config.problem == nil, config.problem ?? "")
        self.config = config
    }

    /// Decides one request arriving at `now` and charges the bucket when it is admitted.
    public mutating func request(now: Instant) -> LimitReqDecision {
        let nowMs = now / TimeUnit.millisecond
        guard let last = lastMillis else {
            // ngx_http_limit_req_lookup: no node; a new one with excess 0 is accounted at once.
            lastMillis = nowMs
            excess = 0
            accepted += 1
            return LimitReqDecision(outcome: .accept, delayMilliseconds: 0, excess: 0)
        }
        var ms = nowMs - last
        if ms < -60000 { ms = 1 } else if ms < 0 { ms = 0 }
        let e = max(0, excess - config.rate * ms / 1000 + 1000)
        if e > config.burst {
            rejected += 1
            return LimitReqDecision(outcome: .reject, delayMilliseconds: 0, excess: e)
        }
        excess = e
        if ms != 0 { lastMillis = nowMs }
        if e <= config.delay {
            accepted += 1
            return LimitReqDecision(outcome: .accept, delayMilliseconds: 0, excess: e)
        }
        delayed += 1
        return LimitReqDecision(outcome: .delay, delayMilliseconds: (e - config.delay) * 1000 / config.rate, excess: e)
    }
}
