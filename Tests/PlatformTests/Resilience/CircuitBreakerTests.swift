import Testing
import Platform

/// `CircuitBreaker` against resilience4j's state machine: sequences ported from resilience4j's own
/// tests (`resilience4j-circuitbreaker/src/test/java/io/github/resilience4j/circuitbreaker/internal/
/// CircuitBreakerStateMachineTest.java`) and its documentation ("CircuitBreaker" page:
/// minimumNumberOfCalls, COUNT_BASED window), with every expected state worked out by hand from
/// `CircuitBreakerMetrics.checkIfThresholdsExceeded`.
@Suite struct CircuitBreakerTests {
    static let s = TimeUnit.second

    static func config(threshold: Float = 50, window: Int, minimum: Int, wait: Nanoseconds = 5 * s,
                       permitted: Int = 4) -> CircuitBreakerConfig {
        CircuitBreakerConfig(failureRateThreshold: threshold, slidingWindowSize: window, minimumNumberOfCalls: minimum,
                             waitDurationInOpenState: wait, permittedNumberOfCallsInHalfOpenState: permitted)
    }

    /// Feeds outcomes (S success, F failure) at time `now`, each after a permitted acquire; returns
    /// the state letter after each (C, O, H).
    static func feed(_ cb: inout CircuitBreaker, _ outcomes: String, now: Instant = 0) -> String {
        var out = ""
        for c in outcomes {
            #expect(cb.tryAcquire(now: now) == true)
            if c == "F" { cb.onError(now: now) } else { cb.onSuccess(now: now) }
            out.append(letter(cb.state))
        }
        return out
    }

    static func letter(_ s: CircuitBreakerState) -> Character {
        switch s {
        case .closed: "C"
        case .open: "O"
        case .halfOpen: "H"
        }
    }

    /// Docs: "if minimumNumberOfCalls is 10, then at least 10 calls must be recorded before the
    /// failure rate can be calculated. If only 9 calls have been evaluated the CircuitBreaker will
    /// not transition to open even if all 9 calls have failed."
    @Test func minimumNumberOfCallsFromTheDocumentation() {
        var cb = CircuitBreaker(config: Self.config(window: 100, minimum: 10))
        #expect(Self.feed(&cb, "FFFFFFFFF") == "CCCCCCCCC")
        #expect(cb.failureRate == -1)
        #expect(Self.feed(&cb, "F") == "O")
        #expect(cb.timesOpened == 1)
    }

    /// A COUNT_BASED window of 4 forgets the oldest outcome: S S S F is 25 %, then F makes the
    /// window S S F F, 50 % >= 50 → OPEN.
    @Test func countBasedWindowEvictsTheOldestCall() {
        var cb = CircuitBreaker(config: Self.config(window: 4, minimum: 4))
        #expect(Self.feed(&cb, "SSSF") == "CCCC")
        #expect(cb.failureRate == 25)
        #expect(Self.feed(&cb, "F") == "O")
        #expect(cb.windowCalls.total == 4 && cb.windowCalls.failed == 2)
    }

    /// 49 % stays closed, the threshold itself opens (`>=`): window 100, 49 failures in 100 calls,
    /// then one more failure replacing a success.
    @Test func thresholdIsInclusive() {
        var cb = CircuitBreaker(config: Self.config(window: 100, minimum: 100))
        let calls = String(repeating: "S", count: 51) + String(repeating: "F", count: 49)
        #expect(Self.feed(&cb, calls).allSatisfy { $0 == "C" })
        #expect(cb.failureRate == 49)
        #expect(Self.feed(&cb, "F") == "O")       // evicts the first S: 50 failures of 100
    }

    /// For a COUNT_BASED window resilience4j uses min(minimumNumberOfCalls, windowSize): with the
    /// default minimum of 100 and a window of 4, four failures open the breaker.
    @Test func minimumIsCappedByTheWindowSize() {
        var cb = CircuitBreaker(config: Self.config(window: 4, minimum: 100))
        #expect(Self.feed(&cb, "FFFF") == "CCCO")
    }

