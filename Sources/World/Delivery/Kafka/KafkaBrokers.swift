import Platform
import Scenario
import SimCore

/// One region cluster's brokers (`kafka.brokers`): where each partition's replicas live
/// (``KafkaReplicaAssignment``, apache/kafka `AdminUtils.assignReplicasToBrokersRackUnaware` with
/// start index and shift 0), each partition's replicas, ISR, high watermark and acknowledged
/// records (``KafkaPartitionState``), a FIFO queue per broker (`records_per_second`), the
/// producers' in-flight records, and broker loss: the controller's detection after
/// `session_timeout` (leaders move, lost followers leave the ISR), the leader's ISR shrink after
/// `replica_lag_max`, and the broker's return.
///
/// A producer's record: sent to the partition's leader (refused with NOT_ENOUGH_REPLICAS when
/// acks=all and the ISR is below `min_insync_replicas`, or without a live leader); the live
/// followers fetch it when its replication latency has passed; it is acknowledged when the high
/// watermark passes it with enough replicas in sync. Refused or failed records are sent again
/// after `retry_backoff`, doubled at each wait up to `retry_backoff_max` (KIP-580, without its
/// jitter), until `delivery_timeout` after the first send, then the request fails (apache/kafka
/// `clients/.../producer/internals/Sender.java`: these errors are retriable). A record waiting
/// for the high watermark is looked at on the same schedule.
/// A returning follower catches up at the next record it fetches (replication time not modelled).
final class KafkaBrokers {
    /// One in-flight record: its leader epoch and offset (epoch -1: refused, to be sent again).
    struct InFlight { var epoch: Int; var offset: Int64; var firstSend: SimTime; var waits = 0 }
    /// What a producer waiting on a record does next.
    enum Step: Equatable { case acknowledged, wait(SimTime), failed }
    /// One broker loss's timeline (times nil until reached).
    struct Loss { var brokers: [Int]; var start: SimTime; var detected: SimTime?; var leaderless = 0; var mitigated: SimTime?; var back: SimTime? }

    let settings: PlatformConfig.KafkaBrokerSettings
    /// Replica lists (leader first) per topic kind (0 order_events, 1 location_updates) and partition.
    let assignment: [[[Int]]]
    private(set) var partitions: [[KafkaPartitionState]]
    /// The (kind, partition) pairs holding a replica on each broker, in topic and partition order.
    private let holdings: [[(kind: Int, p: Int)]]
    private(set) var live: [Bool]
    private var generation: [UInt64]
    private var free: [SimTime]
    private(set) var busy: [SimTime]
    private let unit: SimTime
    private var inFlight: [Int32: InFlight] = [:]
    private(set) var resent = 0
    private(set) var deliveryFailures = 0
    /// Per fault index: its loss timeline and the cluster totals at its start.
    private(set) var losses: [Int: Loss] = [:]
    private var totalsAtStart: [Int: [Double]] = [:]
    private var totalsAtBack: [Int: [Double]] = [:]

    init(settings: PlatformConfig.KafkaBrokerSettings, orderEvents: PlatformConfig.Topic, locationUpdates: PlatformConfig.Topic) {
        self.settings = settings
        let n = settings.count
        let assignment = [orderEvents, locationUpdates].map {
            KafkaReplicaAssignment.assign(partitions: $0.partitions, replicationFactor: min($0.replication, n), brokers: n)
        }
        self.assignment = assignment
        partitions = assignment.map { topic in
            topic.map { KafkaPartitionState(assignment: $0, minInsyncReplicas: settings.minInsyncReplicas,
                                            uncleanLeaderElectionEnabled: settings.uncleanLeaderElection, acks: settings.acksAll ? .all : .leader) }
        }
        var holdings = Array(repeating: [(kind: Int, p: Int)](), count: n)
        for (k, topic) in assignment.enumerated() { for (p, replicas) in topic.enumerated() { for b in replicas { holdings[b].append((k, p)) } } }
        self.holdings = holdings
        live = Array(repeating: true, count: n)
        generation = Array(repeating: 0, count: n)
        free = Array(repeating: 0, count: n)
        busy = Array(repeating: 0, count: n)
        unit = settings.recordsPerSecond > 0 ? max(1, SimUnit.fromSeconds(1 / settings.recordsPerSecond)) : 0
    }

    /// Request `q` sends its record to partition `p` of topic kind `k`; `latency` is the
    /// replication latency drawn for it; `again` for a resend (the delivery timeout runs from
    /// the first send). Returns when the producer next looks at it.
    func send(_ k: Int, _ p: Int, request q: Int32, now: SimTime, latency: SimTime, again: Bool = false) -> SimTime {
        let first = again ? (inFlight[q]?.firstSend ?? now) : now
        let waits = again ? (inFlight[q]?.waits ?? 0) : 0
        switch partitions[k][p].produce(count: 1) {
        case .appended(let offset):
            inFlight[q] = InFlight(epoch: partitions[k][p].leaderEpoch, offset: offset, firstSend: first, waits: waits)
            return queueDelay(k, p, now) + latency
        case .notEnoughReplicas, .leaderNotAvailable:
            inFlight[q] = InFlight(epoch: -1, offset: 0, firstSend: first, waits: waits + 1)
            return backoff(waits)
        }
    }

