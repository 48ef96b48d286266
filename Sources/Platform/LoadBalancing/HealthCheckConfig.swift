/// How an active health checker probes backends and turns probe results into in/out of rotation.
///
/// The state machine is HAProxy's health counter (haproxy/haproxy `src/check.c`,
/// `set_server_check_status`; `doc/configuration.txt` "rise", "fall", "inter", "fastinter",
/// "downinter", "init-state"), which also expresses Envoy's and Kubernetes' consecutive-count rules:
/// ```
/// health in 0...(rise + fall - 1); healthy  <=>  health >= rise
/// failed probe:  if health > 0 { health -= 1; if health < rise { health = 0 } }
/// passed probe:  if health < rise + fall - 1 { health += 1; if health >= rise { health = rise + fall - 1 } }
/// ```
/// A healthy backend therefore leaves rotation after exactly `unhealthyThreshold` consecutive
/// failures and an unhealthy one returns after exactly `healthyThreshold` consecutive passes; a
/// pass (failure) in between restarts the count. A timeout is a failure.
public struct HealthCheckConfig: Sendable, Equatable {
    /// Where a backend starts when added (HAProxy `init-state`).
    public enum InitialState: Sendable, Equatable {
        /// health = rise + fall - 1: in rotation, leaves after `unhealthyThreshold` failures.
        case fullyUp
        /// health = rise: in rotation, but the first failure takes it out (HAProxy's default,
        /// "up, but will fall down at first failure").
        case up
        /// health = rise - 1: out of rotation until the first pass (Envoy: "at startup one
        /// success marks a host healthy").
        case down
        /// health = 0: out of rotation until `healthyThreshold` passes (Kubernetes readiness).
        case fullyDown
    }

    /// When the next probe of a backend is due.
    public enum Scheduling: Sendable, Equatable {
        /// `interval` after the previous probe completed or timed out (HAProxy, Envoy).
        case afterCompletion
        /// `interval` after the previous probe was sent, or at once if it completed later
        /// (Kubernetes' prober ticker, which keeps one missed tick).
        case fixedPeriod
    }

    /// HTTP path probed (informational: the simulator decides what a probe of it returns).
    public var path: String
    /// HAProxy `inter`, Envoy `interval`, Kubernetes `periodSeconds`.
    public var interval: Nanoseconds
    /// HAProxy `fastinter` (Envoy `healthy_edge_interval`-like): used while the health counter is
    /// between its extremes. nil means `interval`.
    public var fastInterval: Nanoseconds?
    /// HAProxy `downinter` (Envoy `unhealthy_interval`): used while fully down. nil means `interval`.
    public var downInterval: Nanoseconds?
    /// A probe without a result this long after it was sent counts as failed.
    public var timeout: Nanoseconds
    /// HAProxy `rise`, Envoy `healthy_threshold`, Kubernetes `successThreshold`.
    public var healthyThreshold: Int
    /// HAProxy `fall`, Envoy `unhealthy_threshold`, Kubernetes `failureThreshold`.
    public var unhealthyThreshold: Int
    public var initialState: InitialState
    public var scheduling: Scheduling
    /// Envoy: a response with an unexpected HTTP status (``ProbeOutcome/failure``) ejects at once,
    /// ignoring `unhealthyThreshold`; only network errors and timeouts count towards it.
    public var failureEjectsImmediately: Bool

    public init(path: String = "/health", interval: Nanoseconds, fastInterval: Nanoseconds? = nil,
                downInterval: Nanoseconds? = nil, timeout: Nanoseconds, healthyThreshold: Int,
                unhealthyThreshold: Int, initialState: InitialState, scheduling: Scheduling = .afterCompletion,
                failureEjectsImmediately: Bool = false) {
        precondition(interval > 0 && timeout > 0, "interval and timeout must be positive")
        precondition(healthyThreshold >= 1 && unhealthyThreshold >= 1, "thresholds start at 1")
        self.path = path
        self.interval = interval
        self.fastInterval = fastInterval
        self.downInterval = downInterval
        self.timeout = timeout
        self.healthyThreshold = healthyThreshold
        self.unhealthyThreshold = unhealthyThreshold
        self.initialState = initialState
        self.scheduling = scheduling
        self.failureEjectsImmediately = failureEjectsImmediately
    }
}

extension HealthCheckConfig {
    /// HAProxy `check` defaults (`doc/configuration.txt`): `inter 2s`, `rise 2`, `fall 3`; without
    /// `timeout check` the whole check must finish within `inter`; servers start `up` (health = rise).
    public static func haproxy(path: String = "/health", interval: Nanoseconds = 2 * TimeUnit.second,
                               rise: Int = 2, fall: Int = 3, timeout: Nanoseconds? = nil,
                               initialState: InitialState = .up) -> HealthCheckConfig {
        HealthCheckConfig(path: path, interval: interval, timeout: timeout ?? interval,
                          healthyThreshold: rise, unhealthyThreshold: fall, initialState: initialState)
    }

    /// The platform design's `health_check: { path: /health, interval: 10s }`, read as HAProxy with
    /// `inter 10s` and its other defaults (HAProxy configuration manual, `doc/configuration.txt`,
    /// server options `rise` and `fall`): `rise 2`, `fall 3`, no
    /// `timeout check` (so a probe times out after 10 s), init-state `up`. Once a backend has passed
    /// a check, it leaves rotation after 3 consecutive failures: 20 s after the first failing probe
    /// if it refuses connections, 50 s if it hangs (each probe waits 10 s, the next starts 10 s
    /// later). It returns after 2 passes, 10 s apart. A backend that never passed leaves on its
    /// first failure (HAProxy's `up`); use `.fullyUp` to require 3 from the start.
    public static let seedDefault = HealthCheckConfig.haproxy(interval: 10 * TimeUnit.second)

    /// Kubernetes readiness probe defaults (`periodSeconds 10`, `timeoutSeconds 1`,
    /// `successThreshold 1`, `failureThreshold 3`); a new pod is not ready until a probe passes.
    public static func kubernetesReadiness(path: String = "/health", period: Nanoseconds = 10 * TimeUnit.second,
                                           timeout: Nanoseconds = TimeUnit.second, successThreshold: Int = 1,
                                           failureThreshold: Int = 3) -> HealthCheckConfig {
        HealthCheckConfig(path: path, interval: period, timeout: timeout, healthyThreshold: successThreshold,
                          unhealthyThreshold: failureThreshold, initialState: .fullyDown, scheduling: .fixedPeriod)
    }

    /// Envoy active HTTP health checking (`config/core/v3/health_check.proto`): interval, timeout
    /// and both thresholds are required; one pass marks a new host healthy; an unexpected status
    /// ejects at once.
    public static func envoy(path: String = "/health", interval: Nanoseconds, timeout: Nanoseconds,
                             healthyThreshold: Int, unhealthyThreshold: Int,
                             unhealthyInterval: Nanoseconds? = nil) -> HealthCheckConfig {
        HealthCheckConfig(path: path, interval: interval, downInterval: unhealthyInterval, timeout: timeout,
                          healthyThreshold: healthyThreshold, unhealthyThreshold: unhealthyThreshold,
                          initialState: .down, failureEjectsImmediately: true)
    }
}
