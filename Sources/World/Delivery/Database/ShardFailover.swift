import Platform
import SimCore

/// One shard primary's failure and its Patroni failover (`db_primary_failure`, issue 17 item
/// 2), kept by `OrdersDatabase`: the commits acknowledged on the shard before the failure,
/// the writes stopped while it has no primary (they wait and are written on the new primary,
/// in the order they were stopped), and the promotion by `PostgresFailoverGroup` (Platform:
/// zalando/patroni `patroni/ha.py`, the most caught-up eligible standby).
///
/// Standbys: the shard's `read_replicas` replicas in the primary region. At the failure each
/// standby is behind the primary by its own replay lag, one draw of `replication_lag` (a
/// snapshot of the per-write lag the reads see), so it holds exactly the commits acknowledged
/// up to the failure minus that lag. Asynchronously, the commits acknowledged beyond the
/// promoted standby's position are lost (`acknowledgedWritesLost`); with `replication: sync`
/// standby 0 is synchronous (`synchronous_commit = remote_apply`): every acknowledged commit
/// is on it, only it may be promoted, and nothing acknowledged is lost.
struct ShardFailover {
    enum State { case up, down, promoted }

    let fault: Int
    let shard: Int
    /// `writes: fail`: a write to the shard without primary fails instead of waiting.
    let failWrites: Bool
    /// Writes failed for want of a primary (`failWrites`).
    private(set) var failed = 0
    private(set) var state = State.up
    /// Acknowledgement times of the shard's commits before the failure, ascending.
    private(set) var commitTimes: [SimTime] = []
    private(set) var failedAt: SimTime = 0
    private(set) var promotedAt: SimTime?
    /// Writes stopped while the shard had no primary, in order (emptied at the promotion).
    private(set) var held: [OrdersDatabase.Pending] = []
    /// Writes stopped in all (delayed by the failover).
    private(set) var delayed = 0
    /// Tokens of stopped writes not yet committed on the new primary.
    private var backlog: Set<Int32> = []
    private(set) var recoveredAt: SimTime?
    /// Each standby's replay lag at the failure, and the group that promoted one.
    private(set) var lags: [SimTime] = []
    private(set) var group: PostgresFailoverGroup?
    private(set) var promotion: PostgresFailoverGroup.Promotion?

    init(fault: Int, shard: Int, failWrites: Bool = false) {
        self.fault = fault
        self.shard = shard
        self.failWrites = failWrites
    }

    var isDown: Bool { state == .down }

    /// A commit acknowledged on the shard (before the failure: counted for the loss; after
    /// the promotion: a stopped write done, the recovery once none is left).
    mutating func committed(_ token: Int32, now: SimTime) {
        switch state {
        case .up: commitTimes.append(now)
        case .down: break
        case .promoted:
            if backlog.remove(token) != nil && backlog.isEmpty && recoveredAt == nil { recoveredAt = now }
        }
    }

    mutating func fail(at now: SimTime) {
        state = .down
        failedAt = now
    }

    /// A write without primary: held (returns true), or failed with `failWrites`.
    @discardableResult
    mutating func hold(_ w: OrdersDatabase.Pending) -> Bool {
        if failWrites { failed += 1; return false }
        held.append(w)
        delayed += 1
        return true
    }

    /// The standby is promoted at `now` with the standbys' replay `lags` (index 0 is the
    /// synchronous one when `sync`); returns the stopped writes to write on it, in order.
    mutating func promote(at now: SimTime, lags: [SimTime], sync: Bool) -> [OrdersDatabase.Pending] {
        self.lags = lags
        var g = Self.group(commitTimes: commitTimes, failedAt: failedAt, lags: lags, sync: sync)
        promotion = g.promote()
        group = g
        state = .promoted
        promotedAt = now
        let out = held
        held = []
        backlog = Set(out.map(\.token))
        if out.isEmpty { recoveredAt = now }
        return out
    }

    /// Standby i's position at the failure: the commits acknowledged at or before
    /// `failedAt − lags[i]` (`commitTimes` ascending); with `sync`, standby 0 holds them all.
    static func positions(commitTimes: [SimTime], failedAt: SimTime, lags: [SimTime], sync: Bool) -> [Int64] {
        lags.indices.map { i in
            if sync && i == 0 { return Int64(commitTimes.count) }
            let cut = failedAt - lags[i]
            var lo = 0, hi = commitTimes.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if commitTimes[mid] <= cut { lo = mid + 1 } else { hi = mid }
            }
            return Int64(lo)
        }
    }

    /// The failover group at the moment the primary is lost: every commit acknowledged (with
    /// `sync`, once standby 0 had it), each standby at its position, the primary failed.
    static func group(commitTimes: [SimTime], failedAt: SimTime, lags: [SimTime], sync: Bool) -> PostgresFailoverGroup {
        let pos = positions(commitTimes: commitTimes, failedAt: failedAt, lags: lags, sync: sync)
        var g = PostgresFailoverGroup(replicas: lags.indices.map { PostgresFailoverGroup.Replica(name: "standby \($0)") },
                                      mode: sync ? .synchronous(standbys: [0]) : .asynchronous)
        g.commit(count: Int64(commitTimes.count))
        for i in pos.indices { g.replicate(i, upTo: pos[i]) }
        g.publishPrimaryPosition()
        g.failPrimary()
        return g
    }
}
