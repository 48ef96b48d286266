import Foundation
import Scenario
import SimCore
import Testing
import World

/// Greedy matching, a lost region (west served by east) and random crashes keep the invariants.
@Suite struct PlatformFailoverTests {
    @Test func greedyLostRegionAndCrashRatesKeepInvariants() throws {
        let body = PlatformSimulationTests.small.replacingOccurrences(
            of: "faults: [{ kind: replica_crash, service: order_service, region: east, at: 20min }]",
            with: "faults: [{ kind: replica_crash, service: location_service, rate: 2/h }, { kind: replica_crash, service: matching_service, rate: 2/h }]")
        let c = try PlatformSimulationTests.load(body, overrides: ["matching.policy=greedy", "matching.bundle_size=1",
                                                                  "regions.west.down=true", "regions.west.failover=east"])
        let m = try PlatformSimulationTests.run(c)
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
        #expect((m.counterValue("orders.delivered") ?? 0) > 0)
        #expect((m.counterValue("location_service@east.crashes") ?? 0) > 0)
        #expect(m.counterValue("db.cross_region_writes") == 0)   // east serves west and holds the primary
        #expect(!m.gauges.contains { $0.name == "order_service@west.replicas" })
        let west = try #require(m.histogram("menu_view@west.latency"))
        let east = try #require(m.histogram("menu_view@east.latency"))
        #expect(west.mean > east.mean + 50e6)   // the 60 ms round trip to the failover region
    }
}
