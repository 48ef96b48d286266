import SimCore

/// The wiring of a partition between two regions (`region_partition`): `CrossRegionChannel`
/// holds or fails the messages between them; here the incident timeline (start; detected when
/// the first message failed, i.e. when clients first saw it; recovered when the partition has
/// healed and the messages it held have crossed) and the report's counters.
extension PlatformSimulation {
    func partitionDue(_ i: Int, a: Int, b: Int, healed: Bool, _ s: inout Scheduler) {
        let names = "\(config.regions[a].name) and \(config.regions[b].name)"
        guard healed else {
            faults.begin(i, place: "\(config.regions[a].name)~\(config.regions[b].name)", now: s.now, failed: totalFailed, retries: totalRetries)
            measurements.mark(s.now, "outage", "\(names) partitioned: messages between them wait, or fail after their timeout")
            return
        }
        measurements.mark(s.now, "recovery", "\(names) connected again: the messages held cross")
        guard let p = channel.partitions.first(where: { $0.fault == i }) else { return }
        if let t = p.firstFailure { faults.detected(i, at: t) }
        faults.mitigated(i, at: s.now)
        faults.scheduleWindowEnd(i, at: max(s.now, p.lastDelivery ?? s.now), &s)
    }

    /// Per partition `fault.<i>.region_partition@<a>~<b>.<field>`: writes and answers delayed
    /// and failed, failover calls delayed and failed.
    func reportPartitions(_ m: inout RunMetrics) {
        for p in channel.partitions {
            let key = "fault.\(p.fault).region_partition@\(config.regions[p.a].name)~\(config.regions[p.b].name)"
            let w = Int(CrossRegionChannel.Kind.write.rawValue), a = Int(CrossRegionChannel.Kind.answer.rawValue)
            let r = Int(CrossRegionChannel.Kind.request.rawValue)
            m.counter("\(key).writes_delayed", Double(p.delayed[w]))
            m.counter("\(key).writes_failed", Double(p.failed[w]))
            m.counter("\(key).answers_delayed", Double(p.delayed[a]))
            m.counter("\(key).answers_failed", Double(p.failed[a]))
            m.counter("\(key).calls_delayed", Double(p.delayed[r]))
            m.counter("\(key).calls_failed", Double(p.failed[r]))
        }
    }
}
