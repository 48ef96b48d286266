import Testing
import Platform

@Suite struct HealthCheckerTests {
    static let s = TimeUnit.second
    static let ms = TimeUnit.millisecond

    /// Feeds one probe result per character (S pass, F bad status, T timeout) and returns the
    /// rotation state after each (U in, D out).
    func timeline(_ config: HealthCheckConfig, _ outcomes: String) -> String {
        let hc = HealthChecker(config: config)
        hc.addBackend(1, now: 0)
        var out = ""
        var probes: [HealthProbe] = []
        var transitions: [HealthTransition] = []
        for c in outcomes where c != " " {
            let t = hc.nextEventTime()!
            probes.removeAll()
            hc.poll(now: t, probes: &probes, transitions: &transitions)
            precondition(probes.count == 1)
            switch c {
            case "S": hc.report(probes[0], .success, now: t + Self.ms)
            case "F": hc.report(probes[0], .failure, now: t + Self.ms)
            default:
                let deadline = hc.nextEventTime()!
                #expect(deadline == probes[0].deadline)
                hc.poll(now: deadline, probes: &probes, transitions: &transitions)
            }
            out.append(hc.isHealthy(1)! ? "U" : "D")
        }
        return out
    }

    static let haproxy = HealthCheckConfig.haproxy(rise: 2, fall: 3, initialState: .fullyUp)

    /// Leaves after exactly `fall` consecutive failures and returns after exactly `rise`
    /// consecutive passes; an interruption restarts the count. Expected columns worked by hand
    /// from HAProxy's health counter (rise 2, fall 3: counter 0...4, in rotation at >= 2).
    @Test(arguments: [
        // (initial state, outcomes, expected)
        (HealthCheckConfig.InitialState.fullyUp, "FFFSS", "UUDDU"),
        (.fullyUp, "FFSFFF", "UUUUUD"),
        (.fullyUp, "FFSFFSFFF", "UUUUUUUUD"),
        (.fullyUp, "TTTS", "UUDD"),
        (.fullyUp, "FFFSFSS", "UUDDDDU"),
        (.up, "F", "D"),                   // HAProxy default: "up, but will fall down at first failure"
        (.up, "SFFF", "UUUD"),
        (.down, "S", "U"),                 // one pass brings a new backend in
        (.down, "FSS", "DDU"),
        (.fullyDown, "SS", "DU"),
        (.fullyDown, "SFSS", "DDDU"),
    ])
    func thresholdTimelines(initial: HealthCheckConfig.InitialState, outcomes: String, expected: String) {
        var config = Self.haproxy
        config.initialState = initial
        #expect(timeline(config, outcomes) == expected)
    }

    @Test func riseOneFallOne() {
        let c = HealthCheckConfig.haproxy(rise: 1, fall: 1, initialState: .fullyUp)
        #expect(timeline(c, "FSFSS") == "DUDUU")
    }

    /// Envoy: a bad status ejects at once; timeouts count towards unhealthy_threshold; a new host
    /// is healthy after its first pass.
    @Test func envoyRules() {
        let c = HealthCheckConfig.envoy(interval: 5 * Self.s, timeout: Self.s, healthyThreshold: 2, unhealthyThreshold: 3)
        #expect(timeline(c, "SFSSTTT") == "UDDUUUD")
        #expect(timeline(c, "TSS") == "DDU")
    }

    /// Kubernetes readiness defaults: not ready until one pass, out after 3 failures.
    @Test func kubernetesReadiness() {
        #expect(timeline(.kubernetesReadiness(), "SFFFS") == "UUUDU")
    }

    /// The seed's "/health every 10 s" as HAProxy (inter 10 s, timeout = inter, rise 2, fall 3):
    /// a hanging backend from init-state `up` leaves at its first timeout (10 s); from fully up
    /// after timeouts at 10, 30, 50 s (each next probe 10 s after the previous timed out); refusing
    /// connections from fully up, after failures at 0, 10, 20 s; a new backend from fully down is
    /// in after passes at 0 and 10 s.
    @Test func seedDefaultTiming() {
        let s = Self.s
        func run(_ initial: HealthCheckConfig.InitialState, answer: ProbeOutcome?) -> [HealthTransition] {
            var c = HealthCheckConfig.seedDefault
            c.initialState = initial
            let hc = HealthChecker(config: c)
            hc.addBackend(7, now: 0)
            var probes: [HealthProbe] = [], trans: [HealthTransition] = []
            while let t = hc.nextEventTime(), t <= 200 * s, trans.isEmpty {
                probes.removeAll()
                hc.poll(now: t, probes: &probes, transitions: &trans)
                if let a = answer { for p in probes { if let tr = hc.report(p, a, now: t) { trans.append(tr) } } }
            }
            return trans
        }
        #expect(run(.up, answer: nil) == [HealthTransition(backend: 7, healthy: false, at: 10 * s)])
        #expect(run(.fullyUp, answer: nil) == [HealthTransition(backend: 7, healthy: false, at: 50 * s)])
        #expect(run(.fullyUp, answer: .failure) == [HealthTransition(backend: 7, healthy: false, at: 20 * s)])
        #expect(run(.fullyDown, answer: .success) == [HealthTransition(backend: 7, healthy: true, at: 10 * s)])
    }

