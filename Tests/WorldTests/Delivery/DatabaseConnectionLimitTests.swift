import Foundation
import Scenario
import SimCore
import Testing
@testable import World

/// The database component alone: one shard with c connections, Poisson writes, exponential
/// write latency, is an M/M/c queue, so the share of writes that wait for a connection is
/// Erlang C with c = connections (PASTA) and the mean time to commit is C/(cμ − λ) + 1/μ.
@Suite struct DatabaseConnectionLimitTests {
    @Test func connectionWaitsFollowErlangC() throws {
        let c = 4, lambda = 3.0  // a = λ/μ = 3 Erlangs on 4 connections, ρ = 0.75
        let expected = DatabaseLoad.erlangC(servers: c, offered: lambda)
        #expect(abs(expected - 27.0 / 53.0) < 1e-12)  // a^c/c!·c/(c−a) = 13.5 over 13 + 13.5
        let config = try DatabaseLoad.config("{ shards: 1, connections_per_shard: \(c), write_latency: { exponential: { mean: 1s } } }")
        #expect(config.connectionsPerShard == c && config.shards == 1)
        var waitShares: [Double] = [], sojourns: [Double] = []
        for seed in UInt64(1)...5 {
            let db = OrdersDatabase(config: config, seeder: StreamSeeder(masterSeed: seed), warmup: 0)
            let load = DatabaseLoad.WriteLoad(db: db, seed: seed, lambda: lambda, region: 0, writes: 200_000)
            var s = Scheduler(reservingCapacity: 1 << 10)
            load.nextArrival(&s)
            _ = s.run(load)
            #expect(load.committed == 200_000)
            var m = RunMetrics()
            db.report(into: &m)
            waitShares.append(try #require(m.counterValue("db.connection_waits")) / 200_000)
            sojourns.append(load.sojourn / Double(load.committed))
        }
        // Each run's 200,000 writes span ≈ 4,700 relaxation times of this M/M/4 (≈ 1/(cμ(1 − √ρ)²)
        // ≈ 14 s), so one estimate of P(wait) ≈ 0.51 has a standard error of ≈ 2 %; the mean of
        // five runs ≈ 0.9 %: 4 % is more than four standard errors.
        let share = waitShares.reduce(0, +) / 5
        #expect(abs(share - expected) / expected < 0.04, "P(wait) \(share) vs Erlang C \(expected)")
        // Mean time to commit: Wq + 1/μ = C/(cμ − λ) + 1 s ≈ 1.509 s; the sojourn's run-to-run
        // error is smaller than the wait's relative one, so 4 % again is wide.
        let sojourn = sojourns.reduce(0, +) / 5
        #expect(abs(sojourn - (expected / (Double(c) - lambda) + 1)) / (expected + 1) < 0.04, "mean commit time \(sojourn) s")
    }
}
