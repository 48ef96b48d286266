import Platform
import Scenario
import SimCore

/// The produce path and broker faults when `kafka.brokers` is set (see `KafkaBrokers`).
extension KafkaCluster {
    /// Whether region `region`'s cluster models its brokers.
    @inline(__always) func hasBrokers(region: Int) -> Bool { brokers[region] != nil }

    /// Request `q` sends its record to partition `p` of topic `t`: when the producer next looks
    /// at it (the replication latency after the brokers' queues, or the retry backoff).
    func send(_ t: Int, _ p: Int, request q: Int32, now: SimTime, again: Bool = false) -> SimTime {
        let b = brokers[t / 2].unsafelyUnwrapped
        return b.send(t % 2, p, request: q, now: now, latency: b.settings.acksAll ? acksAll(t) : leaderAppend(t), again: again)
    }

    /// After the wait: nil when acknowledged (the caller appends the record for the consumers),
    /// else the delay until the next look (a resend included), or `.failed` after `delivery_timeout`.
    func awaitAck(_ t: Int, _ p: Int, request q: Int32, now: SimTime) -> KafkaBrokers.Step {
        let b = brokers[t / 2].unsafelyUnwrapped
        let (step, resend) = b.check(t % 2, p, request: q, now: now)
        if resend { return .wait(send(t, p, request: q, now: now, again: true)) }
        return step
    }

    /// Brokers `first ..< first + count` of `region` stop (fault `fault`): the controller notices
    /// after `session_timeout`, the leaders drop them from the ISRs after `replica_lag_max`.
    func loseBrokers(region: Int, first: Int, count: Int, fault: Int, _ s: inout Scheduler) {
        guard let b = brokers[region] else { return }
        let ids = Array(first..<(first + count))
        for (id, g) in zip(ids, b.lose(ids, fault: fault, now: s.now)) {
            let payload = UInt64(id) | g << 16
            s.schedule(after: b.settings.sessionTimeout, kind: ComponentID.kafka.kind(Kind.brokerDetected.rawValue), target: UInt32(region), payload: payload)
            s.schedule(after: b.settings.replicaLagMax, kind: ComponentID.kafka.kind(Kind.isrShrink.rawValue), target: UInt32(region), payload: payload)
        }
    }

    func recoverBrokers(region: Int, first: Int, count: Int, fault: Int, now: SimTime) {
        brokers[region]?.recover(Array(first..<(first + count)), fault: fault, now: now)
    }

    /// The brokers' counters (only with `kafka.brokers`): refusals, resends, failed produces,
    /// elections, records lost and acknowledged records lost, and per broker its utilisation.
    func reportBrokers(into m: inout RunMetrics, regions: [PlatformConfig.Region], at now: SimTime) {
        guard brokers.contains(where: { $0 != nil }) else { return }
        var lost: Int64 = 0, ackedLost: Int64 = 0
        for (r, b) in brokers.enumerated() {
            guard let b else { continue }
            let n = regions[r].name
            m.counter("kafka.brokers@\(n).produce_refused_not_enough_replicas", Double(b.sum { Int64($0.refusedNotEnoughReplicas) }))
            m.counter("kafka.brokers@\(n).produce_refused_no_leader", Double(b.sum { Int64($0.refusedNoLeader) }))
            m.counter("kafka.brokers@\(n).produce_resent", Double(b.resent))
            m.counter("kafka.brokers@\(n).produce_failed", Double(b.deliveryFailures))
            m.counter("kafka.brokers@\(n).leader_elections", Double(b.sum { Int64($0.elections) }))
            m.counter("kafka.brokers@\(n).unclean_elections", Double(b.sum { Int64($0.uncleanElections) }))
            m.counter("kafka.brokers@\(n).records_lost", Double(b.sum(\.recordsLost)))
            m.counter("kafka.brokers@\(n).acknowledged_records_lost", Double(b.sum(\.acknowledgedRecordsLost)))
            lost += b.sum(\.recordsLost)
            ackedLost += b.sum(\.acknowledgedRecordsLost)
            if b.settings.recordsPerSecond > 0, now > 0 {
                for (id, busy) in b.busy.enumerated() { m.counter("kafka.broker.\(id)@\(n).utilization", Double(busy) / Double(now)) }
            }
        }
        m.counter("kafka.records_lost", Double(lost))
        m.counter("kafka.acknowledged_records_lost", Double(ackedLost))
    }

    /// With acks=all, min.insync.replicas ≥ 2 and no unclean election Kafka loses no
    /// acknowledged record (apache/kafka docs, "Availability and Durability Guarantees").
    func checkBrokerPromise(into m: inout RunMetrics, regions: [PlatformConfig.Region]) {
        for (r, b) in brokers.enumerated() {
            guard let b, b.guaranteesNoLoss else { continue }
            let lost = b.sum(\.acknowledgedRecordsLost)
            m.invariant("kafka_no_acknowledged_loss@\(regions[r].name)", lost == 0,
                        "acks=all, min.insync.replicas=\(b.settings.minInsyncReplicas), no unclean election: acknowledged records lost \(lost)")
        }
    }
}
