/// Static settings of one backend (one NGINX `server` line, one Envoy endpoint).
///
/// Defaults are NGINX's for a `server` directive without parameters
/// (nginx/nginx `src/http/ngx_http_upstream.c`, `ngx_http_upstream_server`):
/// `weight=1 max_fails=1 fail_timeout=10 max_conns=0`.
///
/// Which fields a policy reads:
/// - NGINX-derived policies (``RoundRobinBalancer``, ``LeastConnectionsBalancer``,
///   ``ConsistentHashBalancer``): all of them. `maxFails`/`failTimeoutSeconds` drive NGINX's
///   passive health check (a backend with `fails >= maxFails` is skipped for
///   `failTimeoutSeconds` after the last failure); `maxConns == 0` means unlimited.
/// - Envoy-derived policies (``LeastRequestBalancer``, ``RandomBalancer``): `weight` only
///   (``RandomBalancer`` ignores it, as Envoy's `RandomLoadBalancer` does).
public struct BackendConfig: Sendable, Equatable {
    /// Relative capacity; NGINX requires 1...
    public var weight: Int
    /// NGINX `max_conns`: 0 means no limit.
    public var maxConns: Int
    /// NGINX `max_fails`: failures within `fail_timeout` that take the backend out; 0 disables.
    public var maxFails: Int
    /// NGINX `fail_timeout`, in whole seconds as NGINX stores it (`ngx_time()` resolution).
    public var failTimeoutSeconds: Int64
    /// The `server` string the ketama ring hashes (`host:port` as written in nginx.conf).
    /// `nil` uses the decimal backend id. Only ``ConsistentHashBalancer`` reads it.
    public var server: String?

    public init(weight: Int = 1, maxConns: Int = 0, maxFails: Int = 1,
                failTimeoutSeconds: Int64 = 10, server: String? = nil) {
        precondition(weight >= 1, "NGINX and Envoy weights start at 1")
        precondition(maxConns >= 0 && maxFails >= 0 && failTimeoutSeconds >= 0)
        self.weight = weight
        self.maxConns = maxConns
        self.maxFails = maxFails
        self.failTimeoutSeconds = failTimeoutSeconds
        self.server = server
    }
}
