import Foundation
import Scenario
import SimCore
import Testing
import World

/// Sticky sessions, client retries, courier shifts, consumer session timeouts and bounded
/// memory, against closed forms and exact counts.
@Suite struct PlatformClientTests {
    static let one = """
        name: one
        model: platform
        duration: 2h
        warmup: 5min
        regions:
          only: { primary: true, latency_target: 1s, demand_share: 1, center: { lon: 0, lat: 45 }, city_radius: 4km }
        demand: { orders_per_hour: 600/h, profile: flat, menu_views_per_order: 4, customers: 500, status_reads: false,
                  history_views_per_order: 0 }
        restaurants: { count: 40, prep_time: 10min }
        couriers: { count: 200 }
        services:
          order_service: { min: 3, max: 3, target_cpu: 70, cpu: { place_order: 1ms, menu_view: 1ms } }
          location_service: { min: 2, max: 2, target_cpu: 70, cpu: { location_update: 1ms, location_consume: 1ms } }
          matching_service: { min: 2, max: 2, target_cpu: 70, cpu: { order_event: 1ms, match_batch: 1ms } }
        load_balancer: { sticky_sessions: true, session_ttl: 10min }
        cache: { l1: { latency: 0s }, l2: { latency: 1ms }, l3: { latency: 10ms } }
        database: { write_latency: 1ms }
        kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 } }
        matching: { policy: batched, interval: 30s, radius: 5km, cancel_after: 30min }
        """

    static func run(_ body: String, _ overrides: [String] = [], seed: UInt64 = 5) throws -> RunMetrics {
        try PlatformSimulationTests.run(try PlatformSimulationTests.load(body, overrides: overrides), seed: seed)
    }

    /// Each of N = 500 customers sends Poisson requests (orders and menu views) at
    /// λ = 3000/h / 500 = 1/600 s; a request rides its cookie iff the customer's previous one
    /// was less than T = 600 s ago. Over D = 7200 s from an empty cookie jar:
    /// E[share] = 1 − [(1 − e^{−λT})/λ + (D − T)e^{−λT}] / D = 0.61010.
    @Test func stickyShareMatchesPoissonReuse() throws {
        let m = try Self.run(Self.one)
        let share = try #require(m.counterValue("order_service@only.sticky_share"))
        let lambda = 1.0 / 600, t = 600.0, d = 7200.0
        let expected = 1 - ((1 - exp(-lambda * t)) / lambda + (d - t) * exp(-lambda * t)) / d
        // ~6,000 requests: one standard error ≈ 0.0063; 5 SE.
        #expect(abs(share - expected) < 0.032, "sticky share \(share) vs \(expected)")
        // Couriers ping every 15 s or 4 s, far inside the TTL: all but each one's first ping.
        let pings = try #require(m.counterValue("location_service@only.sticky_share"))
        #expect(pings > 0.99)
        // Without stickiness nothing rides a cookie.
        let off = try Self.run(Self.one, ["load_balancer.sticky_sessions=false", "duration=20min"])
        #expect(off.counterValue("order_service@only.sticky_share") == nil)
    }

    /// The only order_service replica crashes at 10 min and its replacement needs 2 h to
    /// start: from then on every attempt fails (a dead pod until the health checks remove
    /// it, then no backend at all), so each call that fails does so after exactly
    /// `retries` = 2 retries, and no call is retried and then served; only the calls still
    /// between attempts when the run ends have retried without failing yet.
    @Test func everyFailedCallWasRetriedExactlyRetriesTimes() throws {
        let m = try Self.run(Self.one, ["services.order_service.min=1", "services.order_service.max=1",
                                        "services.order_service.retries=2", "services.order_service.retry_backoff=200ms",
                                        "services.order_service.startup=2h", "services.order_service.timeout=1s",
                                        "faults=[{ kind: replica_crash, service: order_service, region: only, at: 10min }]", "duration=30min"])
        let failed = ["place_order", "menu_view", "order_status", "order_history"]
            .map { m.counterValue("\($0)@only.failed") ?? 0 }.reduce(0, +)
        #expect(failed > 500)
        let retries = try #require(m.counterValue("order_service@only.retries"))
        #expect(retries >= 2 * failed && retries <= 2 * failed + 6, "retries \(retries) for \(failed) failed calls")
        #expect(m.counterValue("orders.rejected") == m.counterValue("place_order@only.failed"))
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
    }

