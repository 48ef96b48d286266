import Testing
import Platform

/// `RetryBudget` against Finagle's (`finagle-core/src/test/scala/com/twitter/finagle/service/
/// RetryBudgetTest.scala`): the same budgets and request loop (10,000 requests at frozen time, each
/// a deposit then a retry attempt). Finagle accepts `nReqs * percentCanRetry + minRetries` ± 1;
/// here the exact count is asserted: with deposit d = 1000 <= withdrawal w, one attempt per request
/// takes whenever the balance allows, so after n requests the retries are
/// floor((n * d + reserve) / w), w = Int(1000 / percent) worked out by hand below.
@Suite struct RetryBudgetTests {
    static let s = TimeUnit.second
    static let ms = TimeUnit.millisecond

    static func loop(_ rb: inout RetryBudget, requests: Int = 10_000) -> Int {
        var retried = 0
        for _ in 0..<requests {
            rb.deposit(now: 0)
            if rb.tryWithdraw(now: 0) {
                retried += 1
            } else {
                #expect(rb.balance(now: 0) == 0)   // Finagle: a refusal means the balance is 0
            }
        }
        return retried
    }

    /// (percentCanRetry, withdrawal Int(1000 / p), exact retries floor(10^7 / w)).
    @Test(arguments: [(0.1, 10_000, 1000), (0.5, 2000, 5000), (0.25, 4000, 2500), (0.75, 1333, 7501),
                      (0.99, 1010, 9900), (0.999, 1001, 9990), (0.9999, 1000, 10_000),
                      (0.01, 100_000, 100), (0.001, 1_000_000, 10), (0.0001, 10_000_000, 1)])
    func percentOfRequestsWithoutReserve(percent: Double, withdrawal: Int, retries: Int) {
        var rb = RetryBudget(ttl: 60 * Self.s, minRetriesPerSecond: 0, percentCanRetry: percent, now: 0)
        #expect(rb.withdrawalAmount == Int64(withdrawal))
        #expect(rb.balance(now: 0) == 0)
        #expect(rb.tryWithdraw(now: 0) == false)
        let retried = Self.loop(&rb)
        #expect(retried == retries)
        #expect(abs(retried - Int(10_000 * percent)) <= 1)   // Finagle's own tolerance
    }

    /// "apply with minRetries and maxPercentOver(=0)" and "apply with minRetries and maxPercentOver":
    /// the reserve is minRetriesPerSec * ttl seconds retries (10 for each case below) on top of the percentage.
    @Test(arguments: [(1, 10, 0.0, 10), (2, 5, 0.0, 10), (1, 10, 0.1, 1010), (2, 5, 0.5, 5010)])
    func reserveOnTopOfThePercentage(ttl: Int, perSecond: Int, percent: Double, retries: Int) {
        var rb = RetryBudget(ttl: Int64(ttl) * Self.s, minRetriesPerSecond: perSecond, percentCanRetry: percent, now: 0)
        #expect(rb.balance(now: 0) == Int64(ttl * perSecond))
        #expect(Self.loop(&rb) == retries)
    }

    /// "apply minRetries=0 maxPercentOver greater than 1.0": percent 2.0 costs 500 tokens a retry,
    /// so 10,000 deposits allow 20,000 retries.
    @Test func percentAboveOne() {
        var rb = RetryBudget(ttl: 60 * Self.s, minRetriesPerSecond: 0, percentCanRetry: 2.0, now: 0)
        for _ in 0..<10_000 { rb.deposit(now: 0) }
        #expect(rb.balance(now: 0) == 20_000)
    }

    /// Finagle's default `RetryBudget()`: ttl 10 s, 10/s, 20 % → withdrawal 5000, reserve
    /// 10 * 10 * 5000, a balance of 100 retries before any request.
    @Test func finagleDefault() {
        var rb = RetryBudget.finagleDefault(now: 0)
        #expect(rb.withdrawalAmount == 5000 && rb.reserve == 500_000)
        #expect(rb.balance(now: 0) == 100)
    }

    /// Both zero is Finagle's `RetryBudget.Empty`: never a retry, deposits change nothing.
    @Test func emptyBudget() {
        var rb = RetryBudget(ttl: 10 * Self.s, minRetriesPerSecond: 0, percentCanRetry: 0, now: 0)
        rb.deposit(now: 0)
        #expect(rb.balance(now: 0) == 0)
        #expect(rb.tryWithdraw(now: 0) == false)
    }

    /// Deposits expire with `WindowedAdder`'s slices (ttl 10 s → 10 windows of 1 s, 9 kept): 10
    /// deposits at t = 0 with percent 0.5 give 5 retries. Read first at 9.999 s, the roll keeps
    /// them (the write window goes to a buffer, 8 skipped slices are cleared); read again at
    /// 10.999 s, the next roll overwrites that buffer: 0. Read first at 10 s, the roll skips all 9
    /// slices: 0. (Hand-computed from `WindowedAdder.expired`.)
    @Test func depositsExpireAfterTheTtl() {
        var a = RetryBudget(ttl: 10 * Self.s, minRetriesPerSecond: 0, percentCanRetry: 0.5, now: 0)
        for _ in 0..<10 { a.deposit(now: 0) }
        #expect(a.balance(now: 0) == 5)
        #expect(a.balance(now: 9_999 * Self.ms) == 5)
        #expect(a.balance(now: 10_998 * Self.ms) == 5)
        #expect(a.balance(now: 10_999 * Self.ms) == 0)

        var b = RetryBudget(ttl: 10 * Self.s, minRetriesPerSecond: 0, percentCanRetry: 0.5, now: 0)
        for _ in 0..<10 { b.deposit(now: 0) }
        #expect(b.balance(now: 9_999 * Self.ms) == 5)
        var c = RetryBudget(ttl: 10 * Self.s, minRetriesPerSecond: 0, percentCanRetry: 0.5, now: 0)
        for _ in 0..<10 { c.deposit(now: 0) }
        #expect(c.balance(now: 10 * Self.s) == 0)
    }

    /// A retry storm against a budget of 20 % (no reserve): 1000 requests each retried up to 3
    /// times while the service fails, at one time: 1000 * 1000 tokens / 5000 per retry = 200 retries
    /// in total, so the load is 1.2× the requests instead of 4×.
    @Test func budgetCapsARetryStorm() {
        var rb = RetryBudget(ttl: 10 * Self.s, minRetriesPerSecond: 0, percentCanRetry: 0.2, now: 0)
        var sent = 0
        for _ in 0..<1000 {
            rb.deposit(now: 0)
            sent += 1
            for _ in 0..<3 where rb.tryWithdraw(now: 0) { sent += 1 }
        }
        #expect(sent == 1200)
        #expect(rb.refused == 3000 - 200)
    }

    @Test func finagleBoundsAreNamed() {
        #expect(RetryBudget.problem(ttl: 0, minRetriesPerSecond: 5, percentCanRetry: 0.1)?.contains("ttl") == true)
        #expect(RetryBudget.problem(ttl: 61 * Self.s, minRetriesPerSecond: 5, percentCanRetry: 0.1)?.contains("ttl") == true)
        #expect(RetryBudget.problem(ttl: 10 * Self.s, minRetriesPerSecond: -1, percentCanRetry: 0.1)?.contains("minRetriesPerSec") == true)
        #expect(RetryBudget.problem(ttl: 10 * Self.s, minRetriesPerSecond: 0, percentCanRetry: -1)?.contains("percentCanRetry") == true)
    }
}
