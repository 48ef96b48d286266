import Testing
import Platform
import CapsimTestSupport

/// Failover candidate choice and acknowledged-write loss against Patroni's rules
/// (zalando/patroni `patroni/ha.py` `_is_healthiest_node`, `is_lagging`) and PostgreSQL's
/// replication guarantees ("Synchronous Replication" in the High Availability chapter: with
/// `synchronous_commit = on` a commit returns only after the synchronous standby flushed it).
/// Expected candidates and losses are worked out by hand from those rules.
@Suite struct PostgresFailoverTests {
    typealias G = PostgresFailoverGroup

    static func group(_ n: Int, mode: PostgresReplicationMode = .asynchronous, maxLag: Int64 = .max) -> G {
        G(replicas: (0..<n).map { G.Replica(name: "r\($0)") }, mode: mode, maximumLagOnFailover: maxLag)
    }

    /// The most caught-up replica wins; equal positions go to the higher failover_priority;
    /// nofailover and lagging replicas never promote.
    @Test func candidateIsTheMostCaughtUpEligibleReplica() {
        var g = G(replicas: [G.Replica(name: "a"), G.Replica(name: "b"), G.Replica(name: "c", failoverPriority: 2),
                             G.Replica(name: "d")], mode: .asynchronous, maximumLagOnFailover: 12)
        g.commit(count: 20)
        g.publishPrimaryPosition()
        g.replicate(0, upTo: 5); g.replicate(1, upTo: 9); g.replicate(2, upTo: 9); g.replicate(3, upTo: 7)
        #expect(g.failoverCandidate() == 2)           // 9 = 9, priority 2 > 1
        g.replicas[2].noFailover = true
        #expect(g.failoverCandidate() == 1)
        #expect(!g.isEligible(0))                     // 20 - 5 = 15 > 12: is_lagging
        g.replicas[1].noFailover = true
        g.replicas[3].noFailover = true
        #expect(g.failoverCandidate() == nil)         // only the lagging one is left
    }

    /// Asynchronous: commits are acknowledged at once; replicas at 6 and 8 of 10 → r1 promoted,
    /// 2 acknowledged writes lost; r0 is rewound to 8 (nothing to rewind: it is behind).
    @Test func asynchronousFailoverLosesTheUnreplicatedTail() {
        var g = Self.group(2)
        g.commit(count: 10)
        g.replicate(0, upTo: 6); g.replicate(1, upTo: 8)
        #expect(g.acknowledgedPosition == 10)
        g.failPrimary()
        let p = g.promote()
        #expect(p == G.Promotion(replica: 1, position: 8, commitsLost: 2, acknowledgedWritesLost: 2))
        #expect(g.primaryPosition == 8 && g.positions[0] == 6)
        g.commit(count: 3)
        #expect(g.positions[1] == 11 && g.acknowledgedPosition == 11)
    }

    /// Synchronous standby r0: a commit is acknowledged only when r0 has it. r0 at 7, r1 at 4 of
    /// 10 → acknowledged 7; r0 promoted, no acknowledged write lost (the 3 unacknowledged commits
    /// are gone, but their clients never got an answer).
    @Test func synchronousFailoverLosesNoAcknowledgedWrite() {
        var g = Self.group(2, mode: .synchronous(standbys: [0]))
        g.commit(count: 10)
        #expect(g.acknowledgedPosition == 0)
        g.replicate(0, upTo: 7); g.replicate(1, upTo: 4)
        #expect(g.acknowledgedPosition == 7)
        g.failPrimary()
        #expect(g.promote() == G.Promotion(replica: 0, position: 7, commitsLost: 3, acknowledgedWritesLost: 0))
        #expect(g.mode == .asynchronous)
    }

    /// Patroni's synchronous_mode: an asynchronous replica ahead of the synchronous standby still
    /// may not promote (`_is_healthiest_node` refuses a node that is not the synchronous standby).
    @Test func synchronousModeOnlyPromotesTheStandby() {
        var g = Self.group(2, mode: .synchronous(standbys: [0]))
        g.commit(count: 10)
        g.replicate(0, upTo: 5); g.replicate(1, upTo: 9)
        g.failPrimary()
        #expect(g.failoverCandidate() == 0)
        #expect(g.promote()?.acknowledgedWritesLost == 0)
    }

    /// 200 seeded histories of commits, partial replication and a primary failure, three replicas
    /// with random priorities. Synchronous (standbys r0, r1): zero acknowledged writes lost.
    /// Asynchronous: the promoted replica is the eligible one with the greatest position (brute
    /// force over the replicas, then priority, then index), and the loss is exactly the acknowledged
    /// commits beyond it, nonzero only when it was behind.
    @Test func randomHistories() {
        var lossy = 0, lostTotal: Int64 = 0
        for seed in UInt64(1)...200 {
            for synchronous in [false, true] {
                var rng = SplitMix64(seed: seed)
                var g = G(replicas: (0..<3).map { G.Replica(name: "r\($0)", failoverPriority: 1 + rng.below(2)) },
                          mode: synchronous ? .synchronous(standbys: [0, 1]) : .asynchronous,
                          maximumLagOnFailover: Int64(5 + rng.below(30)))
                for step in 0..<(20 + rng.below(200)) {
                    switch rng.below(4) {
                    case 0, 1: g.commit(count: Int64(1 + rng.below(3)))
                    default: let i = rng.below(3); g.replicate(i, upTo: g.primaryPosition - Int64(rng.below(6)))
                    }
                    if step % 10 == 0 { g.publishPrimaryPosition() }
                }
                let acked = g.acknowledgedPosition
                let positions = g.positions
                g.failPrimary()
                let eligible = (0..<3).filter { g.isEligible($0) }
                let expected = eligible.max { a, b in
                    (positions[a], g.replicas[a].failoverPriority, -a) < (positions[b], g.replicas[b].failoverPriority, -b)
                }
                let p = g.promote()
                #expect(p?.replica == expected, "seed \(seed)")
                guard let p else { continue }
                if synchronous {
                    #expect(p.acknowledgedWritesLost == 0, "seed \(seed)")
                } else {
                    #expect(p.acknowledgedWritesLost == max(0, acked - positions[p.replica]), "seed \(seed)")
                    if p.acknowledgedWritesLost > 0 { lossy += 1; lostTotal += p.acknowledgedWritesLost }
                }
            }
        }
        print("PostgresFailover random: 200 seeds × {async, sync}; async failovers losing writes: \(lossy) (\(lostTotal) writes)")
    }
}
