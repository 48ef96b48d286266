import Testing
import Platform
import CapsimTestSupport

/// Kafka's durability promise over random histories (fixed seeds 1...200, 400 operations each):
/// with acks=all, min.insync.replicas=2 and unclean election off, no acknowledged record is ever
/// lost; with unclean election on, acknowledged records are lost only by unclean elections of a
/// leader that was behind. The oracle is outside the loss accounting: it remembers the highest
/// high watermark at which records were acknowledged and the LEO each leader had when it died,
/// and checks every election against those observations.
@Suite struct KafkaLossPropertyTests {
    struct Tally { var elections = 0, unclean = 0, lossyElections = 0, acknowledged: Int64 = 0, lost: Int64 = 0 }

    static func history(seed: UInt64, unclean: Bool) -> Tally {
        var rng = SplitMix64(seed: seed)
        let brokers = [1, 2, 3]
        var p = KafkaPartitionState(assignment: brokers, minInsyncReplicas: 2, uncleanLeaderElectionEnabled: unclean, acks: .all)
        var undetected: [Int] = [], detectedDown: [Int] = []
        var maxAckedEnd: Int64 = 0            // every acknowledged offset is below this
        var leaderEndAtFailure: Int64 = 0
        var tally = Tally()

        func check(_ e: KafkaElectionOutcome?, _ p: KafkaPartitionState) {
            guard let e else { return }
            tally.elections += 1
            #expect(e.previousLeaderEndOffset == leaderEndAtFailure, "seed \(seed)")
            #expect(e.newLeaderEndOffset == p.logEndOffset(e.leader), "seed \(seed)")
            #expect(e.recordsLost == max(0, leaderEndAtFailure - e.newLeaderEndOffset), "seed \(seed)")
            #expect(e.acknowledgedRecordsLost <= max(0, maxAckedEnd - e.newLeaderEndOffset), "seed \(seed)")
            if e.unclean { tally.unclean += 1 }
            if e.acknowledgedRecordsLost > 0 {
                tally.lossyElections += 1
                #expect(e.unclean, "seed \(seed): acknowledged records lost in a clean election")
                #expect(e.newLeaderEndOffset < e.previousLeaderEndOffset, "seed \(seed)")
            }
            if !unclean { #expect(e.newLeaderEndOffset >= maxAckedEnd, "seed \(seed): clean leader lacks acknowledged data") }
            maxAckedEnd = min(maxAckedEnd, e.newLeaderEndOffset)
            leaderEndAtFailure = e.newLeaderEndOffset
        }

        for _ in 0..<400 {
            let before = p.acknowledgedRecords
            let r = rng.below(100)
            if r < 35 {
                _ = p.produce(count: Int64(1 + rng.below(5)))
            } else if r < 65, let l = p.leader, p.leaderAvailable {
                let f = brokers[rng.below(3)]
                if f != l && p.isLive(f) { p.fetch(follower: f, upTo: p.logEndOffset(l) - Int64(rng.below(4))) }
            } else if r < 70, let l = p.leader {
                let f = brokers[rng.below(3)]
                if f != l { p.shrinkIsr(removing: f) }
            } else if r < 80 {
                let b = brokers[rng.below(3)]
                if p.isLive(b) {
                    if b == p.leader { leaderEndAtFailure = p.logEndOffset(b) }
                    p.failBroker(b)
                    undetected.append(b)
                }
            } else if r < 90, !undetected.isEmpty {
                let b = undetected.remove(at: rng.below(undetected.count))
                check(p.brokerFailureDetected(b), p)
                detectedDown.append(b)
            } else if !detectedDown.isEmpty {
                let b = detectedDown.remove(at: rng.below(detectedDown.count))
                check(p.recoverBroker(b), p)
            }
            if p.acknowledgedRecords > before { maxAckedEnd = max(maxAckedEnd, p.highWatermark) }
            #expect(p.isr.count >= 1)
        }
        tally.acknowledged = p.acknowledgedRecords
        tally.lost = p.acknowledgedRecordsLost
        return tally
    }

    @Test func noAcknowledgedLossWithoutUncleanElection() {
        var total = Tally()
        for seed in UInt64(1)...200 {
            let t = Self.history(seed: seed, unclean: false)
            #expect(t.lost == 0, "seed \(seed)")
            #expect(t.unclean == 0)
            total.elections += t.elections
            total.acknowledged += t.acknowledged
        }
        print("KafkaLossProperty clean: 200 seeds, \(total.elections) elections, \(total.acknowledged) records acknowledged, 0 lost")
    }

    @Test func uncleanElectionLosesOnlyWhenBehind() {
        var total = Tally()
        for seed in UInt64(1)...200 {
            let t = Self.history(seed: seed, unclean: true)
            total.elections += t.elections
            total.unclean += t.unclean
            total.lossyElections += t.lossyElections
            total.lost += t.lost
        }
        print("KafkaLossProperty unclean: \(total.elections) elections, \(total.unclean) unclean, \(total.lossyElections) of them lost acknowledged records (\(total.lost) records)")
    }
}
