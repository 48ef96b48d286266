import Scenario
import SimCore
import Testing
@testable import World

/// A mid-run region outage moves its clients' calls to the failover region through the one
/// cross-region mechanism, `CrossRegionChannel` (as a `down` region's): each moved call is one
/// `request` message, delivered exactly one one-way trip after it was sent, all of them sent
/// between the detection and the clients' return.
@Suite struct OutageThroughChannelTests {
    @Test func movedCallsCrossTheChannel() throws {
        let c = try PlatformSimulationTests.load(PlatformSimulationTests.small, overrides: [RegionOutageTests.outage, "duration=30min"])
        var errors: [ScenarioError] = []
        let platform = try #require(PlatformConfig.decode(c.document, errors: &errors))
        let model = PlatformSimulation(scenario: c, config: platform, seed: 7)
        model.channel.startRecording()
        var s = Scheduler(reservingCapacity: 1 << 12)
        model.start(&s)
        _ = s.run(model, until: 30 * SimUnit.minute)
        let m = model.metrics(at: s.now)
        let requests = try #require(model.channel.deliveries).filter { $0.kind == .request }
        let key = "fault.0.region_outage@west"
        let detected = SimUnit.fromSeconds(try #require(m.counterValue("\(key).detected_s")))
        let recovered = SimUnit.fromSeconds(try #require(m.counterValue("\(key).recovered_s")))
        #expect(Double(requests.count) == m.counterValue("faults.calls_moved"))
        for d in requests {
            #expect(d.from == 1 && d.to == 0)
            #expect(d.deliveredAt - d.sentAt == model.channel.oneWay(1, 0))
            #expect(d.sentAt >= detected && d.sentAt < recovered)
        }
    }
}
