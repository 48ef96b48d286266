/// Settings of a ``CircuitBreaker``: resilience4j's `CircuitBreakerConfig` for a COUNT_BASED sliding
/// window and a constant wait in the open state (resilience4j/resilience4j
/// `resilience4j-circuitbreaker/src/main/java/io/github/resilience4j/circuitbreaker/CircuitBreakerConfig.java`).
/// Slow-call rates, exception predicates and exponential wait functions are not modelled: every
/// call the caller reports as an error counts as a failure.
public struct CircuitBreakerConfig: Sendable, Equatable {
    /// Percentage of failed calls in the window at or above which the breaker opens
    /// (`failureRateThreshold`, default 50).
    public var failureRateThreshold: Float
    /// Number of most recent calls the closed state remembers (`slidingWindowSize`, default 100).
    public var slidingWindowSize: Int
    /// Calls that must be in the window before the failure rate is computed at all
    /// (`minimumNumberOfCalls`, default 100). For a COUNT_BASED window resilience4j uses
    /// `min(minimumNumberOfCalls, windowSize)` (`CircuitBreakerMetrics` constructor), in the
    /// half-open state with the half-open window's size.
    public var minimumNumberOfCalls: Int
    /// How long the breaker stays open before the next call moves it to half-open
    /// (`waitDurationInOpenState`, default 60 s).
    public var waitDurationInOpenState: Nanoseconds
    /// Trial calls let through in the half-open state (`permittedNumberOfCallsInHalfOpenState`,
    /// default 10); their outcomes form the half-open window.
    public var permittedNumberOfCallsInHalfOpenState: Int

    /// resilience4j's defaults (`CircuitBreakerConfig.DEFAULT_*`).
    public static let resilience4jDefaults = CircuitBreakerConfig(
        failureRateThreshold: 50, slidingWindowSize: 100, minimumNumberOfCalls: 100,
        waitDurationInOpenState: 60 * TimeUnit.second, permittedNumberOfCallsInHalfOpenState: 10)

    public init(failureRateThreshold: Float, slidingWindowSize: Int, minimumNumberOfCalls: Int,
                waitDurationInOpenState: Nanoseconds, permittedNumberOfCallsInHalfOpenState: Int) {
        self.failureRateThreshold = failureRateThreshold
        self.slidingWindowSize = slidingWindowSize
        self.minimumNumberOfCalls = minimumNumberOfCalls
        self.waitDurationInOpenState = waitDurationInOpenState
        self.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState
    }

    /// What is wrong with these settings, in resilience4j's own bounds (its builder throws
    /// `IllegalArgumentException` for the same cases), or nil when they are usable.
    public var problem: String? {
        if !(failureRateThreshold > 0 && failureRateThreshold <= 100) {
            return "failureRateThreshold must be in (0, 100], got \(failureRateThreshold)"
        }
        if slidingWindowSize < 1 { return "slidingWindowSize must be at least 1, got \(slidingWindowSize)" }
        if minimumNumberOfCalls < 1 { return "minimumNumberOfCalls must be at least 1, got \(minimumNumberOfCalls)" }
        if waitDurationInOpenState < TimeUnit.millisecond {
            return "waitDurationInOpenState must be at least 1 ms, got \(waitDurationInOpenState) ns"
        }
        if permittedNumberOfCallsInHalfOpenState < 1 {
            return "permittedNumberOfCallsInHalfOpenState must be at least 1, got \(permittedNumberOfCallsInHalfOpenState)"
        }
        return nil
    }
}
