/// Broker loss and return, and the controller's reaction (apache/kafka `KafkaController.onBrokerFailure`
/// / `onBrokerStartup`: leaders on lost brokers are re-elected, lost followers leave the ISR).
extension KafkaPartitionState {
    /// The broker stops (crash, partition from the cluster). Nothing else changes until the
    /// controller notices (`brokerFailureDetected`): a lost leader leaves the partition without a
    /// reachable leader; a lost follower in the ISR holds the high watermark back.
    public mutating func failBroker(_ broker: Int) {
        let s = slot(broker)
        guard live[s] else { return }
        live[s] = false
        if broker == leader { lastLeaderEndOffset = endOffsets[s] }
    }

    /// The controller processes the broker's loss (after its session timeout). If it led, a new
    /// leader is elected (nil result and no leader when none qualifies); if it followed, it leaves
    /// the ISR unless it was the last member.
    @discardableResult
    public mutating func brokerFailureDetected(_ broker: Int) -> KafkaElectionOutcome? {
        let s = slot(broker)
        precondition(!live[s], "broker \(broker) is live")
        if broker == leader { leader = nil }
        if isr.count > 1, let k = isr.firstIndex(of: broker) { isr.remove(at: k) }
        if leader == nil { return electLeader() }
        advanceHighWatermark()
        return nil
    }

    /// The broker is back. Its log is cut to where the first leader epoch it missed began; the
    /// partition, if leaderless, elects (the controller's OnlinePartition transition on startup).
    @discardableResult
    public mutating func recoverBroker(_ broker: Int) -> KafkaElectionOutcome? {
        let s = slot(broker)
        guard !live[s] else { return nil }
        live[s] = true
        let current = epochStartOffsets.count - 1
        if replicaEpoch[s] < current {
            endOffsets[s] = min(endOffsets[s], epochStartOffsets[replicaEpoch[s] + 1])
            replicaEpoch[s] = current
        }
        if leader == nil { return electLeader() }
        return nil
    }

    /// `offlinePartitionLeaderElection` on the live brokers; the new leader's LEO becomes the end
    /// of every live log, and what lay beyond it on the previous leader is counted as lost.
    mutating func electLeader() -> KafkaElectionOutcome? {
        guard let r = KafkaLeaderElection.offlinePartitionLeaderElection(
            assignment: assignment, isr: isr, isLive: { live[slot($0)] },
            uncleanLeaderElectionEnabled: uncleanLeaderElectionEnabled) else { return nil }
        let newEnd = endOffsets[slot(r.leader)]
        let previousEnd = lastLeaderEndOffset
        let lost = max(0, previousEnd - newEnd)
        let ackedLost = truncateAcknowledged(at: newEnd)
        // Requests waiting for the old leader's high watermark fail with NOT_LEADER_OR_FOLLOWER.
        if acks == .all && previousEnd > resolvedEnd { unacknowledgedRecords += previousEnd - resolvedEnd }
        leader = r.leader
        isr = r.isr
        elections += 1
        if r.unclean { uncleanElections += 1 }
        recordsLost += lost
        acknowledgedRecordsLost += ackedLost
        epochStartOffsets.append(newEnd)
        for s in assignment.indices where live[s] {
            endOffsets[s] = min(endOffsets[s], newEnd)
            replicaEpoch[s] = epochStartOffsets.count - 1
        }
        // Clean: every ISR member already has the HW, so it stays; unclean: it may drop to newEnd.
        highWatermark = min(highWatermark, newEnd)
        resolvedEnd = newEnd
        lastLeaderEndOffset = newEnd
        advanceHighWatermark()
        return KafkaElectionOutcome(leader: r.leader, unclean: r.unclean, previousLeaderEndOffset: previousEnd,
                                    newLeaderEndOffset: newEnd, recordsLost: lost, acknowledgedRecordsLost: ackedLost)
    }

    /// Drops acknowledged offsets at or above `offset`; returns how many there were.
    mutating func truncateAcknowledged(at offset: Int64) -> Int64 {
        var dropped: Int64 = 0
        while let last = acknowledged.last, last.upperBound > offset {
            if last.lowerBound >= offset {
                dropped += Int64(last.count)
                acknowledged.removeLast()
            } else {
                dropped += last.upperBound - offset
                acknowledged[acknowledged.count - 1] = last.lowerBound..<offset
            }
        }
        return dropped
    }
}
