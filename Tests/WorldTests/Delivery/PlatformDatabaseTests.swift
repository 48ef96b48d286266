import Foundation
import Scenario
import SimCore
import Testing
import World

/// Read replicas, replication lag and partition pruning against closed forms.
@Suite struct PlatformDatabaseTests {
    /// One or two regions with zero service CPU, zero Kafka latency and constant reads, so
    /// the only randomness in a status read's staleness is the replication lag.
    static func scenario(lag: String, delay: String, replicas: Int = 1, epoch: String = "2024-01-15",
                         range: String = "90d", duration: String = "90min") -> String {
        """
        name: db
        model: platform
        duration: \(duration)
        warmup: 5min
        regions:
          east: { primary: true, latency_target: 1s, demand_share: 0.5, center: { lon: -73.99, lat: 40.73 }, city_radius: 4km, rtt: { west: 100ms } }
          west: { latency_target: 1s, demand_share: 0.5, center: { lon: -122.42, lat: 37.77 }, city_radius: 4km }
        demand: { orders_per_hour: 2400/h, profile: flat, menu_views_per_order: 0, status_read_delay: \(delay),
                  history_views_per_order: 1, history_range: \(range) }
        restaurants: { count: 60, prep_time: 5min }
        couriers: { count: 600 }
        services:
          order_service: { min: 4, max: 4, target_cpu: 70, cpu: { place_order: 0s, menu_view: 0s, order_status: 0s, order_history: 0s } }
          location_service: { min: 2, max: 2, target_cpu: 70, cpu: { location_update: 0s, location_consume: 0s } }
          matching_service: { min: 2, max: 2, target_cpu: 70, cpu: { order_event: 0s, match_batch: 0s } }
        cache: { l1: { latency: 0s }, l2: { latency: 0s }, l3: { latency: 10ms } }
        database: { shards: 16, epoch: "\(epoch)", read_replicas: \(replicas), replication_lag: \(lag),
                    write_latency: 1ms, read_latency: 10ms, connections_per_shard: 100000 }
        kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 }, produce_latency: 0s }
        matching: { policy: batched, interval: 10s, radius: 5km, cancel_after: 30min }
        """
    }

    static func run(_ body: String, seed: UInt64 = 3) throws -> RunMetrics {
        try PlatformSimulationTests.run(try PlatformSimulationTests.load(body), seed: seed)
    }

    /// A read issued `d` after the writer heard of the commit finds the row on the local
    /// replica unless the lag exceeds the time the read had: in the primary region that is
    /// d; in a region a round trip R away the write reached the primary R/2 after it was sent
    /// (model 2: through the cross-region channel), so the ack takes the other R/2 after the
    /// commit, as does the WAL to that region's replica: stale again iff lag > d. (Before
    /// model 2 the ack took the whole R after the commit, giving lag > d + R/2 there and
    /// (e^{-d/m} + e^{-(d+R/2)/m}) / 2 = 0.48720 overall.) Lag ~ Exp(mean m):
    /// P(stale) = e^{-d/m}; m = 100 ms, d = 50 ms: e^{-0.5} = 0.60653.
    @Test func staleReadsFollowTheLagDistribution() throws {
        let m = try Self.run(Self.scenario(lag: "{ exponential: { mean: 100ms } }", delay: "50ms"))
        let reads = try #require(m.counterValue("db.status_reads"))
        let ratio = try #require(m.counterValue("db.stale_read_ratio"))
        let p = exp(-0.5)
        // Reads are Bernoulli(p) given the region; 5 standard errors.
        let tolerance = 5 * (p * (1 - p) / reads).squareRoot()
        #expect(reads > 8000)
        #expect(abs(ratio - p) < tolerance, "stale ratio \(ratio) vs \(p) ± \(tolerance) over \(Int(reads)) reads")
        for inv in m.invariants { #expect(inv.holds, "\(inv.name): \(inv.detail)") }
    }

    /// Without replicas every read goes to the primary: never stale, and the west pays the
    /// round trip on each read (10 ms read + 100 ms).
    @Test func readsWithoutReplicasAreFreshAndPayTheRoundTrip() throws {
        let m = try Self.run(Self.scenario(lag: "{ exponential: { mean: 100ms } }", delay: "50ms", replicas: 0, duration: "30min"))
        #expect(m.counterValue("db.stale_reads") == 0)
        #expect((m.counterValue("db.status_reads") ?? 0) > 1000)
        let west = try #require(m.histogram("order_status@west.latency"))
        let east = try #require(m.histogram("order_status@east.latency"))
        #expect(abs(east.percentile(50) - 10e6) < 0.01 * 10e6, "east p50 \(east.percentile(50))")
        #expect(abs(west.percentile(50) - 110e6) < 0.01 * 110e6, "west p50 \(west.percentile(50))")
        // Every west read (status and history) after the warm-up crossed to the primary and no
        // east read did (that would double the count); only reads still in flight at the end
        // are counted without a latency.
        let westReads = Double(west.count + (m.histogram("order_history@west.latency")?.count ?? 0))
        let crossReads = try #require(m.counterValue("db.cross_region_reads"))
        #expect(crossReads >= westReads && crossReads <= westReads + 10, "cross-region reads \(crossReads) vs west reads after warm-up \(westReads)")
    }

    /// A 90-day history ending in January 2024 (epoch 2024-01-15, 30 minutes simulated)
    /// reaches back to 2023-10-17: October, November, December and January, four monthly
    /// partitions in each of the 16 hash shards = 64; a shard scans its four one after another
    /// (4 × 10 ms) and the shards run in parallel, so the query takes 40 ms.
    @Test func historyQueriesPruneMonthsButScanEveryShard() throws {
        let m = try Self.run(Self.scenario(lag: "0s", delay: "50ms", duration: "30min"))
        #expect(m.counterValue("db.partitions_per_history_query") == 64)
        #expect((m.counterValue("db.history_queries") ?? 0) > 500)
        let h = try #require(m.histogram("order_history@east.latency"))
        #expect(abs(h.percentile(50) - 40e6) < 0.01 * 40e6 && abs(Double(h.max) - 40e6) < 0.01 * 40e6, "history p50 \(h.percentile(50)) max \(h.max)")
        // Ten days back from 2024-01-20 stays in January: one month in each shard.
        let short = try Self.run(Self.scenario(lag: "0s", delay: "50ms", epoch: "2024-01-20", range: "10d", duration: "20min"))
        #expect(short.counterValue("db.partitions_per_history_query") == 16)
        // Zero lag: no read is ever stale.
        #expect(m.counterValue("db.stale_reads") == 0)
    }
}
