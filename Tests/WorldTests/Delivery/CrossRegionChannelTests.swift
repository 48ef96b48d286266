import Scenario
import SimCore
import Testing
@testable import World

/// Regions as logical processes (issue 10 step 2): what crosses regions goes through
/// `CrossRegionChannel`, stamped one one-way trip (rtt / 2 from the scenario) ahead, and each
/// region draws from its own random streams.
@Suite struct CrossRegionChannelTests {
    /// Two regions 80 ms apart (one-way 40 ms), east holds the primary; a constant 5 ms write
    /// and 1000 connections per shard, so no write ever waits for a connection.
    static let twoRegions = """
        name: regions
        model: platform
        duration: 15min
        warmup: 2min
        regions:
          east: { primary: true, latency_target: 50ms, demand_share: 0.5, center: { lon: -73.99, lat: 40.73 }, city_radius: 5km, rtt: { west: 80ms } }
          west: { latency_target: 50ms, demand_share: 0.5, center: { lon: -122.42, lat: 37.77 }, city_radius: 5km }
        demand: { orders_per_hour: 600/h, profile: flat, menu_views_per_order: 4, delivery_radius: 3km }
        restaurants: { count: 40, zipf_exponent: 1, prep_time: 6min }
        couriers: { count: 120, speed: 19km/h }
        services:
          order_service: { min: 3, max: 3, target_cpu: 70, cpu: { place_order: 20ms, menu_view: 3ms } }
          location_service: { min: 2, max: 2, target_cpu: 70, cpu: { location_update: 2ms, location_consume: 1ms } }
          matching_service: { min: 2, max: 2, target_cpu: 75, cpu: { order_event: 2ms, match_batch: 1ms } }
        cache: { l1: { ttl: 300s, latency: 1ms }, l2: { ttl: 3600s, latency: 5ms }, l3: { latency: 50ms } }
        database: { shards: 4, write_latency: 5ms, connections_per_shard: 1000 }
        kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 } }
        matching: { policy: batched, interval: 30s, bundle_size: 1, cancel_after: 10min }
        """

    static func model(_ body: String, overrides: [String] = [], seed: UInt64 = 5) throws -> PlatformSimulation {
        let c = try PlatformSimulationTests.load(body, overrides: overrides)
        var errors: [ScenarioError] = []
        let platform = try #require(PlatformConfig.decode(c.document, errors: &errors))
        return PlatformSimulation(scenario: c, config: platform, seed: seed)
    }

    /// Runs `model` for `minutes` with the channel recording; returns its deliveries.
    static func deliveries(_ model: PlatformSimulation, minutes: Int) throws -> [CrossRegionChannel.Delivery] {
        model.channel.startRecording()
        var s = Scheduler(reservingCapacity: 1 << 12)
        model.start(&s)
        _ = s.run(model, until: SimTime(minutes) * SimUnit.minute)
        return try #require(model.channel.deliveries)
    }

    /// Every write made in west (an order's INSERT, a status UPDATE) reaches the east primary
    /// exactly 40 ms (rtt / 2) after west sent it, and takes its connection then: its commit,
    /// which sends the answer, is exactly the 5 ms write after the arrival (before step 2 the
    /// connection was taken at the send). The answer reaches west 40 ms after the commit.
    @Test func crossRegionWriteTakesItsConnectionOneOneWayTripAfterTheSend() throws {
        let log = try Self.deliveries(try Self.model(Self.twoRegions), minutes: 15)
        let oneWay = 40 * SimUnit.millisecond, write = 5 * SimUnit.millisecond
        var arrived: [Int32: CrossRegionChannel.Delivery] = [:]
        // Not a bound on the model: without cross-region writes the loop below checks nothing.
        try #require(log.contains { $0.kind == .answer }, "the run made no cross-region write")
        for d in log {
            switch d.kind {
            case .write:
                #expect(d.from == 1 && d.to == 0)
                #expect(d.deliveredAt - d.sentAt == oneWay)
                arrived[d.token] = d
            case .answer:
                #expect(d.from == 0 && d.to == 1)
                #expect(d.deliveredAt - d.sentAt == oneWay)
                let sent = arrived.removeValue(forKey: d.token)
                let w = try #require(sent)
                // Connection taken at w.deliveredAt, held for the constant write latency.
                #expect(d.sentAt - w.deliveredAt == write, "write sent \(w.sentAt), arrived \(w.deliveredAt), committed \(d.sentAt)")
            case .request:
                Issue.record("no region is down: no failover call")
            }
        }
        // Every write is answered but those still on the primary at the end (arrived in the
        // last 5 ms) or whose answer is still on its way (committed in the last 40 ms).
        let end = 15 * SimUnit.minute
        #expect(arrived.values.allSatisfy { $0.deliveredAt > end - write - oneWay })
    }

