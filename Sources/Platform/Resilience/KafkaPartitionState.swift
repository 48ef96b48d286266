/// One Kafka partition's replicas as the leader and controller see them: which brokers are live,
/// each replica's log end offset (LEO), the ISR, the high watermark, and what producers were told.
/// It follows apache/kafka:
/// - `cluster/Partition.scala` `appendRecordsToLeader`: `acks=all` with an ISR smaller than
///   `min.insync.replicas` is refused before append (NOT_ENOUGH_REPLICAS);
///   `checkEnoughReplicasReachOffset`: an `acks=all` request completes when the high watermark
///   reaches its last offset, successfully only if the ISR still has `min.insync.replicas`
///   members (else NOT_ENOUGH_REPLICAS_AFTER_APPEND: written but not acknowledged);
///   `maybeIncrementLeaderHW`: HW = the smallest LEO in the ISR; `maybeExpandIsr`: a follower
///   rejoins once its LEO reaches the HW and the current leader epoch's start offset;
///   `maybeShrinkIsr`: a lagging follower leaves;
/// - `controller/PartitionStateMachine.scala` (`offlinePartitionLeaderElection`, ``KafkaLeaderElection``)
///   and `ReplicaStateMachine` `removeReplicasFromIsr` (an offline replica leaves the ISR unless it
///   is the last member, which is kept so a clean election can wait for it);
/// - KIP-101/KIP-279 truncation: after an election every replica's log ends at most at the new
///   leader's LEO (a replica that was down truncates to the start offset of the first epoch it
///   missed when it returns).
/// Logs are prefixes of the leader's log, so a replica is described by its LEO alone. Records are
/// counted, not stored. Broker ids are the caller's; `assignment` order decides elections.
public struct KafkaPartitionState: Sendable {
    public let assignment: [Int]
    public var minInsyncReplicas: Int
    public var uncleanLeaderElectionEnabled: Bool
    public var acks: KafkaAcks

    public internal(set) var leader: Int?
    /// In assignment order.
    public internal(set) var isr: [Int]
    public internal(set) var highWatermark: Int64 = 0
    var live: [Bool]
    var endOffsets: [Int64]
    /// Leader epoch each replica's log last followed; `epochStartOffsets[e]` is where epoch e began.
    var replicaEpoch: [Int]
    var epochStartOffsets: [Int64] = [0]
    /// LEO of the last leader when it was lost (for ``KafkaElectionOutcome/recordsLost``).
    var lastLeaderEndOffset: Int64 = 0

    /// Offsets below this were resolved (acknowledged or failed) for `acks=all`; above it they wait.
    var resolvedEnd: Int64 = 0
    /// Acknowledged offsets as sorted, disjoint half-open ranges.
    var acknowledged: [Range<Int64>] = []

    public internal(set) var acknowledgedRecords: Int64 = 0
    /// `acks=all` records written but answered NOT_ENOUGH_REPLICAS_AFTER_APPEND, or pending when
    /// leadership moved (NOT_LEADER_OR_FOLLOWER): the producer was not told they were written.
    public internal(set) var unacknowledgedRecords: Int64 = 0
    public internal(set) var refusedNotEnoughReplicas = 0
    public internal(set) var refusedNoLeader = 0
    public internal(set) var recordsLost: Int64 = 0
    public internal(set) var acknowledgedRecordsLost: Int64 = 0
    public internal(set) var uncleanElections = 0
    public internal(set) var elections = 0

    /// A healthy partition: every replica live and in the ISR, the first of `assignment` leading,
    /// empty logs.
    public init(assignment: [Int], minInsyncReplicas: Int = 1, uncleanLeaderElectionEnabled: Bool = false,
                acks: KafkaAcks = .all) {
        precondition(!assignment.isEmpty && Set(assignment).count == assignment.count,
                     "assignment must list distinct brokers")
        precondition(minInsyncReplicas >= 1, "min.insync.replicas must be at least 1")
        self.assignment = assignment
        self.minInsyncReplicas = minInsyncReplicas
        self.uncleanLeaderElectionEnabled = uncleanLeaderElectionEnabled
        self.acks = acks
        leader = assignment[0]
        isr = assignment
        live = Array(repeating: true, count: assignment.count)
        endOffsets = Array(repeating: 0, count: assignment.count)
        replicaEpoch = Array(repeating: 0, count: assignment.count)
    }

