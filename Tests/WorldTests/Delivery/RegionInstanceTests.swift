import Foundation
import Scenario
import SimCore
import Testing
@testable import World

/// `parallel_regions`: each region's instance builds only its own city (issue 13: the parallel
/// engine's memory), keeping every slot's global id, and runs the hours a staffing curve
/// changes (a staffing step names its city, not a courier).
@Suite struct RegionInstanceTests {
    @Test func eachInstanceHoldsOnlyItsOwnCouriersUnderTheirGlobalIds() throws {
        let (c, p) = try ParallelRegionsTests.config(ParallelRegionsTests.three)
        let sequential = PlatformSimulation(scenario: c, config: p, seed: 7)
        // 150 couriers by demand share 0.5 / 0.3 / 0.2: slots 0..<75, 75..<120, 120..<150.
        #expect(sequential.couriers.couriersBuilt == 0..<150)
        #expect(sequential.couriers.count == 150)
        let lps = RegionRunner.make(c, p, seed: 7)
        #expect(lps.map { $0.model.couriers.couriersBuilt } == [0..<75, 75..<120, 120..<150])
        #expect(lps.allSatisfy { $0.model.couriers.count == 150 })
        // Each built courier sits where the sequential engine put it (the city's own stream).
        for (r, lp) in lps.enumerated() {
            for k in lp.model.couriers.couriersBuilt {
                #expect(lp.model.couriers.city(k) == r)
                #expect(lp.model.couriers.position(k, at: 0) == sequential.couriers.position(k, at: 0))
            }
        }
    }

    /// A staffing curve with an hour boundary 5 minutes in: its step logs couriers on and off
    /// in every instance (it read courier slot `city` for its logical process, which another
    /// region's instance does not hold), the same report on one and two threads.
    @Test func staffingStepsRunInEveryInstance() throws {
        let staffing = "[" + (0..<24).map { $0 % 2 == 0 ? "1" : "0.6" }.joined(separator: ",") + "]"
        let (c, _) = try ParallelRegionsTests.config(ParallelRegionsTests.three,
                                                    ["couriers.staffing=\(staffing)", "demand.start_at=55min"])
        let one = try ParallelRegionsTests.report(c, threads: 1)
        #expect(try ParallelRegionsTests.report(c, threads: 2) == one)
        #expect(one.contains("\"couriers.on_duty\""))
    }
}
