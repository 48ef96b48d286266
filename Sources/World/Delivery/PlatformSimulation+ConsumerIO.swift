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
        loops.end(p, r)
        while let (t, part) = loops.next(p, r) { poll(topic: t, part, expired: true, &s) }
    }
}
