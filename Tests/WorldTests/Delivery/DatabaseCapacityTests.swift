import Foundation
import Scenario
import SimCore
import Testing
@testable import World

/// The database as a capacity resource (`database.cpu`, `database.round_trips`), driven alone
/// with Poisson writes, against closed forms computed here: a shard primary with c cores and
/// exponential statement times is M/M/c; a transaction holding its one connection through a
/// round trip is M/G/1 (Erlang C with one server = ρ, Pollaczek–Khinchine for the mean wait).
@Suite struct DatabaseCapacityTests {
    /// Five seeds of `writes` writes; per seed the load and the database's report.
    static func run(_ config: PlatformConfig, lambda: Double, region: Int, writes: Int) -> [(DatabaseLoad.WriteLoad, RunMetrics)] {
        (UInt64(1)...5).map { seed in
            let db = OrdersDatabase(config: config, seeder: StreamSeeder(masterSeed: seed), warmup: 0)
            let load = DatabaseLoad.WriteLoad(db: db, seed: seed, lambda: lambda, region: region, writes: writes)
            var s = Scheduler(reservingCapacity: 1 << 10)
            load.nextArrival(&s)
            _ = s.run(load)
            var m = RunMetrics()
            db.reportCapacity(into: &m, at: s.now)
            return (load, m)
        }
    }

