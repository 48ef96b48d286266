/// Settings of NGINX `limit_req_zone ... rate=` and `limit_req burst= [nodelay | delay=]`, in the
/// integer units NGINX stores (nginx/nginx `src/http/modules/ngx_http_limit_req_module.c`,
/// `ngx_http_limit_req_zone` and `ngx_http_limit_req`): rates and excess in thousandths of a
/// request (1 corresponds to 0.001 r/s), so `rate=10r/s` is 10000 and `rate=30r/m` is 500.
public struct LimitReqConfig: Sendable, Equatable {
    /// `ctx->rate`: requests per second × 1000 (`rate * 1000 / scale`, integer division).
    public var rate: Int64
    /// `limit->burst`: `burst × 1000`; an excess above it is rejected.
    public var burst: Int64
    /// `limit->delay`: `delay × 1000`; an excess at or below it passes at once. `nodelay` is
    /// `NGX_MAX_INT_T_VALUE / 1000 × 1000`, i.e. never delay; the default `delay=0` delays every
    /// request with an excess.
    public var delay: Int64
    /// `limit_req_status` (default 503).
    public var rejectStatus: Int

    /// `rate=<perSecond>r/s burst=<burst>` with `delay=<delay>`, or `nodelay` when `nodelay` is true.
    public init(requestsPerSecond: Int64, burst: Int64 = 0, delay: Int64 = 0, nodelay: Bool = false, rejectStatus: Int = 503) {
        self.init(rawRate: requestsPerSecond * 1000, burst: burst, delay: delay, nodelay: nodelay, rejectStatus: rejectStatus)
    }

    /// `rate=<perMinute>r/m`: NGINX keeps `perMinute * 1000 / 60`, truncated.
    public init(requestsPerMinute: Int64, burst: Int64 = 0, delay: Int64 = 0, nodelay: Bool = false, rejectStatus: Int = 503) {
        self.init(rawRate: requestsPerMinute * 1000 / 60, burst: burst, delay: delay, nodelay: nodelay, rejectStatus: rejectStatus)
    }

    private init(rawRate: Int64, burst: Int64, delay: Int64, nodelay: Bool, rejectStatus: Int) {
        rate = rawRate
        self.burst = burst * 1000
        self.delay = nodelay ? (Int64.max / 1000) * 1000 : delay * 1000
        self.rejectStatus = rejectStatus
    }

    /// What NGINX would refuse in this configuration (`nginx -t` messages), or nil.
    public var problem: String? {
        if rate <= 0 { return "invalid rate: must be a positive number of requests per second or minute" }
        if burst < 0 { return "invalid burst value: must be positive" }
        if delay < 0 { return "invalid delay value: must be positive" }
        if !(400...599).contains(rejectStatus) { return "limit_req_status must be between 400 and 599, got \(rejectStatus)" }
        return nil
    }
}
