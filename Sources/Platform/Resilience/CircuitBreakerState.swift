/// The states of ``CircuitBreaker`` (resilience4j `CircuitBreaker.State`: CLOSED, OPEN, HALF_OPEN;
/// the operator-forced DISABLED, FORCED_OPEN and METRICS_ONLY are not modelled).
public enum CircuitBreakerState: Sendable, Equatable {
    case closed
    case open
    case halfOpen
}
