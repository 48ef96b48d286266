import Scenario
import SimCore
import Testing
@testable import World

/// Service pools in the world: a crashed pod is taken out of the balancer by the active health
/// checks after `fall` consecutive failed probes. HAProxy (`src/check.c`) re-arms a server's
/// check `inter` after the previous check completes, and a probe to a dead server completes when
/// it times out (`timeout check`, `inter` when unset), so consecutive failed probes are
/// inter + timeout apart: with u ∈ (0, inter] the wait for the first probe after the crash,
/// detection = u + timeout + (fall − 1)(inter + timeout). That is the issue's "fall × interval
/// ± one interval" only when the timeout is small next to the interval; with the default
/// timeout (= interval) it is about twice that.
@Suite struct HealthCheckDetectionTests {
    /// One region, its order_service replica with the lowest id crashes at 10 min.
    static func scenario(interval: String, fall: Int, timeout: String) -> String {
        """
        name: health
        model: platform
        duration: 20min
        regions:
          east: { primary: true, latency_target: 50ms, demand_share: 1, center: { lon: -73.99, lat: 40.73 }, city_radius: 5km }
        demand: { orders_per_hour: 300/h, profile: flat, menu_views_per_order: 2, delivery_radius: 3km }
        restaurants: { count: 20, zipf_exponent: 1, prep_time: 8min }
        couriers: { count: 40, speed: 19km/h }
        services:
          order_service: { min: 3, max: 3, target_cpu: 70, cpu: { place_order: 20ms, menu_view: 3ms } }
          location_service: { min: 2, max: 2, target_cpu: 70, cpu: { location_update: 2ms, location_consume: 1ms } }
          matching_service: { min: 2, max: 2, target_cpu: 75, cpu: { order_event: 2ms, match_batch: 1ms } }
        cache: { l1: { ttl: 300s, latency: 1ms }, l2: { ttl: 3600s, latency: 5ms }, l3: { latency: 50ms } }
        database: { shards: 4, write_latency: 5ms }
        load_balancer: { health_check: { interval: \(interval), fall: \(fall), rise: 2, timeout: \(timeout) } }
        kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 } }
        faults: [{ kind: replica_crash, service: order_service, region: east, at: 10min, count: 1 }]
        """
    }

    /// Runs to the crash, then in 10 ms steps until the crashed pod is marked down; returns
    /// the detection delay.
    static func detectionDelay(interval: String, fall: Int, timeout: String) throws -> SimTime {
        let c = try PlatformSimulationTests.load(scenario(interval: interval, fall: fall, timeout: timeout))
        var errors: [ScenarioError] = []
        let platform = try #require(PlatformConfig.decode(c.document, errors: &errors))
        let model = PlatformSimulation(scenario: c, config: platform, seed: 11)
        var s = Scheduler(reservingCapacity: 1 << 12)
        model.start(&s)
        let crashAt = 10 * SimUnit.minute
        _ = s.run(model, until: crashAt)
        let p = model.services.pool(region: 0, service: 0)
        let dead = try #require(model.pools[p].replicas.indices.first { model.pools[p].replicas[$0].state == .dead })
        #expect(!model.pools[p].replicas[dead].markedDown)
        var t = crashAt
        while !model.pools[p].replicas[dead].markedDown && t < crashAt + 10 * SimUnit.minute {
            t += 10 * SimUnit.millisecond
            _ = s.run(model, until: t)
        }
        return t - crashAt
    }

    /// (interval ms, fall, timeout ms). A model that ignored `fall` (down after one failed
    /// probe) or the timeout (probes every interval) would fall outside the band in every case
    /// but the first one's lower part.
    @Test(arguments: [(2000, 3, 100), (1000, 5, 500), (3000, 4, 3000), (10_000, 3, 10_000)])
    func crashedPodIsMarkedDownAfterFallFailedProbes(_ intervalMs: Int, _ fall: Int, _ timeoutMs: Int) throws {
        let d = try Self.detectionDelay(interval: "\(intervalMs)ms", fall: fall, timeout: "\(timeoutMs)ms")
        let i = SimTime(intervalMs) * SimUnit.millisecond, t = SimTime(timeoutMs) * SimUnit.millisecond
        let least = t + SimTime(fall - 1) * (i + t)
        // The 10 ms steps of the search add at most one step.
        #expect(d >= least && d <= least + i + 10 * SimUnit.millisecond,
                "detected after \(SimUnit.seconds(d)) s; HAProxy band [\(SimUnit.seconds(least)), \(SimUnit.seconds(least + i))] s")
        if timeoutMs * 10 <= intervalMs {
            // A short timeout: the fall × interval within one interval holds too.
            #expect(abs(d - SimTime(fall) * i) <= i + 10 * SimUnit.millisecond)
        }
    }
}
