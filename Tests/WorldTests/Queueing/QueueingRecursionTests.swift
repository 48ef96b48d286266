import Foundation
import Scenario
import SimCore
import Testing
import World

/// The event-driven queueing model against a direct recursion fed the same random numbers.
///
/// A FIFO c-server station starts customers in arrival order, so customer n starts at
/// max(A_n, the earliest instant a server is free) (Kiefer & Wolfowitz, "On the theory of
/// queues with many servers", Trans. AMS 78, 1955), and its service time is the n-th draw of
/// `service.<station>` as its arrival gap is the n-th draw of `arrivals.0`. That recursion has
/// no event queue, gauge or histogram shortcut; it gives every customer's wait and sojourn
/// exactly (integer nanoseconds), so the model's report must hold the same samples:
/// - the wait histogram identical (same samples recorded in the same order: count, sum,
///   every bucket, so every percentile and the mean to the bit);
/// - the sojourn histograms (station and network) with the same count, extremes and
///   percentiles; their mean to 1e-12 relative, since departures record in time order, not
///   customer order, and the Kahan-compensated sum of the same integers in another order may
///   differ in the last bits (its error bound is about 2 ulp of the sum).
@Suite struct QueueingRecursionTests {
    static let percentiles: [Double] = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100]

    func config(servers: Int, rate: String, customers: Int, warmup: Int) throws -> ScenarioConfig {
        let dir = NSTemporaryDirectory() + "capsim-kw-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/mmc.yaml"
        try """
            name: mmc
            seed: 42
            model: queueing
            queueing:
              customers: \(customers)
              warmup_customers: \(warmup)
              arrivals: [{ to: server, rate: \(rate) }]
              stations: { server: { servers: \(servers), service: { exponential: { mean: 1s } } } }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return try ScenarioConfig.load(path: path)
    }

    /// Waits and sojourns of the first `customers` customers by the recursion, on the streams
    /// the model's replication 0 uses.
    func recursion(_ config: ScenarioConfig) -> (wait: LatencyHistogram, sojourn: LatencyHistogram, waited: Int) {
        let q = config.queueing!
        guard case .poisson(let rate, _) = q.arrivals[0].process else { fatalError("Poisson arrivals expected") }
        let seeder = StreamSeeder(masterSeed: StreamSeeder.replicationSeed(config.seed, index: 0))
        let arrivals = seeder.stream("arrivals.0"), service = seeder.stream("service.\(q.stations[0].name)")
        var free = [SimTime](repeating: 0, count: q.stations[0].servers)
        var t: SimTime = 0
        var wait = LatencyHistogram(), sojourn = LatencyHistogram(), waited = 0
        for n in 0..<q.customers! {
            t += Distribution.exponential(mean: 1 / rate).sampleTime(arrivals)
            let j = free.indices.min { free[$0] < free[$1] }!
            let start = max(t, free[j])
            free[j] = start + q.stations[0].service.sampleTime(service)
            if n >= q.warmupCustomers {
                wait.record(start - t)
                sojourn.record(free[j] - t)
                if start > t { waited += 1 }
            }
        }
        return (wait, sojourn, waited)
    }

    @Test(arguments: [(8, "7.2/s", 200_000, 2_000), (1, "0.9/s", 100_000, 1_000), (3, "2/s", 50_000, 0)])
    func mmcHoldsTheRecursionsSamples(servers: Int, rate: String, customers: Int, warmup: Int) throws {
        let config = try config(servers: servers, rate: rate, customers: customers, warmup: warmup)
        let run = try #require(try ScenarioRunner.run(config, seed: config.seed, replications: 1, threads: 1).first)
        let oracle = recursion(config)
        let wait = try #require(run.histogram("server.wait"))
        #expect(wait.count == UInt64(customers - warmup))
        #expect(wait.count == oracle.wait.count && wait.mean == oracle.wait.mean)
        #expect(wait.min == oracle.wait.min && wait.max == oracle.wait.max)
        for p in Self.percentiles { #expect(wait.percentile(p) == oracle.wait.percentile(p), "wait p\(p)") }
        #expect(run.counterValue("server.p_wait") == Double(oracle.waited) / Double(customers - warmup))
        for name in ["server.sojourn", "network.sojourn"] {
            let h = try #require(run.histogram(name))
            #expect(h.count == oracle.sojourn.count && h.min == oracle.sojourn.min && h.max == oracle.sojourn.max, "\(name)")
            #expect(abs(h.mean - oracle.sojourn.mean) <= 1e-12 * oracle.sojourn.mean, "\(name) mean \(h.mean) vs \(oracle.sojourn.mean)")
            for p in Self.percentiles { #expect(h.percentile(p) == oracle.sojourn.percentile(p), "\(name) p\(p)") }
        }
    }

    /// A tandem of deterministic stations (the path with routing): every customer spends
    /// exactly 1 s at `a` and 0.5 s at `b` and, arriving every 2 s, never waits, so the network
    /// sojourn is exactly 1.5 s for each, recorded apart from the stations' own.
    @Test func tandemNetworkSojournIsTheSumOfTheStations() throws {
        let dir = NSTemporaryDirectory() + "capsim-kw-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            name: tandem
            seed: 1
            model: queueing
            queueing:
              customers: 1000
              warmup_customers: 100
              arrivals: [{ to: a, interarrival: 2s }]
              stations:
                a: { servers: 1, service: 1s, routing: [{ to: b, probability: 1 }] }
                b: { servers: 1, service: 500ms }
            """.write(toFile: dir + "/t.yaml", atomically: true, encoding: .utf8)
        let config = try ScenarioConfig.load(path: dir + "/t.yaml")
        let run = try #require(try ScenarioRunner.run(config, seed: config.seed, replications: 1, threads: 1).first)
        for (name, ns) in [("a.sojourn", SimTime(1_000_000_000)), ("b.sojourn", 500_000_000), ("network.sojourn", 1_500_000_000)] {
            let h = try #require(run.histogram(name))
            #expect(h.count == 900 && h.min == ns && h.max == ns && h.mean == Double(ns), "\(name)")
        }
        #expect(run.histogram("a.wait")?.max == 0 && run.histogram("b.wait")?.max == 0)
    }
}
