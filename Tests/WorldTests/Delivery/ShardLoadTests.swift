import Foundation
import Scenario
import SimCore
import Testing
import World

/// A shard primary's utilisation in a whole-platform run against its offered load over its
/// capacity, ρ_i = writes_i × S / (c × T), with every statement costing S = 2 ms on c = 1 core:
/// the writes are counted where they take a connection, the busy time where a core serves them.
/// And the writes themselves against the orders: one INSERT per order placed plus one UPDATE
/// per status change (`db.status_writes`).
@Suite struct ShardLoadTests {
    @Test func shardUtilisationIsWritesTimesServiceOverCapacity() throws {
        let body = WorldScenario.base
            .replacingOccurrences(of: "warmup: 1min\n", with: "warmup: 0s\n")
            .replacingOccurrences(of: "database: { write_latency: 1ms }",
                                  with: "database: { write_latency: 1ms, shards: 2, cpu: { cores: 1, insert: 2ms, update: 2ms, keyed_read: 1ms, range_scan: 1ms } }")
        let m = try WorldScenario.run(body, ["demand.orders_per_hour=3600/h"])
        let T = 1200.0, S = 0.002
        let placed = try #require(m.counterValue("orders.placed"))
        let updates = try #require(m.counterValue("db.status_writes"))
        var total = 0.0
        for i in 0..<2 {
            let writes = try #require(m.counterValue("db.shard.\(i).writes"))
            let util = try #require(m.counterValue("db.shard.\(i).utilisation"))
            total += writes
            // Exact but for Double rounding: no read reaches a primary here (no menu views,
            // status reads or history), and at ~1 % load no write is still waiting at the end.
            #expect(abs(util - writes * S / T) < 1e-9, "shard \(i): \(util) vs \(writes * S / T)")
        }
        // An order counts as placed when its record is produced, a few ms after its INSERT: at
        // 1 order/s at most one INSERT of the run's last moments can be written but not placed.
        #expect((0.0...1.0).contains(total - (placed + updates)), "writes \(total) vs \(placed) inserts + \(updates) updates")
    }
}
