import Scenario
import SimCore

/// The `db_primary_failure` faults' events: the primary of one orders shard is lost at `at`;
/// Patroni notices when the leader key expires and a standby is promoted `promotion` later
/// (zalando/patroni `patroni/ha.py`). The leader refreshes its key every `loop_wait` and the
/// key lives `ttl`, so with `check_interval` = loop_wait (10 s) and `fall` = ttl / loop_wait
/// (30 s / 10 s = 3) the expiry is exactly `Faults.detection(after:interval:fall:)`: the
/// last refresh at or before the failure plus ttl, (fall − 1) to fall intervals after it.
/// What the failure does to the writes is `OrdersDatabase`'s (`+Failover`).
extension Faults {
    /// One step of a shard failure, for the caller to apply.
    enum ShardStep { case failed, detected, promoted }

    /// Schedules each `db_primary_failure` at its time (the caller sets the primary region's LP).
    static func scheduleShardFailures(_ schedule: [PlatformConfig.Fault], _ s: inout Scheduler) {
        for (i, f) in schedule.enumerated() where f.kind == .dbPrimaryFailure {
            guard let at = f.at else { continue }
            s.schedule(at: at, kind: ComponentID.faults.kind(Kind.shardFailed.rawValue), target: UInt32(i))
        }
    }

    /// A shard failure's event: the next step scheduled, this one returned.
    static func shardStep(_ kind: Kind, fault i: Int, _ f: PlatformConfig.Fault, _ s: inout Scheduler) -> Due {
        switch kind {
        case .shardFailed:
            s.schedule(at: detection(after: s.now, interval: f.checkInterval, fall: f.fall),
                       kind: ComponentID.faults.kind(Kind.shardDetected.rawValue), target: UInt32(i))
            return .shard(fault: i, shard: f.shard, step: .failed)
        case .shardDetected:
            s.schedule(after: f.promotion, kind: ComponentID.faults.kind(Kind.shardPromoted.rawValue), target: UInt32(i))
            return .shard(fault: i, shard: f.shard, step: .detected)
        default:
            return .shard(fault: i, shard: f.shard, step: .promoted)
        }
    }
}
