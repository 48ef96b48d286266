/// A circuit breaker with resilience4j's state machine (resilience4j/resilience4j
/// `resilience4j-circuitbreaker/.../internal/CircuitBreakerStateMachine.java`, classes `ClosedState`,
/// `OpenState`, `HalfOpenState`; `CircuitBreakerMetrics.checkIfThresholdsExceeded`;
/// `FixedSizeSlidingWindowMetrics`), as a value driven by the caller's clock:
///
/// - CLOSED: every call is permitted; each outcome enters a COUNT_BASED window of the last
///   `slidingWindowSize` calls. Once the window holds `min(minimumNumberOfCalls, slidingWindowSize)`
///   calls, a failure rate (`failed * 100f / total`, a Float as in resilience4j's `Snapshot`)
///   `>= failureRateThreshold` opens the breaker.
/// - OPEN: calls are refused until `now` is strictly after `openedAt + waitDurationInOpenState`
///   (`clock.instant().isAfter(retryAfterWaitDuration)`); the first call after that moves the breaker
///   to HALF_OPEN and asks the half-open state for a permit ("automatic" transition on the next call,
///   which is what resilience4j does without `automaticTransitionFromOpenToHalfOpenEnabled`).
/// - HALF_OPEN: `permittedNumberOfCallsInHalfOpenState` permits, then refusals; outcomes enter a
///   fresh window of that size. With `min(minimumNumberOfCalls, permitted)` outcomes recorded, a rate
///   at or above the threshold re-opens (a new wait from now), a rate below closes with an empty
///   window.
///
/// Outcomes reported while OPEN (calls permitted before the breaker opened) change nothing here;
/// resilience4j adds them to the metrics it keeps for statistics but no transition reads them.
/// Time is integer nanoseconds; no allocation after `init`.
public struct CircuitBreaker: Sendable {
    public let config: CircuitBreakerConfig
    public private(set) var state: CircuitBreakerState = .closed
    /// When the current OPEN period ends (valid while `state == .open`).
    public private(set) var openUntil: Instant = 0
    /// Calls refused so far (resilience4j `numberOfNotPermittedCalls`, over all states).
    public private(set) var notPermittedCalls: Int = 0
    /// How many times the breaker has opened (CLOSED→OPEN and HALF_OPEN→OPEN).
    public private(set) var timesOpened: Int = 0

    private var halfOpenPermits = 0
    /// Ring of the window's outcomes (true = failure); `capacity` is the active window size.
    private var ring: [Bool]
    private var capacity: Int
    private var head = 0
    private var total = 0
    private var failed = 0

    public init(config: CircuitBreakerConfig) {
        precondition(config.problem == nil, config.problem ?? "")
        self.config = config
        ring = Array(repeating: false, count: max(config.slidingWindowSize, config.permittedNumberOfCallsInHalfOpenState))
        capacity = config.slidingWindowSize
    }

    /// Calls currently in the window and how many of them failed.
    public var windowCalls: (total: Int, failed: Int) { (total, failed) }

    /// resilience4j `getFailureRate()`: -1 while the window holds fewer than the minimum number of calls.
    public var failureRate: Float {
        total == 0 || total < minimumCalls ? -1 : Float(failed) * 100 / Float(total)
    }

    /// `tryAcquirePermission()`: whether a call may go to the protected service now.
    public mutating func tryAcquire(now: Instant) -> Bool {
        switch state {
        case .closed:
            return true
        case .open:
            if now > openUntil {
                toHalfOpen()
                return tryAcquire(now: now)
            }
            notPermittedCalls += 1
            return false
        case .halfOpen:
            if halfOpenPermits > 0 {
                halfOpenPermits -= 1
                return true
            }
            notPermittedCalls += 1
            return false
        }
    }

    /// A permitted call succeeded.
    public mutating func onSuccess(now: Instant) { record(failure: false, now: now) }

    /// A permitted call failed (any error counts: resilience4j's default `recordExceptions` is all).
    public mutating func onError(now: Instant) { record(failure: true, now: now) }

    private var minimumCalls: Int { min(config.minimumNumberOfCalls, capacity) }

    private mutating func record(failure: Bool, now: Instant) {
        guard state != .open else { return }
        if total == capacity {
            if ring[head] { failed -= 1 }
        } else {
            total += 1
        }
        ring[head] = failure
        if failure { failed += 1 }
        head = head + 1 == capacity ? 0 : head + 1

        let rate = failureRate
        if rate < 0 { return }                            // BELOW_MINIMUM_CALLS_THRESHOLD
        if rate >= config.failureRateThreshold {
            toOpen(now: now)
        } else if state == .halfOpen {                    // BELOW_THRESHOLDS closes a half-open breaker
            resetWindow(capacity: config.slidingWindowSize)
            state = .closed
        }
    }

    private mutating func toOpen(now: Instant) {
        state = .open
        openUntil = now + config.waitDurationInOpenState
        timesOpened += 1
    }

    private mutating func toHalfOpen() {
        state = .halfOpen
        halfOpenPermits = config.permittedNumberOfCallsInHalfOpenState
        resetWindow(capacity: config.permittedNumberOfCallsInHalfOpenState)
    }

    private mutating func resetWindow(capacity: Int) {
        self.capacity = capacity
        head = 0
        total = 0
        failed = 0
    }
}