    /// HAProxy srv_getinter: inter when fully up, fastinter in between, downinter when fully down.
    @Test func intervalsFollowHealthCounter() {
        var c = HealthCheckConfig.haproxy(interval: 10 * Self.s, rise: 2, fall: 3, timeout: Self.s, initialState: .fullyUp)
        c.fastInterval = 2 * Self.s
        c.downInterval = 30 * Self.s
        let hc = HealthChecker(config: c)
        hc.addBackend(1, now: 0)
        var probes: [HealthProbe] = [], trans: [HealthTransition] = []
        var sendTimes: [Int64] = []
        let script: [ProbeOutcome] = [.success, .failure, .failure, .failure, .success, .success, .success]
        for o in script {
            let t = hc.nextEventTime()!
            probes.removeAll()
            hc.poll(now: t, probes: &probes, transitions: &trans)
            sendTimes.append(t / Self.s)
            hc.report(probes[0], o, now: t)
        }
        // pass (full) +10; fail (3) +2; fail (2) +2; fail (0, down) +30; pass (1) +2; pass (4, up) +10
        #expect(sendTimes == [0, 10, 12, 14, 44, 46, 56])
    }

    /// Kubernetes' ticker: the next probe is a period after the previous one was sent.
    @Test func fixedPeriodScheduling() {
        let hc = HealthChecker(config: .kubernetesReadiness())
        hc.addBackend(1, now: 0)
        var probes: [HealthProbe] = [], trans: [HealthTransition] = []
        hc.poll(now: 0, probes: &probes, transitions: &trans)
        hc.report(probes[0], .success, now: 700 * Self.ms)
        #expect(hc.nextEventTime() == 10 * Self.s)
        probes.removeAll()
        hc.poll(now: 10 * Self.s, probes: &probes, transitions: &trans)
        #expect(hc.nextEventTime() == 11 * Self.s)         // timeout 1 s
        hc.poll(now: 11 * Self.s, probes: &probes, transitions: &trans)
        #expect(hc.nextEventTime() == 20 * Self.s)
    }

    @Test func lateAndStaleReports() {
        let hc = HealthChecker(config: Self.haproxy)
        hc.addBackend(1, now: 0)
        var probes: [HealthProbe] = [], trans: [HealthTransition] = []
        hc.poll(now: 0, probes: &probes, transitions: &trans)
        let p = probes[0]
        // Answer after the deadline without a poll in between: a timeout at the deadline.
        #expect(hc.report(p, .success, now: p.deadline + 1) == nil)
        #expect(hc.healthCounter(1) == 3)
        // A second answer to the same probe is ignored.
        #expect(hc.report(p, .failure, now: p.deadline + 2) == nil)
        #expect(hc.healthCounter(1) == 3)
        #expect(hc.nextEventTime() == p.deadline + 2 * Self.s)   // inter 2 s after the timeout
        hc.removeBackend(1)
        #expect(hc.nextEventTime() == nil)
        #expect(hc.isHealthy(1) == nil)
    }

    /// Several backends due together are probed in the order they were added; a re-added id
    /// starts afresh and ignores the old probe.
    @Test func deterministicOrderAndReAdd() {
        let hc = HealthChecker(config: Self.haproxy)
        for id in [30, 10, 20] { hc.addBackend(id, now: 0, firstProbeAt: 5 * Self.s) }
        var probes: [HealthProbe] = [], trans: [HealthTransition] = []
        #expect(hc.nextEventTime() == 5 * Self.s)
        hc.poll(now: 5 * Self.s, probes: &probes, transitions: &trans)
        #expect(probes.map(\.backend) == [30, 10, 20])
        let old = probes[1]
        hc.removeBackend(10)
        hc.addBackend(10, now: 6 * Self.s)
        #expect(hc.report(old, .failure, now: 6 * Self.s) == nil)
        #expect(hc.healthCounter(10) == 4)
    }
}
