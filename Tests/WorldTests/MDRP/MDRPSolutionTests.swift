import CapsimTestSupport
import Foundation
import Testing
import World

/// The writer and the metrics against the tiny instance's hand-derived solution.
@Suite struct MDRPSolutionTests {
    typealias S = MDRPTestSupport

    /// The hand-derived solution of `MDRPTestSupport.tinyInstance` as a run result.
    func tinyResult() throws -> MDRPRunResult {
        let dir = try S.write(S.tinyInstance())
        defer { dir.remove() }
        let inst = try MDRPInstance.load(directory: dir.path)
        return MDRPRunResult(
            instance: inst, policy: .greedy, options: MDRPReplayOptions(),
            assignments: [MDRPAssignmentRecord(assignmentTime: 1, pickupTime: 12, courierIndex: 0, orderIndices: [0, 1])],
            orders: [
                MDRPOrderOutcome(assignmentTime: 1, pickupTime: 12, dropoffTime: 19, courierIndex: 0),
                MDRPOrderOutcome(assignmentTime: 1, pickupTime: 12, dropoffTime: 25, courierIndex: 0),
            ],
            moves: [[
                MDRPMove(departureTime: 1, origin: .courierStart(0), destination: .restaurant(0)),
                MDRPMove(departureTime: 14, origin: .restaurant(0), destination: .customer(0)),
                MDRPMove(departureTime: 21, origin: .customer(0), destination: .customer(1)),
            ]],
            dispatchRounds: 1, events: 0, wallSeconds: 0)
    }

    @Test func writesExactlyTheHandWrittenFiles() throws {
        let r = try tinyResult()
        #expect(MDRPSolutionWriter.assignmentsText(r) == S.tinyAssignments)
        #expect(MDRPSolutionWriter.ordersText(r) == S.tinyOrders)
        #expect(MDRPSolutionWriter.couriersText(r) == S.tinyCouriers)
    }

    @Test func undeliveredOrderLeavesThreeEmptyFields() throws {
        var r = try tinyResult()
        r.orders[1] = MDRPOrderOutcome()
        let line = MDRPSolutionWriter.ordersText(r).split(separator: "\n")[2]
        #expect(line == "o2 1 r1 960 640 12   ")
        #expect(line.split(separator: " ", omittingEmptySubsequences: false).count == 9)
    }

    @Test func writeReplacesFilesAtomically() throws {
        let r = try tinyResult()
        let dir = try TemporaryDirectory(prefix: "capsim-mdrp-out")
        defer { dir.remove() }
        let out = dir.file("nested/solution")
        try "stale".write(toFile: dir.path + "/x", atomically: true, encoding: .utf8)
        try MDRPSolutionWriter.write(r, to: out)
        try MDRPSolutionWriter.write(r, to: out)  // overwrite
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["solution_info_assignments.txt", "solution_info_couriers.txt", "solution_info_orders.txt"])
        #expect(try String(contentsOfFile: out + "/solution_info_orders.txt", encoding: .utf8) == S.tinyOrders)
    }

    @Test func metricsMatchClosedForm() throws {
        let m = MDRPMetrics(try tinyResult())
        // click-to-door: o1 19 - 0 = 19, o2 25 - 1 = 24.
        #expect(m.ordersDelivered == 2 && m.ordersUndelivered == 0)
        #expect(m.clickToDoor.mean == 21.5)
        #expect(m.clickToDoor.p50 == 21.5)
        #expect(m.clickToDoor.p90 == 19 + 0.9 * 5)
        #expect(m.shareWithinTarget == 1 && m.shareWithinMaximum == 1)
        // ready-to-pickup: 12 - 10 = 2 and 12 - 12 = 0.
        #expect(m.readyToPickup.mean == 1)
        // utilisation: driving 2 + 3 + 2, pickup 4, drop-off 2 x 4 = 19 of a 60-minute shift.
        #expect(m.courierUtilization == 19.0 / 60)
        // pay: max(2 x 10, 1 h x 15) = 20, above the guarantee.
        #expect(m.totalPayment == 20)
        #expect(m.shareOnGuarantee == 0)
        #expect(m.ordersPerCourierHour == 2)
        #expect(m.meanOrdersPerAssignment == 2)
    }

    @Test func undeliveredOrdersCountAsMissesOfTheTarget() throws {
        var r = try tinyResult()
        r.orders[1] = MDRPOrderOutcome()
        r.assignments[0].orderIndices = [0]
        let m = MDRPMetrics(r)
        #expect(m.ordersDelivered == 1 && m.ordersUndelivered == 1)
        #expect(m.shareWithinTarget == 0.5)
        #expect(m.shareOfDeliveredWithinTarget == 1)
        // 1 order x 10 < 15 guaranteed.
        #expect(m.totalPayment == 15 && m.shareOnGuarantee == 1)
    }

    @Test func percentilesInterpolateLikeNumpy() {
        // numpy.percentile([1, 2, 3, 4, 10], [10, 50, 90, 99]) = [1.4, 3, 7.6, 9.76]
        let d = MDRPDistribution([10, 2, 4, 1, 3])
        #expect(abs(d.p10 - 1.4) < 1e-12)
        #expect(d.p50 == 3)
        #expect(abs(d.p90 - 7.6) < 1e-12)
        #expect(abs(d.p99 - 9.76) < 1e-12)
        #expect(d.mean == 4 && d.min == 1 && d.max == 10)
        #expect(MDRPDistribution([]).count == 0)
    }

    @Test func comparisonRendersTableAndSelfContainedHTML() throws {
        let a = MDRPMetrics(try tinyResult())
        var b = a
        b.policy = "batched"
        let c = MDRPComparison(rows: [a, b])
        let md = c.markdown()
        let lines = md.split(separator: "\n")
        #expect(lines[0].hasPrefix("| instance | policy | delivered | click-to-door mean (min) |"))
        #expect(lines[2].hasPrefix("| \(a.instance) | greedy | 2 / 2 | 21.5 |"))
        #expect(lines[3].hasPrefix("| \(a.instance) | batched | 2 / 2 | 21.5 |"))
        #expect(!md.contains("runtime"))
        let html = c.html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("@import"))
        // The only URL is the SVG namespace, which browsers never fetch.
        #expect(html.components(separatedBy: "http").count - 1 == 3)
        #expect(html == MDRPComparison(rows: [a, b]).html())
        #expect(MDRPComparison(rows: [a], includeRuntime: true).markdown().contains("runtime (s)"))
    }
}