    /// `shouldTransitionToHalfOpenAfterWaitDuration`: open with a 5 s wait; refused at +3 s, allowed
    /// (and HALF_OPEN) at +6 s. The boundary is strict (`isAfter`): refused at exactly +5 s.
    @Test func openWaitsThenTheNextCallMovesToHalfOpen() {
        var cb = CircuitBreaker(config: Self.config(window: 2, minimum: 2))
        _ = Self.feed(&cb, "FF", now: 10 * Self.s)
        #expect(cb.state == .open)
        #expect(cb.openUntil == 15 * Self.s)
        #expect(cb.tryAcquire(now: 10 * Self.s) == false)
        #expect(cb.tryAcquire(now: 13 * Self.s) == false)
        #expect(cb.tryAcquire(now: 15 * Self.s) == false)
        #expect(cb.state == .open)
        #expect(cb.notPermittedCalls == 3)
        #expect(cb.tryAcquire(now: 16 * Self.s) == true)
        #expect(cb.state == .halfOpen)
        #expect(cb.windowCalls.total == 0)        // "Metrics are reset"
    }

    /// `shouldOnlyPermitFourCallsInHalfOpenState`: four permits, then refusals.
    @Test func halfOpenPermitsExactlyThePermittedCalls() {
        var cb = CircuitBreaker(config: Self.config(window: 2, minimum: 2))
        _ = Self.feed(&cb, "FF")
        let permits = (0..<6).map { _ in cb.tryAcquire(now: 6 * Self.s) }
        #expect(permits == [true, true, true, true, false, false])
        #expect(cb.state == .halfOpen)
    }

    /// `shouldTransitionBackToOpenStateWhenFailureRateIsAboveThreshold` (minimum 5, 4 permitted, so
    /// min(5, 4) = 4 outcomes decide): F F S F → 75 % → OPEN, with a new 5 s wait.
    @Test func halfOpenFailuresReopen() {
        var cb = CircuitBreaker(config: Self.config(window: 20, minimum: 5))
        _ = Self.feed(&cb, String(repeating: "F", count: 5))
        #expect(cb.state == .open)
        #expect(Self.feed(&cb, "FFSF", now: 6 * Self.s) == "HHHO")
        #expect(cb.failureRate == 75)
        #expect(cb.openUntil == 11 * Self.s)
        #expect(cb.timesOpened == 2)
    }

    /// `shouldTransitionBackToClosedStateWhenFailureIsBelowThreshold`: F S S S → 25 % → CLOSED
    /// with an empty window; the next success is the window's only call.
    @Test func halfOpenSuccessesClose() {
        var cb = CircuitBreaker(config: Self.config(window: 20, minimum: 5))
        _ = Self.feed(&cb, String(repeating: "F", count: 5))
        #expect(Self.feed(&cb, "FSSS", now: 6 * Self.s) == "HHHC")
        #expect(cb.windowCalls.total == 0)
        #expect(Self.feed(&cb, "S", now: 6 * Self.s) == "C")
        #expect(cb.windowCalls.total == 1 && cb.windowCalls.failed == 0)
    }

    /// With minimumNumberOfCalls 2 and 4 permits the half-open state decides after two outcomes:
    /// F F → 100 % → OPEN before the other two permits are used.
    @Test func halfOpenDecidesAtTheCappedMinimum() {
        var cb = CircuitBreaker(config: Self.config(window: 2, minimum: 2))
        _ = Self.feed(&cb, "FF")
        #expect(Self.feed(&cb, "FF", now: 6 * Self.s) == "HO")
        var cb2 = CircuitBreaker(config: Self.config(window: 2, minimum: 2))
        _ = Self.feed(&cb2, "FF")
        #expect(Self.feed(&cb2, "SF", now: 6 * Self.s) == "HO")    // 50 % >= 50
        var cb3 = CircuitBreaker(config: Self.config(window: 2, minimum: 2))
        _ = Self.feed(&cb3, "FF")
        #expect(Self.feed(&cb3, "SS", now: 6 * Self.s) == "HC")
    }

    /// resilience4j's builder bounds.
    @Test func invalidSettingsAreNamed() {
        #expect(Self.config(threshold: 0, window: 1, minimum: 1).problem?.contains("failureRateThreshold") == true)
        #expect(Self.config(window: 0, minimum: 1).problem?.contains("slidingWindowSize") == true)
        #expect(Self.config(window: 1, minimum: 1, permitted: 0).problem?.contains("permittedNumberOfCalls") == true)
        #expect(CircuitBreakerConfig.resilience4jDefaults.problem == nil)
    }
}
