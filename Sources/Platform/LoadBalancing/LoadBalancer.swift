/// What every load-balancing policy offers, so the simulator can hold `any LoadBalancer`.
///
/// Ownership of connection counts: **the balancer holds them, the caller reports changes.**
/// `choose` never counts a connection; call ``connectionOpened(_:)`` when the request is
/// actually sent to the chosen backend and ``connectionClosed(_:failed:now:)`` when it ends.
/// (NGINX does `conns++` inside its `get` and `conns--` in `free`; splitting the increment out
/// lets a caller that drops a request after choosing leave no phantom connection behind.)
///
/// Membership: ids are caller-chosen `Int`s. Backends are kept in the order they were added
/// (NGINX's configuration order), which decides every scan and tie. Removing a backend forgets
/// its open connections; later `connectionClosed` calls for it are ignored.
///
/// Randomness: policies that draw random numbers take the caller's generator, so the simulator
/// owns the stream; each documents exactly how many `next()` calls one `choose` makes.
public protocol LoadBalancer: AnyObject {
    /// Number of member backends (healthy or not).
    var backendCount: Int { get }
    /// Whether `id` is a member.
    func contains(_ id: Int) -> Bool
    /// Adds a backend at the end of the membership order.
    func addBackend(_ id: Int, _ config: BackendConfig)
    /// Removes a backend; returns false when it was not a member.
    @discardableResult func removeBackend(_ id: Int) -> Bool
    /// One membership update (an autoscaling step, an Envoy EDS push, an NGINX reload): removes
    /// `removing`, then appends `adding` in order. Envoy-derived policies refresh once per call,
    /// as Envoy does once per host-set update; the ketama ring is rebuilt once.
    func updateMembership(adding: [(id: Int, config: BackendConfig)], removing: [Int])
    /// Takes a backend out of rotation (`down == true`) or puts it back: the active health
    /// checker's verdict (NGINX `peer->down`, Envoy `FAILED_ACTIVE_HC`).
    func setDown(_ id: Int, _ down: Bool)
    /// A request/connection was sent to `id`.
    func connectionOpened(_ id: Int)
    /// A request/connection to `id` ended; `failed` feeds NGINX's passive check (`max_fails`).
    func connectionClosed(_ id: Int, failed: Bool, now: Instant)
    /// Open connections the balancer counts for `id` (0 when not a member).
    func activeConnections(_ id: Int) -> Int
    /// Picks a backend for one request, or nil when none is available.
    ///
    /// - Parameters:
    ///   - now: current time (NGINX's passive checks read it at one-second resolution).
    ///   - keyHash: the request's affinity key hash (only ``ConsistentHashBalancer`` reads it;
    ///     use ``ConsistentHashBalancer/keyHash(_:)`` to hash a cookie or session id).
    ///   - rng: random source (only the Envoy-derived policies draw from it).
    func choose<R: RandomNumberGenerator>(now: Instant, keyHash: UInt32, using rng: inout R) -> Int?
}

extension LoadBalancer {
    public func updateMembership(adding: [(id: Int, config: BackendConfig)], removing: [Int]) {
        for id in removing { removeBackend(id) }
        for (id, config) in adding { addBackend(id, config) }
    }
}

/// The algorithm names a scenario file uses.
public enum LoadBalancingAlgorithm: String, Sendable, CaseIterable {
    case roundRobin = "round_robin"
    case random = "random"
    case leastConnections = "least_connections"
    case leastRequest = "least_request"
    case consistentHash = "consistent_hash"

    /// A balancer with each algorithm's defaults.
    public func makeBalancer() -> any LoadBalancer {
        switch self {
        case .roundRobin: return RoundRobinBalancer()
        case .random: return RandomBalancer()
        case .leastConnections: return LeastConnectionsBalancer()
        case .leastRequest: return LeastRequestBalancer()
        case .consistentHash: return ConsistentHashBalancer()
        }
    }
}
