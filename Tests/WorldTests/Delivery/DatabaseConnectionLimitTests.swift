import Foundation
import Scenario
import SimCore
import Testing
@testable import World

/// The database component alone: one shard with c connections, Poisson writes, exponential
/// write latency, is an M/M/c queue, so the share of writes that wait for a connection is
/// Erlang C with c = connections (PASTA) and the mean time to commit is C/(cμ − λ) + 1/μ.
@Suite struct DatabaseConnectionLimitTests {
    /// Drives `OrdersDatabase` with Poisson writes (rate `lambda` per second) and measures the
    /// time from each write's start to its commit.
    final class WriteLoad: EventHandler {
        let db: OrdersDatabase
        let arrivals: RandomStream
        let lambda: Double
        var started: [SimTime] = []
        var committed = 0
        var sojourn = 0.0
        let limit: Int

        init(db: OrdersDatabase, seed: UInt64, lambda: Double, writes: Int) {
            self.db = db
            arrivals = StreamSeeder(masterSeed: seed).stream("test.arrivals")
            self.lambda = lambda
            limit = writes
        }

        func nextArrival(_ s: inout Scheduler) {
            guard started.count < limit else { return }
            s.schedule(after: SimUnit.fromSeconds(-log(arrivals.uniformPositive()) / lambda), kind: 0)
        }

        func handle(_ e: Event, _ s: inout Scheduler) {
            if e.kind >> 8 == ComponentID.database.rawValue {
                let token = Int(db.handle(e, &s))
                committed += 1
                sojourn += SimUnit.seconds(s.now - started[token])
            } else {
                started.append(s.now)
                db.updateStatus(Int32(started.count - 1), orderID: started.count, region: 0, &s)
                nextArrival(&s)
            }
        }
    }

    static func erlangC(servers c: Int, offered a: Double) -> Double {
        var sum = 0.0, term = 1.0
        for k in 0..<c { if k > 0 { term *= a / Double(k) }; sum += term }
        let last = term * a / Double(c) * Double(c) / (Double(c) - a)
        return last / (sum + last)
    }

    @Test func connectionWaitsFollowErlangC() throws {
        let c = 4, lambda = 3.0  // a = λ/μ = 3 Erlangs on 4 connections, ρ = 0.75
        let expected = Self.erlangC(servers: c, offered: lambda)
        #expect(abs(expected - 27.0 / 53.0) < 1e-12)  // a^c/c!·c/(c−a) = 13.5 over 13 + 13.5
        let body = PlatformSimulationTests.small.replacingOccurrences(
            of: "database: { shards: 16, write_latency: { lognormal: { median: 5ms, sigma: 0.5 } } }",
            with: "database: { shards: 1, connections_per_shard: \(c), write_latency: { exponential: { mean: 1s } } }")
        var errors: [ScenarioError] = []
        let config = try #require(PlatformConfig.decode(try PlatformSimulationTests.load(body).document, errors: &errors))
        #expect(config.connectionsPerShard == c && config.shards == 1)
        var waitShares: [Double] = [], sojourns: [Double] = []
        for seed in UInt64(1)...5 {
            let db = OrdersDatabase(config: config, seeder: StreamSeeder(masterSeed: seed), warmup: 0)
            let load = WriteLoad(db: db, seed: seed, lambda: lambda, writes: 200_000)
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
