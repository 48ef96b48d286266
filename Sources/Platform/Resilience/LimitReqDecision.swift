/// What NGINX `limit_req` does with one request (`ngx_http_limit_req_handler`).
public struct LimitReqDecision: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Passed to the next phase at once (`$limit_req_status` PASSED).
        case accept
        /// Held for `delay` before being passed on (DELAYED): `ngx_add_timer(wev, delay)`.
        case delay
        /// Refused with `limit_req_status` (REJECTED, default 503); the bucket is not charged.
        case reject
    }

    public var outcome: Outcome
    /// How long NGINX holds a delayed request, whole milliseconds (0 unless `.delay`).
    public var delayMilliseconds: Int64
    /// The excess NGINX computed for the request, in thousandths of a request (what its
    /// "limiting requests, excess: 1.500" / "delaying request, excess: …" log lines print).
    public var excess: Int64

    public init(outcome: Outcome, delayMilliseconds: Int64, excess: Int64) {
        self.outcome = outcome
        self.delayMilliseconds = delayMilliseconds
        self.excess = excess
    }

    /// The delay in nanoseconds, for the simulator's clock.
    public var delay: Nanoseconds { delayMilliseconds * TimeUnit.millisecond }
}