    /// Three regions (the baseline's 65 / 75 / 140 ms) with eu down, served by us_east: no
    /// message is ever delivered before send + lookahead (the least one-way trip, 32.5 ms),
    /// each is delivered exactly one one-way trip after its send, and in the receiving
    /// region's logical process.
    @Test func channelNeverDeliversBeforeSendPlusLookahead() throws {
        let body = """
            name: three
            model: platform
            duration: 10min
            regions:
              us_east: { primary: true, latency_target: 50ms, demand_share: 0.4, center: { lon: -73.99, lat: 40.73 }, city_radius: 5km, rtt: { us_west: 65ms, eu: 75ms } }
              us_west: { latency_target: 50ms, demand_share: 0.3, center: { lon: -122.42, lat: 37.77 }, city_radius: 5km, rtt: { eu: 140ms } }
              eu: { latency_target: 100ms, demand_share: 0.3, center: { lon: -0.12, lat: 51.5 }, city_radius: 5km, down: true, failover: us_east }
            demand: { orders_per_hour: 900/h, profile: flat, menu_views_per_order: 4, delivery_radius: 3km }
            restaurants: { count: 40, zipf_exponent: 1, prep_time: 6min }
            couriers: { count: 150, speed: 19km/h }
            services:
              order_service: { min: 3, max: 3, target_cpu: 70, cpu: { place_order: 20ms, menu_view: 3ms } }
              location_service: { min: 2, max: 2, target_cpu: 70, cpu: { location_update: 2ms, location_consume: 1ms } }
              matching_service: { min: 2, max: 2, target_cpu: 75, cpu: { order_event: 2ms, match_batch: 1ms } }
            cache: { l1: { ttl: 300s, latency: 1ms }, l2: { ttl: 3600s, latency: 5ms }, l3: { latency: 50ms } }
            database: { shards: 4, write_latency: { exponential: { mean: 5ms } }, connections_per_shard: 2 }
            kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 } }
            """
        let model = try Self.model(body)
        let channel = model.channel
        #expect(channel.lookahead == 32_500_000)   // 65 ms / 2 in ns
        let log = try Self.deliveries(model, minutes: 10)
        var kinds = Set<UInt32>()
        for d in log {
            kinds.insert(d.kind.rawValue)
            #expect(d.deliveredAt >= d.sentAt + channel.lookahead)
            #expect(d.deliveredAt - d.sentAt == channel.oneWay(d.from, d.to))
            switch d.kind {
            case .write: #expect(d.to == 0 && d.from == 1)     // eu's writes are made in us_east, the primary: no message
            case .answer: #expect(d.from == 0 && d.to == 1)
            case .request: #expect(d.from == 2 && d.to == 0)   // eu's city, served by us_east
            }
        }
        #expect(kinds == Set(CrossRegionChannel.Kind.allCases.map(\.rawValue)))
    }

    /// Per-region streams: region 0's cache, Kafka and database draws are the same sequence
    /// whatever region 1 draws in between (with the shared `cache`, `kafka` and `db` streams
    /// before step 2, every draw of region 1 shifted region 0's sequence).
    @Test func oneRegionsDrawsDoNotDependOnAnothersLoad() throws {
        let c = try PlatformSimulationTests.load(Self.twoRegions.replacingOccurrences(
            of: "write_latency: 5ms", with: "write_latency: 5ms, read_replicas: 1, read_latency: { exponential: { mean: 50ms } }"))
        var errors: [ScenarioError] = []
        let config = try #require(PlatformConfig.decode(c.document, errors: &errors))
        func regionZeroDraws(otherLoad: Int) -> [SimTime] {
            let seeder = StreamSeeder(masterSeed: 99)
            let caches = MenuCaches(config: config, seeder: seeder)
            let kafka = KafkaCluster(config: config, seeder: seeder, series: SimUnit.minute)
            let db = OrdersDatabase(config: config, seeder: seeder, warmup: 0)
            let slot0 = caches.addReplica(region: 0), slot1 = caches.addReplica(region: 1)
            var out: [SimTime] = []
            for i in 0..<200 {
                for j in 0..<otherLoad {   // region 1's load: its own lookups, produces and reads
                    _ = caches.lookup(region: 1, j % 7, slot: slot1, request: 10_000 + j, now: SimTime(i) * SimUnit.second)
                    _ = kafka.acksAll(KafkaCluster.topic(region: 1, orderEvents: true))
                    _ = db.readTime(from: 1, counted: false)
                }
                out.append(caches.lookup(region: 0, i % 13, slot: slot0, request: i, now: SimTime(i) * SimUnit.second).after)
                out.append(kafka.acksAll(KafkaCluster.topic(region: 0, orderEvents: false)))
                out.append(db.readTime(from: 0, counted: false))
            }
            return out
        }
        let quiet = regionZeroDraws(otherLoad: 0)
        #expect(regionZeroDraws(otherLoad: 1) == quiet)
        #expect(regionZeroDraws(otherLoad: 5) == quiet)
    }
}
