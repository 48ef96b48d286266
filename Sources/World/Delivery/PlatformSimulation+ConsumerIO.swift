import Scenario
import SimCore

/// A consumer poll's time off the CPU (`kafka.consumer.batch_io`, `record_io`) and its poll
/// loops (`loops_per_pod`, `Kafka/ConsumerLoops.swift`).
///
/// A real location consumer spends most of a batch waiting on its store, not computing:
/// one pipelined round trip per batch when it pipelines (Redis "Pipelining": the client sends
/// the batch's commands and reads the replies at once, one round trip), one round trip per
/// record when it writes synchronously. Its thread is busy all along and commits only after the
/// writes (at-least-once), but its pod's CPU is idle while it waits, so CPU utilisation
/// understates how loaded the consumer is. Here the batch's request runs its CPU on a core as
/// before (`batch_cpu` plus each record's draw), then holds its loop, not a core, for
/// `batch_io + records × record_io`, then commits. Both 0: the batch commits when its CPU
/// ends, as before.
extension PlatformSimulation {
    /// A consumer batch request's next step: after its CPU (stage 1), its I/O wait if any;
    /// after the wait (stage 2), the commit, or its loss if its pod crashed meanwhile.
    func batchStep(_ q: Int32, _ s: inout Scheduler) {
        let req = services.request(q)
        if req.stage == 1 {
            let io = config.consumer.batchIO + SimTime(req.units) * config.consumer.recordIO
            if io > 0 { return services.next(q, stage: 2, after: io, &s) }
        } else if services.pools[Int(req.pool)].replicas[Int(req.replica)].state == .dead {
            // The pod crashed while the batch waited on its writes: nothing was committed.
            return batchLost(q, &s)
        }
        batchDone(q, &s)
    }

    /// A loop of replica `r` of pool `p` is free: it takes the partitions that waited for it, in
    /// order, while it has a free loop (each with the records it holds now, as the fetcher's
    /// buffer would hand them out).
    func loopFreed(_ p: Int, _ r: Int, _ s: inout Scheduler) {
        loops.end(p, r, now: s.now)
        while let (t, part) = loops.next(p, r) { poll(topic: t, part, expired: true, &s) }
    }
}

// MARK: report

extension PlatformSimulation {
    /// Per consuming pool, with `loops_per_pod`: the share of its pods' poll loops busy over
    /// the run (`kafka.<topic>@<region>.loop_busy`: batch loop-time / (pod-time × loops_per_pod)).
    func reportLoops(into m: inout RunMetrics, at now: SimTime) {
        guard loops.enabled else { return }
        for (p, pool) in services.pools.enumerated() where pool.service != 0 {
            m.counter("kafka.\(pool.service == 2 ? "order_events" : "location_updates")@\(config.regions[pool.region].name).loop_busy",
                      loopBusyShare(p, now: now))
        }
    }

    /// Pool `p`'s loops busy over its pods' time (ready and terminating cores / cores per pod).
    func loopBusyShare(_ p: Int, now: SimTime) -> Double {
        let pool = services.pools[p]
        pool.advance(now)
        let podTime = pool.capacityIntegral / Double(max(1, pool.cores))
        return podTime > 0 ? loops.busyTime(p, now: now) / (podTime * Double(loops.perPod)) : 0
    }

    /// `consumers_off_cpu`: a consuming pool scaled on CPU only whose poll loops were nearly
    /// always busy while its CPU stayed within the autoscaler's tolerance of its target (the
    /// HPA adds no pod below target × 1.1, Kubernetes' default 10 % tolerance) and its lag grew
    /// past ten polls: the consumers wait on their writes, which CPU does not show.
    func findOffCPUConsumers(_ m: inout RunMetrics, at now: SimTime) {
        guard loops.enabled else { return }
        for (p, pool) in services.pools.enumerated() where pool.service != 0 && pool.config.lagPerPod == nil {
            let topic = pool.service == 2 ? "order_events" : "location_updates"
            let region = config.regions[pool.region].name
            guard let lag = m.gauges.first(where: { $0.name == "kafka.\(topic)@\(region).lag" })?.gauge else { continue }
            let busy = loopBusyShare(p, now: now), cpu = pool.meanUtilisation
            guard busy >= 0.9, cpu <= 1.1 * Double(pool.config.targetCPU) / 100, lag.max > 10 * Double(config.consumer.maxPollRecords) else { continue }
            m.findings.append(("warning", "consumers_off_cpu",
                               "\(pool.name): its poll loops were busy \(MetricsFormat.fmt(100 * busy))% of the time while its CPU ran at \(MetricsFormat.fmt(100 * cpu))% (target \(pool.config.targetCPU)%, no scale-up below \(MetricsFormat.fmt(1.1 * Double(pool.config.targetCPU)))%), and \(topic)@\(region) lag reached \(Int(lag.max)) records (mean \(MetricsFormat.fmt(lag.mean))): the consumers wait on their writes (batch_io \(MetricsFormat.ms(SimUnit.seconds(config.consumer.batchIO))), record_io \(MetricsFormat.ms(SimUnit.seconds(config.consumer.recordIO)))), which CPU does not show"))
        }
    }
}