    /// The record of request `q` after its wait: the live followers fetch it, then it is
    /// acknowledged, still waits for the high watermark, or is due again (sent again by the
    /// caller with `send`, or failed after `delivery_timeout`).
    func check(_ k: Int, _ p: Int, request q: Int32, now: SimTime) -> (step: Step, resend: Bool) {
        guard let r = inFlight[q] else { return (.acknowledged, false) }
        var resend = r.epoch < 0
        if !resend {
            for b in assignment[k][p] where live[b] { partitions[k][p].fetch(follower: b, upTo: r.offset + 1) }
            switch partitions[k][p].status(offset: r.offset, epoch: r.epoch) {
            case .acknowledged:
                inFlight[q] = nil
                return (.acknowledged, false)
            case .pending:
                break
            case .failed:
                resend = true
            }
        }
        if now - r.firstSend >= settings.deliveryTimeout {
            inFlight[q] = nil
            deliveryFailures += 1
            return (.failed, false)
        }
        if resend { resent += 1 } else { inFlight[q]?.waits += 1 }
        return (.wait(backoff(r.waits)), resend)
    }

    /// `retry_backoff × 2^waits`, at most `retry_backoff_max`.
    private func backoff(_ waits: Int) -> SimTime {
        min(settings.retryBackoffMax, settings.retryBackoff << SimTime(min(waits, 20)))
    }

    /// Leader and live followers each take `1 / records_per_second` of their broker, in order.
    private func queueDelay(_ k: Int, _ p: Int, _ now: SimTime) -> SimTime {
        guard unit > 0 else { return 0 }
        var done = now
        for b in assignment[k][p] where live[b] {
            let start = max(now, free[b])
            free[b] = start + unit
            busy[b] += unit
            done = max(done, free[b])
        }
        return done - now
    }

    // MARK: broker loss

    /// Brokers stop (fault `fault`); returns each one's generation for its timers.
    func lose(_ brokers: [Int], fault: Int, now: SimTime) -> [UInt64] {
        totalsAtStart[fault] = totals
        losses[fault] = Loss(brokers: brokers, start: now)
        return brokers.map { b in
            live[b] = false
            generation[b] &+= 1
            for (k, p) in holdings[b] { partitions[k][p].failBroker(b) }
            return generation[b]
        }
    }

    /// The controller declares broker `b` lost: leaders move, it leaves the ISRs.
    func detect(_ b: Int, generation g: UInt64, now: SimTime) {
        guard !live[b], generation[b] == g else { return }
        for (k, p) in holdings[b] { partitions[k][p].brokerFailureDetected(b) }
        for f in losses.keys.sorted() where losses[f]!.brokers.contains(b) && losses[f]!.back == nil {
            losses[f]!.detected = now
        }
        updateMitigation(now)
    }

    /// A loss is mitigated once detected and every partition of its brokers has a live leader.
    private func updateMitigation(_ now: SimTime) {
        for f in losses.keys.sorted() where losses[f]!.detected != nil && losses[f]!.mitigated == nil {
            let leaderless = losses[f]!.brokers.flatMap { holdings[$0] }.filter { !partitions[$0.kind][$0.p].leaderAvailable }.count
            losses[f]!.leaderless = max(losses[f]!.leaderless, leaderless)
            if leaderless == 0 { losses[f]!.mitigated = now }
        }
    }

    /// The leader drops broker `b` from the ISRs it follows in (`replica_lag_max` without a fetch).
    func shrink(_ b: Int, generation g: UInt64) {
        guard !live[b], generation[b] == g else { return }
        for (k, p) in holdings[b] { partitions[k][p].shrinkIsr(removing: b) }
    }

    /// Broker `b` is back (fault `fault`): its replicas truncate and rejoin; leaderless
    /// partitions elect (unclean ones when allowed and no in-sync replica is back).
    func recover(_ brokers: [Int], fault: Int, now: SimTime) {
        for b in brokers where !live[b] {
            live[b] = true
            generation[b] &+= 1
            // Back, it catches up with its leaders at once (replication time not modelled).
            for (k, p) in holdings[b] {
                partitions[k][p].recoverBroker(b)
                partitions[k][p].fetch(follower: b, upTo: .max)
            }
        }
        losses[fault]?.back = now
        totalsAtBack[fault] = totals
        updateMitigation(now)
    }

    /// Refused sends, requests failed after `delivery_timeout`, records lost, acknowledged records lost.
    var totals: [Double] {
        var refused = 0, lost: Int64 = 0, ackedLost: Int64 = 0
        for topic in partitions { for s in topic { refused += s.refusedNotEnoughReplicas + s.refusedNoLeader; lost += s.recordsLost; ackedLost += s.acknowledgedRecordsLost } }
        return [Double(refused), Double(deliveryFailures), Double(lost), Double(ackedLost)]
    }

    static let totalNames = ["produce_refusals", "failed_produces", "records_lost", "acknowledged_records_lost"]

    /// The totals from fault `fault`'s start to its brokers' return (or now).
    func totals(since fault: Int) -> [Double]? {
        guard let start = totalsAtStart[fault] else { return nil }
        return zip(totalsAtBack[fault] ?? totals, start).map { $0 - $1 }
    }

    /// Sum of one partition-state counter over every partition.
    func sum(_ f: (KafkaPartitionState) -> Int64) -> Int64 {
        partitions.reduce(0) { $0 + $1.reduce(0) { $0 + f($1) } }
    }

    /// Whether the settings are those under which Kafka promises no acknowledged record is lost.
    var guaranteesNoLoss: Bool { settings.acksAll && settings.minInsyncReplicas >= 2 && !settings.uncleanLeaderElection }
}
