import Platform
import Scenario
import SimCore

/// What protects each pool's callers (`services.<name>.circuit_breaker`, `retry_budget`,
/// `limit_req`; each off unless configured), driven by `Services`: a client-side circuit
/// breaker per pool (resilience4j's state machine, `Platform.CircuitBreaker`), a retry budget
/// per pool (Finagle's `RetryBudget`) and NGINX `limit_req ... nodelay` at the pool's balancer
/// (`Platform.LimitReqBucket`). Only client calls (through the balancer, retried by the
/// client) pass through it.
final class Protection {
    /// What happens to a call before it reaches the balancer.
    enum Admission {
        case go
        /// The balancer's limit_req refused it (503): a failed attempt, which the client may retry.
        case rejected
        /// The open breaker refused it (resilience4j CallNotPermittedException): the client
        /// fails at once and does not retry.
        case notPermitted
    }

    private var breakers: [CircuitBreaker?]
    private var budgets: [RetryBudget?]
    private var limits: [LimitReqBucket?]
    /// Whether any pool has any protection (else every call goes at once).
    let active: Bool
    private(set) var breakerRefused: [Int]
    private(set) var breakerOpenedAt: [[SimTime]]
    private(set) var budgetRefused: [Int]
    private(set) var limitRejected: [Int]

    init(services: [PlatformConfig.Service], poolServices: [Int]) {
        breakers = poolServices.map { s in
            services[s].circuitBreaker.map {
                CircuitBreaker(config: CircuitBreakerConfig(failureRateThreshold: Float($0.failureRate), slidingWindowSize: $0.window,
                                                            minimumNumberOfCalls: $0.minimumCalls, waitDurationInOpenState: $0.wait,
                                                            permittedNumberOfCallsInHalfOpenState: $0.halfOpenCalls))
            }
        }
        budgets = poolServices.map { s in
            services[s].retryBudget.map { RetryBudget(ttl: $0.ttl, minRetriesPerSecond: $0.minPerSecond, percentCanRetry: $0.percentCanRetry, now: 0) }
        }
        limits = poolServices.map { s in
            services[s].limitReq.map { LimitReqBucket(config: LimitReqConfig(requestsPerMinute: $0.perMinute, burst: Int64($0.burst), nodelay: true)) }
        }
        active = poolServices.contains { services[$0].circuitBreaker != nil || services[$0].retryBudget != nil || services[$0].limitReq != nil }
        breakerRefused = Array(repeating: 0, count: poolServices.count)
        breakerOpenedAt = Array(repeating: [], count: poolServices.count)
        budgetRefused = breakerRefused
        limitRejected = breakerRefused
    }

    /// A client call's attempt to pool `p` at `now` (`first`: not a retry; `atBalancer`: it
    /// reaches the pool's balancer, i.e. the region is reachable).
    func admit(pool p: Int, first: Bool, atBalancer: Bool, now: SimTime) -> Admission {
        if first { budgets[p]?.deposit(now: now) }
        if breakers[p] != nil, !breakers[p]!.tryAcquire(now: now) {
            breakerRefused[p] += 1
            return .notPermitted
        }
        if atBalancer, limits[p] != nil, limits[p]!.request(now: now).outcome == .reject {
            limitRejected[p] += 1
            return .rejected
        }
        return .go
    }

    /// Whether the budget lets the client retry a failed call to pool `p` now.
    func mayRetry(pool p: Int, now: SimTime) -> Bool {
        guard budgets[p] != nil else { return true }
        if budgets[p]!.tryWithdraw(now: now) { return true }
        budgetRefused[p] += 1
        return false
    }

    /// A call to pool `p` ended: answered, or failed (timeout, no backend, 503).
    func outcome(pool p: Int, failed: Bool, now: SimTime) {
        guard breakers[p] != nil else { return }
        let opened = breakers[p]!.timesOpened
        if failed { breakers[p]!.onError(now: now) } else { breakers[p]!.onSuccess(now: now) }
        if breakers[p]!.timesOpened > opened { breakerOpenedAt[p].append(now) }
    }

    /// Each protected pool's counters (`<pool>.breaker_refused`, `.breaker_opened`,
    /// `.retry_budget_refused`, `.limit_req_rejected`), only for what is configured.
    func report(into m: inout RunMetrics, names: [String]) {
        for p in names.indices {
            if breakers[p] != nil {
                m.counter("\(names[p]).breaker_refused", Double(breakerRefused[p]))
                m.counter("\(names[p]).breaker_opened", Double(breakerOpenedAt[p].count))
            }
            if budgets[p] != nil { m.counter("\(names[p]).retry_budget_refused", Double(budgetRefused[p])) }
            if limits[p] != nil { m.counter("\(names[p]).limit_req_rejected", Double(limitRejected[p])) }
        }
    }
}
