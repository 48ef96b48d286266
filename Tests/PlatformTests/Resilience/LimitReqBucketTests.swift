import Testing
import Platform

/// `LimitReqBucket` against request sequences worked out by hand from
/// `ngx_http_limit_req_module.c` (`ngx_http_limit_req_lookup`: excess = max(0, excess − rate·ms/1000
/// + 1000), reject when > burst; `ngx_http_limit_req_account`: delay = (excess − delay)·1000/rate ms)
/// and the behaviour the NGINX documentation describes (`limit_req` burst/nodelay/delay; the NGINX
/// blog "Rate Limiting with NGINX": rate=5r/s burst=12 delay=8 passes 8 excess requests at once,
/// delays the next 4, rejects the rest).
@Suite struct LimitReqBucketTests {
    static let ms = TimeUnit.millisecond

    /// One letter per request: A accept, D delay, R reject; and the delays in ms.
    static func run(_ b: inout LimitReqBucket, at times: [Int64]) -> (String, [Int64]) {
        var letters = "", delays: [Int64] = []
        for t in times {
            let d = b.request(now: t * ms)
            switch d.outcome {
            case .accept: letters.append("A")
            case .delay: letters.append("D"); delays.append(d.delayMilliseconds)
            case .reject: letters.append("R")
            }
        }
        return (letters, delays)
    }

    /// rate=1r/s without burst: one request per second; 1 ms early is still excess (0 − 999 + 1000 = 1 > 0).
    @Test func noBurstAdmitsOnePerInterval() {
        var b = LimitReqBucket(config: LimitReqConfig(requestsPerSecond: 1))
        let (l, _) = Self.run(&b, at: [0, 500, 999, 1000, 1999, 2000])
        #expect(l == "ARRARA")
        #expect(b.rejected == 3)
    }

    /// rate=1r/s burst=5: seven requests at once. The first finds no node (excess 0), the next
    /// five queue at excess 1000…5000 and wait 1…5 s, the seventh (6000 > 5000) is rejected.
    @Test func burstDelaysThenRejects() {
        var b = LimitReqBucket(config: LimitReqConfig(requestsPerSecond: 1, burst: 5))
        let (l, delays) = Self.run(&b, at: Array(repeating: 0, count: 7))
        #expect(l == "ADDDDDR")
        #expect(delays == [1000, 2000, 3000, 4000, 5000])
        #expect(b.excess == 5000)
    }

    /// burst=5 nodelay: the same six pass at once; two seconds later the bucket has drained to
    /// 3000, so the next request (4000 <= 5000) passes and one more at that time (5000) too, then 6000 is rejected.
    @Test func nodelayPassesTheBurstAtOnce() {
        var b = LimitReqBucket(config: LimitReqConfig(requestsPerSecond: 1, burst: 5, nodelay: true))
        let (l1, _) = Self.run(&b, at: Array(repeating: 0, count: 7))
        #expect(l1 == "AAAAAAR")
        let (l2, _) = Self.run(&b, at: [2000, 2000, 2000])
        #expect(l2 == "AAR")
        #expect(b.excess == 5000)
    }

    /// The blog's two-stage limit, rate=5r/s burst=12 delay=8, 14 requests at once: the first plus 8
    /// excess pass, excess 9000…12000 wait (k·1000 − 8000)·1000/5000 = 200…800 ms, 13000 is rejected.
    @Test func twoStageDelay() {
        var b = LimitReqBucket(config: LimitReqConfig(requestsPerSecond: 5, burst: 12, delay: 8))
        let (l, delays) = Self.run(&b, at: Array(repeating: 0, count: 14))
        #expect(l == "AAAAAAAAADDDDR")
        #expect(delays == [200, 400, 600, 800])
    }

    /// rate=30r/m is stored as 30·1000/60 = 500 (0.5 r/s): one request per 2 s; at 1999 ms the
    /// drain is 500·1999/1000 = 999 (integer), leaving excess 1.
    @Test func perMinuteRateTruncates() {
        var b = LimitReqBucket(config: LimitReqConfig(requestsPerMinute: 30))
        #expect(b.config.rate == 500)
        let (l, _) = Self.run(&b, at: [0, 1999, 2000])
        #expect(l == "ARA")
        #expect(LimitReqConfig(requestsPerMinute: 7).rate == 116)
    }

    /// A rejected request leaves the node untouched: the same excess is computed again.
    @Test func rejectionDoesNotCharge() {
        var b = LimitReqBucket(config: LimitReqConfig(requestsPerSecond: 1, burst: 1))
        #expect(b.request(now: 0).excess == 0)
        let second = b.request(now: 0)
        #expect(second.outcome == .delay && second.excess == 1000 && second.delayMilliseconds == 1000)
        let third = b.request(now: 0), fourth = b.request(now: 0)
        #expect(third.outcome == .reject && third.excess == 2000)
        #expect(fourth.outcome == .reject && fourth.excess == 2000)
        let later = b.request(now: 1000 * Self.ms)       // 1000 − 1000 + 1000
        #expect(later.outcome == .delay && later.excess == 1000)
    }

    /// Sub-millisecond times floor to NGINX's millisecond clock: 999.9 ms is 999 ms.
    @Test func timeIsWholeMilliseconds() {
        var b = LimitReqBucket(config: LimitReqConfig(requestsPerSecond: 1))
        _ = b.request(now: 0)
        #expect(b.request(now: 999 * Self.ms + 900_000).outcome == .reject)
        #expect(b.request(now: 1000 * Self.ms).outcome == .accept)
    }

    @Test func invalidSettingsAreNamed() {
        #expect(LimitReqConfig(requestsPerMinute: 0).problem?.contains("rate") == true)
        #expect(LimitReqConfig(requestsPerSecond: 1, rejectStatus: 200).problem?.contains("limit_req_status") == true)
    }
}
