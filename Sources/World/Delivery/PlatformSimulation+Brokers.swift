import Platform
import Scenario
import SimCore

/// The wiring of Kafka brokers and Redis nodes: a produce waiting for its acknowledgement
/// (`KafkaCluster.awaitAck`), the `broker_loss` and `redis_node_loss` faults into
/// `KafkaCluster` and `MenuCaches`, and their incident timeline and losses.
extension PlatformSimulation {
    /// Request `q`'s record on partition `part` of topic `t` after its wait: true when
    /// acknowledged (the caller carries on); else it waits again at `stage`, or it failed after
    /// the producer's `delivery_timeout` and the call fails (the client retries it as any failed call).
    func produceAcknowledged(_ q: Int32, _ t: Int, _ part: Int, stage: UInt8, _ s: inout Scheduler) -> Bool {
        switch kafka.awaitAck(t, part, request: q, now: s.now) {
        case .acknowledged:
            return true
        case .wait(let d):
            services.next(q, stage: stage, after: d, &s)
            return false
        case .failed:
            apply(services.fail(q, &s), &s)
            return false
        }
    }

    /// Where a broker or node fault strikes, as the incident table names it.
    func memberPlace(_ f: PlatformConfig.Fault) -> String {
        let region = config.regions[f.region ?? 0].name
        let first = f.kind == .brokerLoss ? f.broker : f.node
        let ids = f.count == 1 ? "\(first)" : "\(first)-\(first + f.count - 1)"
        return f.kind == .brokerLoss ? "kafka \(region) broker \(ids)" : "redis \(region) node \(ids)"
    }

    func memberLost(_ i: Int, _ f: PlatformConfig.Fault, _ s: inout Scheduler) {
        let r = f.region ?? 0
        faults.begin(i, place: memberPlace(f), now: s.now, failed: totalFailed, retries: totalRetries)
        if f.kind == .brokerLoss {
            kafka.loseBrokers(region: r, first: f.broker, count: f.count, fault: i, &s)
            measurements.mark(s.now, "outage", "\(memberPlace(f)) lost: its partition leaders move after the controller's session timeout")
        } else {
            caches.loseNodes(region: r, first: f.node, count: f.count, fault: i, now: s.now)
            measurements.mark(s.now, "outage", "\(memberPlace(f)) lost: its keys are cold, their reads go to the database")
        }
    }

    func memberBack(_ i: Int, _ f: PlatformConfig.Fault, _ s: inout Scheduler) {
        let r = f.region ?? 0
        if f.kind == .brokerLoss {
            kafka.recoverBrokers(region: r, first: f.broker, count: f.count, fault: i, now: s.now)
        } else {
            caches.recoverNodes(region: r, first: f.node, count: f.count, fault: i, now: s.now)
        }
        faults.recovered(i, at: s.now, failed: totalFailed, retries: totalRetries)
        measurements.mark(s.now, "recovery", "\(memberPlace(f)) back" + (f.kind == .redisNodeLoss ? ", empty" : ""))
    }

    /// Detection and mitigation of the broker and node losses: a broker loss is detected when
    /// the controller's session timeout declared its brokers lost and mitigated when each of
    /// their partitions had a live leader again; a node loss is detected when the cluster flags
    /// the node failed (`node_timeout`, if still down) and mitigated when it serves again.
    func completeMemberIncidents() {
        for (i, f) in config.faults.enumerated() {
            guard let r = f.region else { continue }
            if f.kind == .brokerLoss, let loss = kafka.brokers[r]?.losses[i] {
                if let d = loss.detected { faults.detected(i, at: d) }
                if let m = loss.mitigated { faults.mitigated(i, at: m) }
            } else if f.kind == .redisNodeLoss, let n = caches.nodes[r], let loss = n.losses[i] {
                let flagged = loss.start + n.settings.nodeTimeout
                if loss.back.map({ flagged < $0 }) ?? true { faults.detected(i, at: flagged) }
                if let b = loss.back { faults.mitigated(i, at: b) }
            }
        }
    }

    /// Each broker or node loss's data counters: `fault.<i>.<kind>@<where>.produce_refusals`,
    /// `failed_produces`, `records_lost`, `acknowledged_records_lost` (brokers, from the loss to
    /// the brokers' return); `keys_cold`, `l3_loads` (nodes, from the loss to the node's return).
    func reportMemberIncidents(_ m: inout RunMetrics) {
        for inc in faults.incidents {
            let f = config.faults[inc.fault]
            guard let r = f.region else { continue }
            let key = "fault.\(inc.fault).\(inc.kind)@\(inc.place)"
            if f.kind == .brokerLoss, let totals = kafka.brokers[r]?.totals(since: inc.fault) {
                for (name, v) in zip(KafkaBrokers.totalNames, totals) { m.counter("\(key).\(name)", v) }
            } else if f.kind == .redisNodeLoss, let loss = caches.nodes[r]?.losses[inc.fault] {
                m.counter("\(key).keys_cold", Double(loss.keysCold))
                m.counter("\(key).l3_loads", Double((loss.l3AtBack ?? caches.l3Loads(region: r)) - loss.l3AtStart))
            }
        }
    }
}