    @Test func shardWriteLatencyIsMMc() throws {
        // One shard primary with c = 4 cores, UPDATE CPU exponential with mean 10 ms (μ = 100/s),
        // λ = 300/s: a = 3 Erlangs, ρ = 0.75; connections (1,000) never bind.
        let c = 4, lambda = 300.0, mu = 100.0
        let config = try DatabaseLoad.config("""
            { shards: 1, connections_per_shard: 1000, write_latency: 1s, cpu: { cores: \(c), insert: 1ms, update: { exponential: { mean: 10ms } }, keyed_read: 1ms, range_scan: 1ms } }
            """)
        let erlangC = DatabaseLoad.erlangC(servers: c, offered: lambda / mu)
        #expect(abs(erlangC - 27.0 / 53.0) < 1e-12)
        let expected = erlangC / (Double(c) * mu - lambda) + 1 / mu  // M/M/c mean sojourn ≈ 15.09 ms
        let runs = Self.run(config, lambda: lambda, region: 0, writes: 200_000)
        for (load, _) in runs { #expect(load.committed == 200_000) }
        let sojourn = runs.map { $0.0.sojourn / Double($0.0.committed) }.reduce(0, +) / 5
        // As in DatabaseConnectionLimitTests (the same M/M/4 at ρ = 0.75, time scaled by 1/100):
        // 5 × 200,000 writes span ≈ 23,000 relaxation times, the mean sojourn's standard error
        // is below 1 %: 3 % is more than three standard errors.
        #expect(abs(sojourn - expected) / expected < 0.03, "mean write latency \(sojourn) s vs M/M/c \(expected) s")
        let util = runs.map { $0.1.counterValue("db.shard.0.utilisation") ?? -1 }.reduce(0, +) / 5
        // Utilisation ρ = λ/(cμ) = 0.75; a busy-time mean over 5 × 667 s has an error well under 1 %.
        #expect(abs(util - 0.75) < 0.01, "utilisation \(util)")
    }

    @Test func crossRegionConnectionWaitIsErlangCWithTheRoundTrip() throws {
        // One connection; writers in west, whose round trip to the primary (east) is 60 ms;
        // the write itself (unlimited CPU) is exponential, mean 100 ms. The connection is held
        // through the round trip: holding time S = 60 ms + Exp(100 ms), E[S] = 0.16 s,
        // E[S²] = 0.16² + 0.1² = 0.0356 s². λ = 3/s: ρ = 0.48.
        let lambda = 3.0, r = 0.06, m = 0.1
        let config = try DatabaseLoad.config("{ shards: 1, connections_per_shard: 1, round_trips: 1, write_latency: { exponential: { mean: 100ms } } }")
        #expect(config.regions[1].rtt[0] == SimUnit.fromSeconds(r))
        let rho = lambda * (r + m)
        let erlangC1 = DatabaseLoad.erlangC(servers: 1, offered: rho)  // = ρ for one server, any holding time (M/G/1)
        let secondMoment = (r + m) * (r + m) + m * m
        let wq = lambda * secondMoment / (2 * (1 - rho))  // Pollaczek–Khinchine ≈ 0.1027 s
        let runs = Self.run(config, lambda: lambda, region: 1, writes: 200_000)
        let share = runs.map { $0.1.counterValue("db.connection_wait.share") ?? -1 }.reduce(0, +) / 5
        let wait = runs.map { ($0.1.counterValue("db.connection_wait.mean_ms") ?? -1) / 1000 }.reduce(0, +) / 5
        // 5 × 200,000 writes of an M/G/1 at ρ = 0.48 (relaxation ≈ E[S]/(1 − √ρ)² ≈ 1.8 s) span
        // ≈ 180,000 relaxation times; Whitt's M/M/1 asymptotic variance (an upper bound here, the
        // holding time varies less) gives a standard error of the mean wait under 1 % and of
        // P(wait) under 0.5 %: 3 % is more than three standard errors for both.
        #expect(abs(share - erlangC1) / erlangC1 < 0.03, "P(wait) \(share) vs Erlang C \(erlangC1)")
        #expect(abs(wait - wq) / wq < 0.03, "mean connection wait \(wait) s vs \(wq) s")
        // End to end (wait + hold) and the answer: every write paid the round trip inside its hold.
        let sojourn = runs.map { $0.0.sojourn / Double($0.0.committed) }.reduce(0, +) / 5
        // Commit is half a round trip before the answer: wait + r/2 + m.
        #expect(abs(sojourn - (wq + r / 2 + m)) / (wq + r / 2 + m) < 0.03, "mean time to commit \(sojourn) s")
    }

    @Test func transactionPathWithoutRoundTripIsMMc() throws {
        // The transaction path from the primary region (no trip): 4 connections, exponential
        // holding 1 s, λ = 3/s is the M/M/4 of DatabaseConnectionLimitTests, P(wait) = 27/53.
        let config = try DatabaseLoad.config("{ shards: 1, connections_per_shard: 4, round_trips: 2, write_latency: { exponential: { mean: 1s } } }")
        let expected = 27.0 / 53.0
        let runs = Self.run(config, lambda: 3, region: 0, writes: 200_000)
        let share = runs.map { $0.1.counterValue("db.connection_wait.share") ?? -1 }.reduce(0, +) / 5
        // Same load and tolerance argument as DatabaseConnectionLimitTests (4 %).
        #expect(abs(share - expected) / expected < 0.04, "P(wait) \(share) vs Erlang C \(expected)")
    }

    @Test func customerShardKeyPrunesHistoryToOneShard() throws {
        // 90 days back from the run (epoch 2024-01-01 + 40 min) overlaps October 2023 to January
        // 2024: 4 month partitions, in 1 shard with customer as the key, in all 16 with order_id.
        for (key, expected) in [("customer", 4.0), ("order_id", 64.0)] {
            let body = PlatformSimulationTests.small.replacingOccurrences(
                of: "database: { shards: 16,", with: "database: { shards: 16, shard_key: \(key), cpu: { cores: 8, insert: 1ms, update: 1ms, keyed_read: 1ms, range_scan: 2ms },")
            let m = try PlatformSimulationTests.run(try PlatformSimulationTests.load(body))
            #expect(m.counterValue("db.partitions_per_history_query") == expected, "\(key)")
            for inv in m.invariants { #expect(inv.holds, "\(key) \(inv.name): \(inv.detail)") }
        }
    }
}
