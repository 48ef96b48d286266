import Testing
import Platform

/// Leader election and ISR handling against Kafka: the election cases of apache/kafka
/// `core/src/test/scala/unit/kafka/controller/PartitionLeaderElectionAlgorithmsTest.scala`, and
/// produce/replicate/fail sequences whose offsets, high watermarks and losses are worked out by
/// hand from the rules in `KafkaPartitionState`'s documentation.
@Suite struct KafkaPartitionStateTests {
    static func elect(_ assignment: [Int], _ isr: [Int], live: Set<Int>, unclean: Bool) -> KafkaLeaderElection.Result? {
        KafkaLeaderElection.offlinePartitionLeaderElection(assignment: assignment, isr: isr, isLive: { live.contains($0) },
                                                          uncleanLeaderElectionEnabled: unclean)
    }

    /// testOfflinePartitionLeaderElection, …LastIsrOfflineUncleanLeaderElectionDisabled/Enabled.
    @Test func kafkaElectionCases() {
        #expect(Self.elect([2, 4], [2, 4], live: [4], unclean: false) == .init(leader: 4, unclean: false, isr: [4]))
        #expect(Self.elect([2, 4], [2], live: [4], unclean: false) == nil)
        #expect(Self.elect([2, 4, 6], [2], live: [4, 6], unclean: true) == .init(leader: 4, unclean: true, isr: [4]))
        // Assignment order decides, not ISR order: AR [5, 3, 1], ISR [1, 3], all live → 3.
        #expect(Self.elect([5, 3, 1], [1, 3], live: [1, 3, 5], unclean: false)?.leader == 3)
    }

    /// RF 3, min.insync.replicas 2, acks=all, through follower lag, follower loss and leader loss.
    @Test func acksAllWithMinInsyncReplicas() {
        var p = KafkaPartitionState(assignment: [1, 2, 3], minInsyncReplicas: 2, acks: .all)
        #expect(p.produce(count: 10) == .appended(firstOffset: 0))
        p.fetch(follower: 2, upTo: 10)
        p.fetch(follower: 3, upTo: 5)
        #expect(p.highWatermark == 5 && p.acknowledgedRecords == 5)
        p.fetch(follower: 3, upTo: 10)
        #expect(p.highWatermark == 10 && p.acknowledgedRecords == 10)

        // Broker 3 dies: it is still in the ISR until the controller notices, holding the HW.
        p.failBroker(3)
        #expect(p.produce(count: 5) == .appended(firstOffset: 10))
        p.fetch(follower: 2, upTo: 15)
        #expect(p.highWatermark == 10 && p.acknowledgedRecords == 10)
        p.brokerFailureDetected(3)
        #expect(p.isr == [1, 2])
        #expect(p.highWatermark == 15 && p.acknowledgedRecords == 15)

        // Broker 2 dies: ISR {1} < 2 → NOT_ENOUGH_REPLICAS before append.
        p.failBroker(2)
        p.brokerFailureDetected(2)
        #expect(p.isr == [1])
        #expect(p.produce(count: 1) == .notEnoughReplicas)
        #expect(p.logEndOffset(1) == 15)

        // The leader dies: the last ISR member stays in the ISR; no live ISR member → offline.
        p.failBroker(1)
        #expect(p.produce(count: 1) == .leaderNotAvailable)
        #expect(p.brokerFailureDetected(1) == nil)
        #expect(p.leader == nil && p.isr == [1])
        // Broker 3 returns (LEO 10) but is not in the ISR: with unclean election off it stays offline.
        #expect(p.recoverBroker(3) == nil)
        #expect(p.leader == nil)
        // Broker 1 returns: elected cleanly, nothing lost.
        let back = p.recoverBroker(1)
        #expect(back == KafkaElectionOutcome(leader: 1, unclean: false, previousLeaderEndOffset: 15, newLeaderEndOffset: 15,
                                             recordsLost: 0, acknowledgedRecordsLost: 0))
        #expect(p.acknowledgedRecordsLost == 0)
    }

    /// The same history with unclean.leader.election.enable: broker 3 (LEO 10) becomes leader when
    /// it returns; the 5 acknowledged records 10..<15 are lost, and broker 1 truncates to 10 when it returns.
    @Test func uncleanElectionLosesWhatTheNewLeaderLacked() {
        var p = KafkaPartitionState(assignment: [1, 2, 3], minInsyncReplicas: 2, uncleanLeaderElectionEnabled: true, acks: .all)
        _ = p.produce(count: 10)
        p.fetch(follower: 2, upTo: 10); p.fetch(follower: 3, upTo: 10)
        p.failBroker(3); p.brokerFailureDetected(3)
        _ = p.produce(count: 5)
        p.fetch(follower: 2, upTo: 15)
        #expect(p.acknowledgedRecords == 15)
        p.failBroker(2); p.brokerFailureDetected(2)
        p.failBroker(1); p.brokerFailureDetected(1)
        let e = p.recoverBroker(3)
        #expect(e == KafkaElectionOutcome(leader: 3, unclean: true, previousLeaderEndOffset: 15, newLeaderEndOffset: 10,
                                          recordsLost: 5, acknowledgedRecordsLost: 5))
        #expect(p.isr == [3] && p.highWatermark == 10)
        #expect(p.uncleanElections == 1 && p.acknowledgedRecordsLost == 5)
        // With ISR {3} < 2, acks=all is refused; broker 1 returns truncated to 10 and rejoins.
        #expect(p.produce(count: 1) == .notEnoughReplicas)
        p.recoverBroker(1)
        #expect(p.logEndOffset(1) == 10)
        p.fetch(follower: 1, upTo: 10)
        #expect(p.isr == [1, 3])
        #expect(p.produce(count: 2) == .appended(firstOffset: 10))
    }

    /// acks=1 acknowledges at the leader's append, so even a clean election loses what the
    /// followers had not fetched: leader at 8, follower 2 at 6 → 2 acknowledged records lost.
    @Test func acksOneLosesOnCleanElection() {
        var p = KafkaPartitionState(assignment: [1, 2], minInsyncReplicas: 1, acks: .leader)
        _ = p.produce(count: 8)
        #expect(p.acknowledgedRecords == 8)
        p.fetch(follower: 2, upTo: 6)
        p.failBroker(1)
        let e = p.brokerFailureDetected(1)
        #expect(e == KafkaElectionOutcome(leader: 2, unclean: false, previousLeaderEndOffset: 8, newLeaderEndOffset: 6,
                                          recordsLost: 2, acknowledgedRecordsLost: 2))
    }

    /// ISR shrink below min.insync.replicas after append: the records become visible (HW moves)
    /// but the producer gets NOT_ENOUGH_REPLICAS_AFTER_APPEND, so they are not acknowledged.
    @Test func shrinkAfterAppendIsNotAnAcknowledgement() {
        var p = KafkaPartitionState(assignment: [1, 2], minInsyncReplicas: 2, acks: .all)
        _ = p.produce(count: 4)
        p.shrinkIsr(removing: 2)
        #expect(p.highWatermark == 4)
        #expect(p.acknowledgedRecords == 0 && p.unacknowledgedRecords == 4)
    }
}
