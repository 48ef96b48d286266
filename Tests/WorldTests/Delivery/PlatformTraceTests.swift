import Foundation
import Scenario
import SimCore
import Testing
import World

/// `demand: { trace: orders.csv }`: recorded orders replace the Poisson orders.
@Suite struct PlatformTraceTests {
    @Test func traceDrivesOrdersExactly() throws {
        let dir = NSTemporaryDirectory() + "capsim-trace-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 120 orders over 20 minutes near east's centre from two restaurants given by
        // position, each with a ready time 10 minutes after placement.
        var east = "order,placement_time,ready_time,restaurant,restaurant_lon,restaurant_lat,customer_lon,customer_lat\n"
        for i in 0..<120 {
            let t = Double(i) * 10, r = i % 2
            east += "o\(i),\(t),\(t + 600),e\(r),\(-73.99 + 0.01 * Double(r)),40.73,\(-73.98 + 0.0001 * Double(i)),40.74\n"
        }
        try east.write(toFile: dir + "/orders.csv", atomically: true, encoding: .utf8)
        let yaml = PlatformSimulationTests.small
            .replacingOccurrences(of: "demand: { orders_per_hour: 600/h, profile: flat, menu_views_per_order: 4, delivery_radius: 3km }",
                                  with: "demand: { orders_per_hour: 600/h, profile: flat, menu_views_per_order: 4, delivery_radius: 3km, trace: orders.csv }")
            .replacingOccurrences(of: "faults: [{ kind: replica_crash, service: order_service, region: east, at: 20min }]", with: "")
        try yaml.write(toFile: dir + "/trace.yaml", atomically: true, encoding: .utf8)
        let c = try ScenarioConfig.load(path: dir + "/trace.yaml")
        let m = try PlatformRunner.run(c, seed: 3, replication: 0, progress: nil)
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
        let traced = east.split(separator: "\n").count - 1
        // Every traced order, and only those, is placed (none lost in a 40-min run of 20 min of orders).
        #expect((m.counterValue("orders.placed") ?? 0) + (m.counterValue("orders.rejected") ?? 0) == Double(traced))
        #expect((m.counterValue("db.cross_region_writes") ?? -1) == 0)   // every traced order is in east
        #expect((m.counterValue("menu_views") ?? 0) > 0)                 // menu views stay Poisson

        // A missing trace file is a scenario error naming the key.
        let missing = yaml.replacingOccurrences(of: "trace: orders.csv", with: "trace: nowhere.csv")
        try missing.write(toFile: dir + "/missing.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try ScenarioConfig.load(path: dir + "/missing.yaml")
            Issue.record("a missing trace must be an error")
        } catch {
            #expect(error.errors.contains { $0.path == "demand.trace" && $0.message.contains("does not exist") })
        }
    }
}
