import Platform
import SimCore

/// The wiring of a shard primary's failure (`db_primary_failure`): `Faults` says when it
/// fails, is detected and is promoted; `OrdersDatabase` stops and restarts the shard's writes
/// and counts what the promotion lost (`ShardFailover`); the incident timeline and the report
/// take it from there. All of it is the primary region's (its LP).
extension PlatformSimulation {
    /// The incident's place: `orders_shard_<i>`.
    static func shardPlace(_ shard: Int) -> String { "orders_shard_\(shard)" }

    func shardDue(_ i: Int, shard: Int, _ step: Faults.ShardStep, _ s: inout Scheduler) {
        s.lp = LogicalProcess.region(config.primaryRegion)
        switch step {
        case .failed:
            faults.begin(i, place: Self.shardPlace(shard), now: s.now, failed: totalFailed, retries: totalRetries)
            database.primaryFailed(shard: shard, now: s.now)
            if database.failoverDue { shardFailoverDue(&s) }
            measurements.mark(s.now, "outage", "orders shard \(shard): primary lost, its writes \(config.faults[i].failWrites ? "fail" : "wait for a new one")")
        case .detected:
            faults.detected(i, at: s.now)
            measurements.mark(s.now, "failover", "orders shard \(shard): leader key expired, promoting a standby")
        case .promoted:
            let k = database.standbyPromoted(shard: shard, &s)
            faults.mitigated(i, at: s.now)
            guard k >= 0 else { return }
            let f = database.failovers[k]
            let lost = f.promotion?.acknowledgedWritesLost ?? 0
            measurements.mark(s.now, "recovery", "orders shard \(shard): standby \(f.promotion?.replica ?? 0) promoted, \(f.delayed) writes resume, \(lost) acknowledged writes lost")
            if f.recoveredAt == s.now { faults.recovered(i, at: s.now, failed: totalFailed, retries: totalRetries) }
        }
    }

    /// After a database call: writes that failed for want of a primary (`writes: fail`) fail
    /// their requests (the client retries or gives up); a failed shard whose stopped writes are
    /// all committed on the new primary has recovered.
    func shardFailoverDue(_ s: inout Scheduler) {
        let (failed, k) = database.takeFailoverDue()
        for q in failed { apply(services.fail(q, &s), &s) }
        guard k >= 0 else { return }
        faults.recovered(database.failovers[k].fault, at: s.now, failed: totalFailed, retries: totalRetries)
    }

    /// Per failure `fault.<i>.db_primary_failure@orders_shard_<k>.<field>` (writes delayed,
    /// acknowledged writes and commits lost, the promoted standby and its lag), the totals
    /// `db.acknowledged_writes_lost` and `db.writes_delayed_by_failover`, and with
    /// `replication: sync` the invariant the real system promises: nothing acknowledged lost.
    func reportShardFailures(_ m: inout RunMetrics) {
        guard !database.failovers.isEmpty || config.syncReplication else { return }
        var lost: Int64 = 0, delayed = 0
        for f in database.failovers {
            let key = "fault.\(f.fault).db_primary_failure@\(Self.shardPlace(f.shard))"
            m.counter("\(key).writes_delayed", Double(f.delayed))
            if f.failWrites { m.counter("\(key).writes_failed", Double(f.failed)) }
            delayed += f.delayed
            if let p = f.promotion {
                lost += p.acknowledgedWritesLost
                m.counter("\(key).acknowledged_writes_lost", Double(p.acknowledgedWritesLost))
                m.counter("\(key).commits_lost", Double(p.commitsLost))
                m.counter("\(key).promoted_standby", Double(p.replica))
                m.counter("\(key).promoted_lag_ms", SimUnit.seconds(f.lags[p.replica]) * 1000)
            }
        }
        m.counter("db.acknowledged_writes_lost", Double(lost))
        m.counter("db.writes_delayed_by_failover", Double(delayed))
        if config.syncReplication {
            m.invariant("sync_replication_no_acknowledged_loss", lost == 0,
                        lost == 0 ? "no acknowledged write lost in \(database.failovers.count) failover(s)"
                            : "\(lost) acknowledged writes lost with synchronous replication (PostgreSQL synchronous_commit promises none)")
        }
    }
}
