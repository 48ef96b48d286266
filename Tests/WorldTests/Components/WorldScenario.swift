import Foundation
import Scenario
import SimCore
import Testing
import World

/// Small one-region scenarios for the component tests. The tests reach the world only through
/// the scenario text and the run's metrics and findings, so they hold across refactors of
/// the world's internals.
enum WorldScenario {
    /// One region, fixed-size pools, no menu views, status reads or history views: each test
    /// turns on what it measures with `--set` overrides.
    static let base = """
        name: component
        model: platform
        duration: 20min
        warmup: 1min
        regions:
          only: { primary: true, latency_target: 1s, demand_share: 1, center: { lon: 0, lat: 45 }, city_radius: 4km }
        demand: { orders_per_hour: 600/h, profile: flat, menu_views_per_order: 0, status_reads: false, history_views_per_order: 0 }
        restaurants: { count: 10, prep_time: 10min }
        couriers: { count: 20 }
        services:
          order_service: { min: 2, max: 2, target_cpu: 70, cpu: { place_order: 1ms, menu_view: 1ms } }
          location_service: { min: 2, max: 2, target_cpu: 70, cpu: { location_update: 1ms, location_consume: 1ms } }
          matching_service: { min: 2, max: 2, target_cpu: 70, cpu: { order_event: 1ms, match_batch: 1ms } }
        cache: { l1: { latency: 0s }, l2: { latency: 1ms }, l3: { latency: 10ms } }
        database: { write_latency: 1ms }
        kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 }, produce_latency: 0s }
        matching: { policy: batched, interval: 30s, radius: 5km, cancel_after: 30min }
        """

    static func run(_ body: String = base, _ overrides: [String] = [], seed: UInt64 = 5) throws -> RunMetrics {
        try PlatformSimulationTests.run(try PlatformSimulationTests.load(body, overrides: overrides), seed: seed)
    }

    /// Runs `body` with its orders replaced by a trace of orders placed at `times` (seconds),
    /// each from a restaurant at the city centre to a customer 1 km north.
    static func runTraced(_ times: [Double], _ body: String = base, _ overrides: [String] = [], seed: UInt64 = 5) throws -> RunMetrics {
        let dir = NSTemporaryDirectory() + "capsim-comp-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var csv = "placement_time,restaurant_lon,restaurant_lat,customer_lon,customer_lat\n"
        for t in times { csv += "\(t),0,45,0,45.009\n" }
        try csv.write(toFile: dir + "/orders.csv", atomically: true, encoding: .utf8)
        let traced = body.replacingOccurrences(of: "history_views_per_order: 0 }", with: "history_views_per_order: 0, trace: orders.csv }")
        precondition(traced != body, "the scenario's demand line must end with history_views_per_order: 0 }")
        try traced.write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        let c = try ScenarioConfig.load(path: dir + "/s.yaml", overrides: overrides)
        return try PlatformRunner.run(c, seed: seed, replication: 0, progress: nil)
    }

    static func findings(_ m: RunMetrics, _ code: String) -> [(severity: String, message: String)] {
        m.findings.filter { $0.code == code }.map { ($0.severity, $0.message) }
    }

    /// The numbers in a finding's message, in order.
    static func numbers(_ message: String) -> [Double] {
        var out: [Double] = [], cur = ""
        for ch in message + " " {
            if ch.isNumber || (ch == "." && !cur.isEmpty) { cur.append(ch) } else {
                if cur.hasSuffix(".") { cur.removeLast() }
                if let x = Double(cur) { out.append(x) }
                cur = ""
            }
        }
        return out
    }

    static func invariantsHold(_ m: RunMetrics) {
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
    }
}
