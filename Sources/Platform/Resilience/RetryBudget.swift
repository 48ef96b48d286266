/// A retry budget as Finagle computes it (twitter/finagle
/// `finagle-core/src/main/scala/com/twitter/finagle/service/RetryBudget.scala`, `RetryBudget.apply`
/// and `TokenRetryBudget`; the bucket is twitter/util `TokenBucket.newLeakyBucket` over a
/// `WindowedAdder` of `ttl` in 10 slices):
///
/// - every request `deposit`s `1000` tokens (`ScaleFactor`), or 0 when `percentCanRetry == 0`;
/// - a retry `tryWithdraw`s `Int(1000 / percentCanRetry)` tokens (1 when `percentCanRetry == 0`)
///   and is allowed only when the balance covers it; a refused retry changes nothing;
/// - the balance is the deposits and withdrawals of roughly the last `ttl` (they expire with the
///   adder's slices) plus a constant reserve of `minRetriesPerSec * ttlSeconds * withdrawal`
///   tokens, so a new or quiet client may still retry `minRetriesPerSec` per second on average.
///
/// So about `percentCanRetry` of requests may be retried on top of the reserve (Finagle's default
/// `RetryBudget()` is ttl 10 s, 10 retries/s, 20 %). Both zero gives Finagle's `RetryBudget.Empty`.
/// Time is the caller's, in nanoseconds, floored to milliseconds as Finagle's `Stopwatch.timeMillis`.
public struct RetryBudget: Sendable {
    public let ttlSeconds: Int64
    public let minRetriesPerSecond: Int
    public let percentCanRetry: Double
    /// Tokens one request adds (`depositAmount`).
    public let depositAmount: Int64
    /// Tokens one retry costs (`withdrawalAmount`).
    public let withdrawalAmount: Int64
    /// Tokens always available on top of the window (`reserve`).
    public let reserve: Int64
    private let isEmpty: Bool
    private var adder: _WindowedAdder

    /// Retries refused so far (the caller's statistic; Finagle counts them in `budget_exhausted`).
    public private(set) var refused = 0

    /// `RetryBudget(ttl, minRetriesPerSec, percentCanRetry)`. Finagle's bounds: ttl in [1 s, 60 s]
    /// (whole seconds count for the reserve), minRetriesPerSec >= 0, percentCanRetry in [0, 1000].
    public init(ttl: Nanoseconds, minRetriesPerSecond: Int, percentCanRetry: Double, now: Instant) {
        precondition(Self.problem(ttl: ttl, minRetriesPerSecond: minRetriesPerSecond, percentCanRetry: percentCanRetry) == nil,
                     Self.problem(ttl: ttl, minRetriesPerSecond: minRetriesPerSecond, percentCanRetry: percentCanRetry) ?? "")
        ttlSeconds = ttl / TimeUnit.second
        self.minRetriesPerSecond = minRetriesPerSecond
        self.percentCanRetry = percentCanRetry
        isEmpty = minRetriesPerSecond == 0 && percentCanRetry == 0
        depositAmount = percentCanRetry == 0 ? 0 : 1000
        withdrawalAmount = percentCanRetry == 0 ? 1 : Int64(1000.0 / percentCanRetry)
        reserve = Int64(minRetriesPerSecond) * ttlSeconds * withdrawalAmount
        adder = _WindowedAdder(rangeMillis: ttl / TimeUnit.millisecond, slices: 10, nowMillis: now / TimeUnit.millisecond)
    }

    /// Finagle's default budget: ttl 10 s, 10 retries per second, 20 % of requests.
    public static func finagleDefault(now: Instant) -> RetryBudget {
        RetryBudget(ttl: 10 * TimeUnit.second, minRetriesPerSecond: 10, percentCanRetry: 0.2, now: now)
    }

    /// Why these settings are outside Finagle's `require`s, or nil.
    public static func problem(ttl: Nanoseconds, minRetriesPerSecond: Int, percentCanRetry: Double) -> String? {
        if ttl < TimeUnit.second || ttl / TimeUnit.second > 60 { return "ttl must be within [1 s, 60 s], got \(ttl) ns" }
        if minRetriesPerSecond < 0 { return "minRetriesPerSec must be non-negative, got \(minRetriesPerSecond)" }
        if !(percentCanRetry >= 0 && percentCanRetry <= 1000) {
            return "percentCanRetry must be within [0, 1000], got \(percentCanRetry)"
        }
        return nil
    }

    /// A request was sent (first attempts only): credit the budget.
    public mutating func deposit(now: Instant) {
        if isEmpty { return }
        adder.add(depositAmount, nowMillis: now / TimeUnit.millisecond)
    }

    /// Whether a retry may be sent now; if so its cost is withdrawn.
    public mutating func tryWithdraw(now: Instant) -> Bool {
        if isEmpty { refused += 1; return false }
        let ms = now / TimeUnit.millisecond
        if adder.sum(nowMillis: ms) + reserve >= withdrawalAmount {
            adder.add(-withdrawalAmount, nowMillis: ms)
            return true
        }
        refused += 1
        return false
    }

    /// Retries that could be made now (`tokenBucket.count / withdrawalAmount`, truncated toward zero).
    public mutating func balance(now: Instant) -> Int64 {
        if isEmpty { return 0 }
        return (adder.sum(nowMillis: now / TimeUnit.millisecond) + reserve) / withdrawalAmount
    }
}
