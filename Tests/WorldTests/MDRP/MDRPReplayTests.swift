import CapsimTestSupport
import Foundation
import Testing
import World

/// Every policy must produce a solution the independent validator accepts, on capsim's own
/// fixture always and on Grubhub's shared instances when they are present.
@Suite struct MDRPReplayTests {
    typealias S = MDRPTestSupport

    /// Replays, writes, validates; returns the result and the output directory (caller removes).
    func replayAndValidate(_ instanceDir: String, _ policy: MDRPPolicy, options: MDRPReplayOptions = MDRPReplayOptions())
        throws -> (MDRPRunResult, TemporaryDirectory)
    {
        let result = try MDRPReplay.run(instanceDirectory: instanceDir, policy: policy, options: options)
        let out = try TemporaryDirectory(prefix: "capsim-mdrp-\(policy.rawValue)")
        try MDRPSolutionWriter.write(result, to: out.path)
        let violations = try MDRPValidator.validate(instanceDirectory: instanceDir, solutionDirectory: out.path)
        #expect(violations.isEmpty, "\(result.instance.name) \(policy): \(violations.prefix(10))")
        return (result, out)
    }

    @Test(arguments: MDRPPolicy.allCases)
    func fixtureSolutionIsFeasible(policy: MDRPPolicy) throws {
        let (r, out) = try replayAndValidate(S.fixture, policy)
        defer { out.remove() }
        #expect(r.orders.count == 40)
        // o40 is ready at 250, after every shift ends (240): no feasible solution delivers it.
        let last = r.instance.orders.firstIndex { $0.id == "o40" }!
        #expect(!r.orders[last].isDelivered)
        #expect(r.deliveredCount > 0)
        // The independent reading of the files gives the same metrics.
        let m = MDRPMetrics(r)
        let s = try MDRPValidator.summary(instanceDirectory: S.fixture, solutionDirectory: out.path)
        #expect(s.delivered == m.ordersDelivered)
        #expect(abs(s.meanClickToDoor - m.clickToDoor.mean) < 1e-9)
        #expect(abs(s.totalPayment - m.totalPayment) < 1e-9)
        #expect(abs(s.meanUtilization - m.courierUtilization) < 1e-9)
    }

    @Test(arguments: MDRPPolicy.allCases)
    func replayIsDeterministic(policy: MDRPPolicy) throws {
        let a = try MDRPReplay.run(instanceDirectory: S.fixture, policy: policy)
        let b = try MDRPReplay.run(instanceDirectory: S.fixture, policy: policy)
        #expect(MDRPSolutionWriter.assignmentsText(a) == MDRPSolutionWriter.assignmentsText(b))
        #expect(MDRPSolutionWriter.ordersText(a) == MDRPSolutionWriter.ordersText(b))
        #expect(MDRPSolutionWriter.couriersText(a) == MDRPSolutionWriter.couriersText(b))
    }

    @Test func optionVariantsStayFeasible() throws {
        let variants: [(MDRPPolicy, MDRPReplayOptions)] = [
            (.batched, MDRPReplayOptions(batchIntervalMinutes: 5, releaseHorizonMinutes: nil)),
            (.bundled, MDRPReplayOptions(batchIntervalMinutes: 1, maxBundleSize: 5, lookaheadMinutes: 10)),
            (.batched, MDRPReplayOptions(lookaheadMinutes: 6, overloadWindowFactor: 1, ignoreSunkWaiting: false)),
            (.greedy, MDRPReplayOptions(releaseHorizonMinutes: 0, greedyMaxRadiusMeters: 2000)),
            (.bundled, MDRPReplayOptions(batchRadiusMeters: 1500, overloadWindowFactor: nil)),
        ]
        for (policy, options) in variants {
            let (_, out) = try replayAndValidate(S.fixture, policy, options: options)
            out.remove()
        }
    }

    @Test func tinyInstanceMatchesHandDerivedTimes() throws {
        // One courier, two orders of one restaurant; every policy must serve both.
        let dir = try S.write(S.tinyInstance())
        defer { dir.remove() }
        for policy in MDRPPolicy.allCases {
            let (r, out) = try replayAndValidate(dir.path, policy, options: MDRPReplayOptions(releaseHorizonMinutes: nil))
            out.remove()
            #expect(r.deliveredCount == 2, "\(policy)")
        }
        // Greedy releases o1 at 0: c1 leaves its start at 0, reaches r1 at 2, is at the counter
        // at 4 (2 of the 4 service minutes), waits for o1's ready time 10, leaves at 12,
        // reaches o1 at 15, hands over at 17 (2 minutes), frees at 19.
        let g = try MDRPReplay.run(instanceDirectory: dir.path, policy: .greedy, options: MDRPReplayOptions(releaseHorizonMinutes: nil))
        #expect(g.assignments[0] == MDRPAssignmentRecord(assignmentTime: 0, pickupTime: 10, courierIndex: 0, orderIndices: [0]))
        #expect(g.orders[0].dropoffTime == 17)
        #expect(g.moves[0][0] == MDRPMove(departureTime: 0, origin: .courierStart(0), destination: .restaurant(0)))
        #expect(g.moves[0][1] == MDRPMove(departureTime: 12, origin: .restaurant(0), destination: .customer(0)))
        // o2 waits for c1 (free at 19): o1 -> r1 is 3 min, counter at 24, pickup 24,
        // leave 26, r1 -> o2 is ceil(1153.8 / 320) = 4 min, hand-over at 32.
        #expect(g.assignments[1] == MDRPAssignmentRecord(assignmentTime: 19, pickupTime: 24, courierIndex: 0, orderIndices: [1]))
        #expect(g.orders[1].dropoffTime == 32)
    }

    @Test func invalidOptionsAreRejected() throws {
        #expect(throws: MDRPReplayError.self) {
            try MDRPReplay.run(instanceDirectory: S.fixture, policy: .batched, options: MDRPReplayOptions(batchIntervalMinutes: 0))
        }
        #expect(throws: MDRPReplayError.self) {
            try MDRPReplay.run(instanceDirectory: S.fixture, policy: .bundled, options: MDRPReplayOptions(maxBundleSize: 9))
        }
    }

    @Test(.enabled(if: !MDRPTestSupport.sharedInstances.isEmpty, "the Grubhub MDRP instances are not present (CAPSIM_SHARED_DIR/data/mdrp)"))
    func sharedGrubhubInstancesAreFeasible() throws {
        let instances = S.sharedInstances
        var rows: [MDRPMetrics] = []
        for dir in instances {
            for policy in MDRPPolicy.allCases {
                let (r, out) = try replayAndValidate(dir, policy)
                out.remove()
                let m = MDRPMetrics(r)
                rows.append(m)
                print("MDRP \(m.instance) \(policy.rawValue): delivered \(m.ordersDelivered)/\(m.ordersTotal), "
                    + "mean click-to-door \(m.clickToDoor.mean), within target \(m.shareWithinTarget), "
                    + "wall \(r.wallSeconds) s")
            }
        }
        print(MDRPComparison(rows: rows, includeRuntime: true).markdown())
    }
}
