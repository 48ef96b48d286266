import Foundation
import Scenario
import SimCore
import Testing
import World

/// The platform model: invariants, a closed form, determinism, and the bundled scenarios.
@Suite struct PlatformSimulationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// A small one-region platform; `extra` is appended (YAML) and `overrides` use --set syntax.
    static func load(_ body: String, overrides: [String] = []) throws -> ScenarioConfig {
        let path = NSTemporaryDirectory() + "capsim-platform-\(UUID().uuidString.prefix(8)).yaml"
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try ScenarioConfig.load(path: path, overrides: overrides)
    }

    static let small = """
        name: small
        model: platform
        duration: 40min
        warmup: 5min
        regions:
          east: { primary: true, latency_target: 50ms, demand_share: 0.6, center: { lon: -73.99, lat: 40.73 }, city_radius: 5km, rtt: { west: 60ms } }
          west: { latency_target: 50ms, demand_share: 0.4, center: { lon: -122.42, lat: 37.77 }, city_radius: 5km }
        demand: { orders_per_hour: 600/h, profile: flat, menu_views_per_order: 4, delivery_radius: 3km }
        restaurants: { count: 60, zipf_exponent: 1, prep_time: { gamma: { shape: 2.15, scale: 8.2min } } }
        couriers: { count: 200, speed: 19km/h }
        services:
          order_service: { min: 2, max: 6, target_cpu: 70, cpu: { place_order: 20ms, menu_view: { exponential: { mean: 3ms } } } }
          location_service: { min: 2, max: 6, target_cpu: 70, cpu: { location_update: 2ms, location_consume: 1ms } }
          matching_service: { min: 2, max: 6, target_cpu: 75, cpu: { order_event: 2ms, match_batch: 1ms } }
        cache: { l1: { ttl: 300s, latency: 1ms }, l2: { ttl: 3600s, latency: 5ms }, l3: { latency: 50ms } }
        database: { shards: 16, write_latency: { lognormal: { median: 5ms, sigma: 0.5 } } }
        kafka: { order_events: { partitions: 6 }, location_updates: { partitions: 8 } }
        matching: { policy: batched, interval: 30s, bundle_size: 2, cancel_after: 10min }
        faults: [{ kind: replica_crash, service: order_service, region: east, at: 20min }]
        """

    static func run(_ c: ScenarioConfig, seed: UInt64 = 7) throws -> RunMetrics {
        try PlatformRunner.run(c, seed: seed, replication: 0, progress: nil)
    }

    static func summary(_ m: RunMetrics) -> String {
        var out = ""
        for l in m.latencies { out += "\(l.name) \(l.histogram.count) \(l.histogram.mean) \(l.histogram.percentile(99))\n" }
        for c in m.counters { out += "\(c.name) \(c.value)\n" }
        for g in m.gauges { out += "\(g.name) \(g.gauge.mean) \(g.gauge.max)\n" }
        for s in m.series { out += "\(s.name) \(s.series.values)\n" }
        for i in m.invariants { out += "\(i.name) \(i.holds) \(i.detail)\n" }
        for f in m.findings { out += "\(f.code) \(f.message)\n" }
        return out + "events \(m.eventsProcessed)\n"
    }

    @Test func conservationAndInvariantsHold() throws {
        let m = try Self.run(try Self.load(Self.small))
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
        let placed = m.counterValue("orders.placed") ?? 0
        #expect(placed > 300)
        #expect((m.counterValue("orders.delivered") ?? 0) > 0.2 * placed)
        #expect(placed == (m.counterValue("orders.delivered") ?? -1) + (m.counterValue("orders.cancelled") ?? -1)
                + (m.counterValue("orders.in_flight") ?? -1))
        #expect((m.histogram("click_to_door")?.count ?? 0) > 0)
        #expect((m.counterValue("db.cross_region_writes") ?? 0) > 0)   // west writes go to the east primary
        #expect((m.counterValue("order_service@east.crashes") ?? 0) == 1)
        // The west endpoint pays the 60 ms round trip to the primary on every write.
        let west = try #require(m.histogram("place_order@west.latency"))
        let east = try #require(m.histogram("place_order@east.latency"))
        #expect(west.mean > east.mean + 50e6)
    }

    /// order_service alone on one 2-core replica, exponential CPU, no DB/Kafka latency:
    /// place_order latency is the M/M/2 sojourn. λ = 24/s, μ = 20/s: ρ = 0.6, Erlang C
    /// P(wait) = 0.45, Wq = 0.45 / (2·20 − 24) = 28.125 ms, W = 78.125 ms, Lq = λ·Wq = 0.675.
    @Test func orderServiceMatchesMMc() throws {
        let c = try Self.load("""
            name: mmc-platform
            model: platform
            duration: 40min
            warmup: 2min
            regions:
              only: { primary: true, latency_target: 1s, demand_share: 1, center: { lon: 0, lat: 45 } }
            demand: { orders_per_hour: 86400/h, profile: flat, menu_views_per_order: 0, status_reads: false, history_views_per_order: 0 }
            restaurants: { count: 10, prep_time: 10min }
            couriers: { count: 1 }
            services:
              order_service: { min: 1, max: 1, target_cpu: 70, cores: 2, timeout: 1h,
                               cpu: { place_order: { exponential: { mean: 50ms } }, menu_view: 1ms } }
              location_service: { min: 1, max: 1, target_cpu: 70, cpu: { location_update: 1ms, location_consume: 1ms } }
              matching_service: { min: 1, max: 1, target_cpu: 70, cpu: { order_event: 0s, match_batch: 0s } }
            cache: { l1: { latency: 0s }, l2: { latency: 0s }, l3: { latency: 0s } }
            database: { write_latency: 0s, connections_per_shard: 100000 }
            kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 }, produce_latency: 0s }
            matching: { policy: greedy, cancel_after: 1min }
            """)
        let m = try Self.run(c)
        let h = try #require(m.histogram("place_order@only.latency"))
        let w = h.mean / 1e9
        #expect(h.count > 50_000)
        #expect(abs(w - 0.078125) / 0.078125 < 0.05, "mean sojourn \(w) s vs M/M/2 0.078125 s")
        let util = try #require(m.gauges.first { $0.name == "order_service@only.cpu" }?.gauge.mean)
        #expect(abs(util - 0.6) < 0.03, "utilisation \(util) vs ρ = 0.6")
        // Time-weighted queue length: Lq = P(wait) · ρ / (1 − ρ) = 0.45 · 1.5 = 0.675.
        let lq = try #require(m.gauges.first { $0.name == "order_service@only.queue_length" }?.gauge.mean)
        #expect(abs(lq - 0.675) / 0.675 < 0.08, "queue length \(lq) vs Lq = 0.675")
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
    }

    /// 10 location_service replicas for 4 partitions: at most 4 consume, the advisor says so.
    @Test func consumersCappedByPartitions() throws {
        let c = try Self.load(Self.small, overrides: ["kafka.location_updates.partitions=4", "services.location_service.min=10",
                                                      "services.location_service.max=10", "duration=15min"])
        let m = try Self.run(c)
        #expect(m.counterValue("kafka.location_updates@east.max_consumers") == 10)
        #expect(m.findings.contains { $0.code == "consumers_capped_by_partitions" && $0.message.contains("location_service@east") })
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
    }

    /// One 1-core order_service replica at ~50 % CPU with a 20 % target: the Platform HPA asks
    /// for 3, max is 2, so the pool scales once, stays pinned at max, and the advisor says so.
    @Test func autoscalerScalesAndPinsAtMax() throws {
        let c = try Self.load(Self.small, overrides: [
            "services.order_service.min=1", "services.order_service.max=2", "services.order_service.cores=1",
            "services.order_service.target_cpu=20", "services.order_service.timeout=1h",
            "services.order_service.cpu.place_order=5s", "duration=19min"])
        let m = try Self.run(c)
        #expect((m.counterValue("order_service@east.scale_events") ?? 0) >= 1)
        let replicas = try #require(m.gauges.first { $0.name == "order_service@east.replicas" }?.gauge)
        #expect(replicas.max == 2)
        #expect(m.findings.contains { $0.code == "pinned_at_max_replicas" && $0.message.contains("order_service@east") })
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
    }

    @Test func sameSeedSameMetrics() throws {
        let c = try Self.load(Self.small, overrides: ["duration=15min"])
        let a = Self.summary(try Self.run(c, seed: 11))
        let b = Self.summary(try Self.run(c, seed: 11))
        let other = Self.summary(try Self.run(c, seed: 12))
        #expect(a == b)
        #expect(a != other)
    }

    @Test func bundledScenariosValidateAndDecode() throws {
        let dir = Self.root + "/scenarios"
        let files = ["baseline.yaml"] + (try FileManager.default.contentsOfDirectory(atPath: dir + "/whatif")).sorted()
            .filter { $0.hasSuffix(".yaml") }.map { "whatif/" + $0 }
        #expect(files.count >= 4)
        for f in files {
            let c = try ScenarioConfig.load(path: dir + "/" + f)
            #expect(c.model == .platform, "\(f)")
            var errors: [ScenarioError] = []
            let p = PlatformConfig.decode(c.document, errors: &errors)
            #expect(p != nil && errors.isEmpty, "\(f): \(errors)")
        }
    }

    @Test func unknownKeyIsRejectedWithSuggestion() throws {
        #expect(throws: ScenarioErrors.self) {
            _ = try Self.load(Self.small.replacingOccurrences(of: "bundle_size: 2", with: "bundel_size: 2"))
        }
        do {
            _ = try Self.load(Self.small.replacingOccurrences(of: "bundle_size: 2", with: "bundel_size: 2"))
        } catch {
            #expect(String(describing: error).contains("bundle_size"))
        }
    }
}
