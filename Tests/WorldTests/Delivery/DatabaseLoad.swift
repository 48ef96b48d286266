import Foundation
import Scenario
import SimCore
import Testing
@testable import World

/// The database component driven alone, for the database tests: Poisson UPDATEs from one
/// region and the closed forms they are checked against.
enum DatabaseLoad {
    /// Poisson UPDATEs (rate `lambda` per second) from writers in `region`; measures each
    /// write's time from its start to its commit.
    final class WriteLoad: EventHandler {
        let db: OrdersDatabase
        let arrivals: RandomStream
        let lambda: Double
        let region: Int
        var started: [SimTime] = []
        var committed = 0
        var sojourn = 0.0
        let limit: Int

        init(db: OrdersDatabase, seed: UInt64, lambda: Double, region: Int, writes: Int) {
            self.db = db
            arrivals = StreamSeeder(masterSeed: seed).stream("test.arrivals")
            self.lambda = lambda
            self.region = region
            limit = writes
        }

        func nextArrival(_ s: inout Scheduler) {
            guard started.count < limit else { return }
            s.schedule(after: SimUnit.fromSeconds(-log(arrivals.uniformPositive()) / lambda), kind: 0)
        }

        func handle(_ e: Event, _ s: inout Scheduler) {
            if e.kind >> 8 == ComponentID.database.rawValue {
                let token = db.handle(e, &s)
                guard token >= 0 else { return }
                committed += 1
                sojourn += SimUnit.seconds(s.now - started[Int(token)])
            } else {
                started.append(s.now)
                db.updateStatus(Int32(started.count - 1), orderID: started.count, region: region, &s)
                nextArrival(&s)
            }
        }
    }

    static func config(_ database: String) throws -> PlatformConfig {
        let body = PlatformSimulationTests.small.replacingOccurrences(
            of: "database: { shards: 16, write_latency: { lognormal: { median: 5ms, sigma: 0.5 } } }", with: "database: \(database)")
        var errors: [ScenarioError] = []
        let config = try #require(PlatformConfig.decode(try PlatformSimulationTests.load(body).document, errors: &errors))
        #expect(errors.isEmpty)
        return config
    }

    /// Erlang C: the probability that an arrival waits in an M/M/c queue offered `a` Erlangs.
    static func erlangC(servers c: Int, offered a: Double) -> Double {
        var sum = 0.0, term = 1.0
        for k in 0..<c { if k > 0 { term *= a / Double(k) }; sum += term }
        let last = term * a / Double(c) * Double(c) / (Double(c) - a)
        return last / (sum + last)
    }
}
