import Foundation
import Scenario
import SimCore
import Testing
@testable import World

/// Region outages (`faults: [{ kind: region_outage, ... }]`): detection against the health
/// checks' closed form, the DNS TTL bounds, failover and failback in a small run.
@Suite struct RegionOutageTests {
    /// Detection after a change at t: probes every I from time 0, `fall` failures in a row:
    /// the delay lies in ((fall − 1)·I, fall·I], i.e. fall × I within one interval. Checked
    /// against a brute-force walk over the probe times for every start on a 1 s grid.
    @Test(arguments: [(10, 3), (30, 3), (10, 1), (5, 10)])
    func detectionIsFallTimesInterval(intervalSeconds: Int, fall: Int) {
        let I = SimTime(intervalSeconds) * SimUnit.second
        for startSeconds in stride(from: 0, to: 3 * intervalSeconds + 1, by: 1) {
            let t = SimTime(startSeconds) * SimUnit.second + 1_234   // not on a probe
            let at = Faults.detection(after: t, interval: I, fall: fall)
            // Brute force: walk the probes, count failures after t.
            var probe: SimTime = 0, failed = 0
            while failed < fall { probe += I; if probe > t { failed += 1 } }
            #expect(at == probe)
            #expect(at - t > SimTime(fall - 1) * I && at - t <= SimTime(fall) * I)
        }
        // A change exactly on a probe is seen by the next one (the probe at t saw the old state).
        #expect(Faults.detection(after: 2 * I, interval: I, fall: fall) == 2 * I + SimTime(fall) * I)
    }

    /// DNS failover: no client moves before the change, every client has moved one TTL after
    /// it, and the share moved at TTL/2 is one half (10,000 clients: the binomial standard
    /// deviation is 0.005, so 0.02 is four of them); back the same way after recovery.
    @Test func dnsClientsMoveWithinTheTTL() throws {
        let ttl = 60 * SimUnit.second, change = 100 * SimUnit.second, back = 500 * SimUnit.second
        var errors: [ScenarioError] = []
        let c = try #require(PlatformConfig.decode(try PlatformSimulationTests.load(PlatformSimulationTests.small).document, errors: &errors))
        let routing = RegionRouting(config: c, poolOf: [[0, 1, 2], [3, 4, 5]], active: true)
        routing.regionLost(1)
        routing.failOver(1, to: 0, at: change, spread: ttl)
        let keys = 0..<10_000
        #expect(keys.allSatisfy { !routing.usesFailover(region: 1, key: $0, now: change - 1) })
        #expect(keys.allSatisfy { routing.usesFailover(region: 1, key: $0, now: change + ttl) })
        let half = Double(keys.filter { routing.usesFailover(region: 1, key: $0, now: change + ttl / 2) }.count) / 10_000
        #expect(abs(half - 0.5) < 0.02)
        // Unmoved clients find the region unreachable; moved ones get the failover pool.
        let unmoved = keys.first { !routing.usesFailover(region: 1, key: $0, now: change + ttl / 2) }!
        #expect(routing.route(pool: 3, region: 1, service: 0, key: unmoved, now: change + ttl / 2) == -1)
        #expect(routing.route(pool: 4, region: 1, service: 1, key: unmoved, now: change + ttl) == 1)
        routing.regionBack(1)
        routing.failBack(1, at: back, spread: ttl)
        #expect(keys.allSatisfy { routing.usesFailover(region: 1, key: $0, now: back - 1) })
        #expect(keys.allSatisfy { !routing.usesFailover(region: 1, key: $0, now: back + ttl) })
        #expect(routing.route(pool: 3, region: 1, service: 0, key: unmoved, now: back + ttl) == 3)
    }

    static let outage = "faults=[{ kind: region_outage, region: west, at: 20min, for: 5min, check_interval: 10s, fall: 3 }]"

    /// A whole run: the incident's detection is fall × interval after the start (within one
    /// interval), a global balancer's mitigation is its detection, the recovery is the
    /// checks' detection after the end; west's calls are answered by east with the round trip
    /// during the outage; the invariants hold.
    @Test(arguments: ["health_check", "dns"])
    func outageRunsAndRecovers(detection: String) throws {
        let c = try PlatformSimulationTests.load(PlatformSimulationTests.small,
                                                 overrides: [Self.outage.replacingOccurrences(of: "fall: 3", with: "fall: 3, detection: \(detection), dns_ttl: 30s")])
        let m = try PlatformSimulationTests.run(c)
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
        let key = "fault.0.region_outage@west"
        let start = try #require(m.counterValue("\(key).start_s"))
        let detected = try #require(m.counterValue("\(key).detected_s"))
        let mitigated = try #require(m.counterValue("\(key).mitigated_s"))
        let recovered = try #require(m.counterValue("\(key).recovered_s"))
        #expect(start == 1200)
        #expect(detected - start > 20 && detected - start <= 30)
        let spread = detection == "dns" ? 30.0 : 0
        #expect(mitigated == detected + spread)
        // Back at 25 min; three passing probes (20-30 s), then the clients' return.
        #expect(recovered - 1500 > 20 + spread && recovered - 1500 <= 30 + spread)
        #expect((m.counterValue("faults.calls_moved") ?? 0) > 0)
        #expect((m.counterValue("\(key).failed_requests") ?? 0) <= (m.counterValue("faults.calls_unreachable") ?? 0))
        #expect(m.markers.contains { $0.kind == "failover" && $0.label.contains("west") })
        #expect((m.counterValue("cross_region.client_calls") ?? 0) > 0)
    }

    /// The removed `failures:` section is refused, naming its `faults:` replacement.
    @Test func oldFailuresKeyNamesTheNewForm() throws {
        let old = PlatformSimulationTests.small.replacingOccurrences(
            of: "faults: [{ kind: replica_crash, service: order_service, region: east, at: 20min }]",
            with: "failures: { crashes: [{ service: order_service, region: east, at: 20min, count: 2 }], rates: [{ service: location_service, per_replica: 2/h }] }")
        do {
            _ = try PlatformSimulationTests.load(old)
            Issue.record("a scenario with failures: loaded")
        } catch let error as ScenarioErrors {
            let e = try #require(error.errors.first { $0.path == "failures" })
            #expect(e.message.contains("faults:"))
            #expect(e.fix.contains("- { kind: replica_crash, service: order_service, region: east, at: 20min, count: 2 }"))
            #expect(e.fix.contains("- { kind: replica_crash, service: location_service, rate: 2/h }"))
            #expect(error.errors.count == 1)
        }
    }

    /// Kinds check their keys: a crash without a service, an outage of the primary.
    @Test func faultKeysAreCheckedPerKind() throws {
        for (set, path) in [("faults=[{ kind: replica_crash, region: east, at: 1min }]", "faults[0].service"),
                            ("faults=[{ kind: region_outage, region: east, at: 1min }]", "faults[0].region"),
                            ("faults=[{ kind: region_outage, region: west }]", "faults[0].at"),
                            ("faults=[{ kind: replica_crash, service: order_service, rate: 1/h, region: east }]", "faults[0].region")] {
            do {
                _ = try PlatformSimulationTests.load(PlatformSimulationTests.small, overrides: [set])
                Issue.record("\(set) loaded")
            } catch let error as ScenarioErrors {
                #expect(error.errors.map(\.path) == [path], "\(set)")
            }
        }
    }
}
