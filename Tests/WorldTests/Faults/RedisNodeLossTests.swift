import Foundation
import Platform
@testable import Scenario
import SimCore
import Testing
@testable import World

/// Redis (L2) nodes (`cache.l2.nodes`, `MenuCaches` with `RedisNodes`): a lost node's keys are
/// exactly those whose CRC16 slot lies in its range (`RedisClusterSlots`, checked against Redis
/// in the Platform tests); while it is down they miss L2 on every read (nothing is stored on a
/// lost node); once it is back, empty, each misses exactly once and is then served by L2.
@Suite struct RedisNodeLossTests {
    static func caches(nodes: Int) throws -> MenuCaches {
        let c = try PlatformSimulationTests.load(WorldScenario.base, overrides: ["cache.l2.nodes={ count: \(nodes) }"])
        var errors: [ScenarioError] = []
        let config = try #require(PlatformConfig.decode(c.document, errors: &errors))
        return MenuCaches(config: config, seeder: StreamSeeder(masterSeed: 1))
    }

    /// Reads keys 0..<300 through a fresh L1 (a new pod): how many missed L2 (loaded from L3).
    static func pass(_ caches: MenuCaches, now: SimTime) -> Int {
        let slot = caches.addReplica(region: 0)
        var misses = 0
        for key in 0..<300 {
            let (hit, _) = caches.lookup(region: 0, key, slot: slot, request: key, now: now)
            if hit { continue }
            if !caches.resumeAfterL2(region: 0, key, slot: slot, now: now) {
                misses += 1
                caches.complete(region: 0, key, slot: slot, now: now)
            }
        }
        return misses
    }

    @Test(arguments: [3, 5])
    func lostNodeKeysMissOnceAfterItsReturn(nodes: Int) throws {
        let c = try Self.caches(nodes: nodes)
        let slots = RedisClusterSlots(nodes: nodes)
        // Node 1's keys by brute force over its slot range.
        let onNode1 = (0..<300).filter { (slots.starts[1]..<slots.starts[1] + slots.slots(of: 1)).contains(RedisClusterSlots.menuSlot($0)) }.count
        let s = SimUnit.second
        #expect(Self.pass(c, now: 1 * s) == 300)          // cold start: every key from L3
        #expect(Self.pass(c, now: 2 * s) == 0)            // all in L2
        c.loseNodes(region: 0, first: 1, count: 1, fault: 0, now: 3 * s)
        #expect(c.nodes[0]?.keysCold == onNode1)
        #expect(Self.pass(c, now: 4 * s) == onNode1)      // down: its keys miss ...
        #expect(Self.pass(c, now: 5 * s) == onNode1)      // ... on every read
        c.recoverNodes(region: 0, first: 1, count: 1, fault: 0, now: 6 * s)
        #expect(Self.pass(c, now: 7 * s) == onNode1)      // back, empty: each misses once
        #expect(Self.pass(c, now: 8 * s) == 0)            // then L2 serves them
        #expect(c.l3Loads(region: 0) == 300 + 3 * onNode1)
        // The node's share of keys is its share of slots (within the binomial spread of 300
        // keys: sd ≤ 0.029, 0.12 is four of them).
        #expect(abs(Double(onNode1) / 300 - Double(slots.slots(of: 1)) / 16384) < 0.12)
    }
}