    func slot(_ broker: Int) -> Int {
        guard let s = assignment.firstIndex(of: broker) else { preconditionFailure("broker \(broker) holds no replica") }
        return s
    }

    public func isLive(_ broker: Int) -> Bool { live[slot(broker)] }
    public func logEndOffset(_ broker: Int) -> Int64 { endOffsets[slot(broker)] }
    /// Whether producers can reach a live leader now.
    public var leaderAvailable: Bool { leader.map { live[slot($0)] } ?? false }
    /// How many offsets producers were told were written and are still in the log.
    public var acknowledgedOffsetCount: Int64 { acknowledged.reduce(0) { $0 + Int64($1.count) } }

    /// A producer sends `count` records with the partition's `acks`.
    public mutating func produce(count: Int64) -> KafkaProduceResult {
        precondition(count > 0)
        guard let l = leader, live[slot(l)] else { refusedNoLeader += 1; return .leaderNotAvailable }
        if acks == .all && isr.count < minInsyncReplicas { refusedNotEnoughReplicas += 1; return .notEnoughReplicas }
        let s = slot(l)
        let first = endOffsets[s]
        endOffsets[s] += count
        if acks == .leader {
            acknowledge(first..<(first + count))
            resolvedEnd = endOffsets[s]
        }
        advanceHighWatermark()
        return .appended(firstOffset: first)
    }

    /// A live follower fetches from the leader up to `offset` (at most the leader's LEO); it
    /// rejoins the ISR once it reaches the high watermark, and the high watermark moves.
    public mutating func fetch(follower: Int, upTo offset: Int64) {
        let s = slot(follower)
        guard let l = leader, l != follower, live[s], live[slot(l)] else { return }
        endOffsets[s] = max(endOffsets[s], min(offset, endOffsets[slot(l)]))
        // maybeExpandIsr: caught up to the HW and into the current leader epoch.
        if !isr.contains(follower) && endOffsets[s] >= max(highWatermark, epochStartOffsets[epochStartOffsets.count - 1]) {
            let order = assignment
            isr.append(follower)
            isr.sort { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! }
        }
        advanceHighWatermark()
    }

    /// The leader drops a follower that fell behind for `replica.lag.time.max.ms` (`maybeShrinkIsr`).
    public mutating func shrinkIsr(removing follower: Int) {
        guard leaderAvailable, follower != leader, isr.count > 1, let k = isr.firstIndex(of: follower) else { return }
        isr.remove(at: k)
        advanceHighWatermark()
    }

    /// HW = min LEO over the ISR (never backwards here); newly covered `acks=all` records resolve.
    mutating func advanceHighWatermark() {
        guard let l = leader, live[slot(l)] else { return }
        var hw = endOffsets[slot(l)]
        for b in isr { hw = min(hw, endOffsets[slot(b)]) }
        if hw > highWatermark { highWatermark = hw }
        if acks == .all && highWatermark > resolvedEnd {
            let range = resolvedEnd..<highWatermark
            if isr.count >= minInsyncReplicas { acknowledge(range) } else { unacknowledgedRecords += Int64(range.count) }
            resolvedEnd = highWatermark
        }
    }

    mutating func acknowledge(_ r: Range<Int64>) {
        acknowledgedRecords += Int64(r.count)
        if let last = acknowledged.last, last.upperBound == r.lowerBound {
            acknowledged[acknowledged.count - 1] = last.lowerBound..<r.upperBound
        } else {
            acknowledged.append(r)
        }
    }
}