    /// The client's timeout runs while its call waits in a queue. Two traced orders, A at
    /// 400 s and B at 400.1 s, on one 1-core replica whose place_order takes 5 s: B waits,
    /// gives up at 401.1 s, retries at once (1 ms backoff), waits again and gives up at
    /// 402.1 s for good. Had the timeout been noticed only when the core frees (405 s), B's
    /// retry would have found the core idle and been served.
    @Test func queuedCallTimesOutAtArrivalPlusTimeout() throws {
        let dir = NSTemporaryDirectory() + "capsim-timeout-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "placement_time,restaurant_lon,restaurant_lat,customer_lon,customer_lat\n400,0,45,0.01,45\n400.1,0,45,0.01,45.01\n"
            .write(toFile: dir + "/orders.csv", atomically: true, encoding: .utf8)
        try (Self.one + "\n").replacingOccurrences(of: "history_views_per_order: 0 }", with: "history_views_per_order: 0, trace: orders.csv }")
            .replacingOccurrences(of: "menu_views_per_order: 4", with: "menu_views_per_order: 0")
            .write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let c = try ScenarioConfig.load(path: dir + "/t.yaml", overrides: [
            "services.order_service.min=1", "services.order_service.max=1", "services.order_service.cores=1",
            "services.order_service.cpu.place_order=5s", "services.order_service.timeout=1s",
            "services.order_service.retries=1", "services.order_service.retry_backoff=1ms", "duration=20min"])
        let m = try PlatformRunner.run(c, seed: 5, replication: 0, progress: nil)
        #expect(m.counterValue("orders.placed") == 1)
        #expect(m.counterValue("orders.rejected") == 1)
        #expect(m.counterValue("order_service@only.retries") == 1)
        #expect(m.counterValue("order_service@only.timeouts") == 2)
        let h = try #require(m.histogram("place_order@only.latency"))
        #expect(h.count == 1 && h.max > 5_000_000_000 && h.max < 5_200_000_000, "A's latency \(h.max) ns")
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
    }

    /// Constant 30-minute shifts over 2 h with the first end uniform in the first shift: every
    /// courier's shift ends at U·L, U·L + L, U·L + 2L and U·L + 3L < 2 h, four each, unless a
    /// trip in hand delays one (a handful of orders: at most a few).
    @Test func shiftsEndOnSchedule() throws {
        let m = try Self.run(Self.one, ["couriers.shift_length=30min", "demand.orders_per_hour=2/h", "demand.menu_views_per_order=0"])
        let ended = try #require(m.counterValue("couriers.shifts_ended"))
        #expect(ended <= 800 && ended >= 790, "shifts ended \(ended) vs 4 × 200")
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
    }

    /// A crashed consumer's partitions stall until the group notices (session.timeout.ms):
    /// the location_updates partition it owned lags by about a minute of pings with a 60 s
    /// timeout and a few seconds' worth with 1 s. Per-partition mean lags add up to the topic's.
    @Test func crashedConsumerStallsUntilSessionTimeout() throws {
        let base = ["faults=[{ kind: replica_crash, service: location_service, region: only, at: 20min }]", "duration=40min"]
        let slow = try Self.run(Self.one, base + ["kafka.session_timeout=60s"])
        let fast = try Self.run(Self.one, base + ["kafka.session_timeout=1s"])
        let lagSlow = try #require(slow.counterValue("kafka.location_updates@only.max_partition_lag"))
        let lagFast = try #require(fast.counterValue("kafka.location_updates@only.max_partition_lag"))
        // Records per second per partition (pings over the 40 minutes and 4 partitions): a
        // stall of about 60 s + the 3 s pause against 1 s + 3 s (and 3 s when the replacement
        // joins), with room for the Poisson-like burstiness of pings.
        let rate = try #require(slow.counterValue("location_pings")) / 2400 / 4
        #expect(lagSlow > 40 * rate, "60 s timeout: max partition lag \(lagSlow), \(rate) records/s")
        #expect(lagFast < 15 * rate, "1 s timeout: max partition lag \(lagFast), \(rate) records/s")
        let parts = slow.gauges.filter { $0.name.hasPrefix("kafka.location_updates@only.partition.") }
        #expect(parts.count == 4)
        let topic = try #require(slow.gauges.first { $0.name == "kafka.location_updates@only.lag" }?.gauge.mean)
        let sum = parts.map(\.gauge.mean).reduce(0, +)
        #expect(abs(sum - topic) < 1e-6 * max(1, topic), "partition means \(sum) vs topic mean \(topic)")
    }

    /// Six hours with 10-second report intervals: order slots are reused (they follow the
    /// orders in flight, not the orders placed) and every series stays within 512 points.
    @Test func memoryDoesNotGrowWithDuration() throws {
        let m = try Self.run(Self.one, ["duration=6h", "report.interval=10s", "couriers.count=60", "demand.menu_views_per_order=0"])
        let placed = try #require(m.counterValue("orders.placed"))
        let slots = try #require(m.counterValue("orders.slots"))
        #expect(placed > 3000)
        #expect(slots < 0.2 * placed, "slots \(slots) for \(placed) orders")
        for s in m.series { #expect(s.series.values.count <= 512, "\(s.name): \(s.series.values.count) points") }
    }
}
