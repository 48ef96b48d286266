/// A PostgreSQL primary with streaming replicas, and the failover a Patroni cluster performs when the
/// primary is lost (zalando/patroni `patroni/ha.py`: `Ha._is_healthiest_node`, `Ha.is_lagging`).
///
/// Positions count commits: the primary's `primaryPosition` is its WAL end in commits, each
/// replica's `positions[i]` is how far it has received, flushed and replayed (promotion replays all
/// WAL a standby holds before it accepts writes, so the promoted data is exactly this prefix).
///
/// Patroni's candidate rule, as applied by every replica to itself and resolved by the race for the
/// leader key:
/// - a replica marked `nofailover` never promotes;
/// - `is_lagging`: a replica more than `maximumLagOnFailover` behind the primary position last
///   published in the DCS (`cluster.last_lsn`, refreshed every `loop_wait`, default 10 s) declines;
///   Patroni's default is 1 MiB of WAL, expressed here in commits by the caller;
/// - a replica declines if another eligible one has a greater WAL position, or the same position
///   and a higher `failover_priority`;
/// - in synchronous mode only a synchronous standby may promote (`_is_healthiest_node` refuses
///   others: `not self.cluster.sync.matches(...)`).
/// Among replicas still tied, the lowest index wins (the real tie goes to whichever takes the
/// leader key first; the index is this model's deterministic stand-in).
///
/// Acknowledged writes lost at promotion = commits the primary acknowledged beyond the promoted
/// replica's position. Asynchronously that is whatever had not reached it; synchronously every
/// acknowledged commit is on each synchronous standby, so the loss is zero.
public struct PostgresFailoverGroup: Sendable {
    public struct Replica: Sendable, Equatable {
        public var name: String
        /// Patroni tag `nofailover: true`.
        public var noFailover: Bool
        /// Patroni tag `failover_priority` (default 1; 0 behaves like nofailover in Patroni ≥ 3.2,
        /// treated here as a tie-breaker only).
        public var failoverPriority: Int
        public init(name: String, noFailover: Bool = false, failoverPriority: Int = 1) {
            self.name = name
            self.noFailover = noFailover
            self.failoverPriority = failoverPriority
        }
    }

    /// The result of a promotion.
    public struct Promotion: Sendable, Equatable {
        public var replica: Int
        /// The promoted replica's position: where the new primary's history continues.
        public var position: Int64
        /// Commits the old primary had written (acknowledged or not) beyond that position.
        public var commitsLost: Int64
        /// Of those, commits clients had been told were durable.
        public var acknowledgedWritesLost: Int64
        public init(replica: Int, position: Int64, commitsLost: Int64, acknowledgedWritesLost: Int64) {
            self.replica = replica
            self.position = position
            self.commitsLost = commitsLost
            self.acknowledgedWritesLost = acknowledgedWritesLost
        }
    }

    public var replicas: [Replica]
    public internal(set) var mode: PostgresReplicationMode
    /// Patroni `maximum_lag_on_failover`, in commits.
    public var maximumLagOnFailover: Int64
    public internal(set) var primaryPosition: Int64 = 0
    /// Commits acknowledged to clients (a prefix of the primary's WAL).
    public internal(set) var acknowledgedPosition: Int64 = 0
    public internal(set) var positions: [Int64]
    /// The primary position last published to the DCS (Patroni `cluster.last_lsn`).
    public internal(set) var lastPublishedPosition: Int64 = 0
    public internal(set) var primaryAlive = true
    public internal(set) var acknowledgedWritesLost: Int64 = 0
    public internal(set) var commitsLost: Int64 = 0
    public internal(set) var failovers = 0
    /// The replica now acting as primary after a promotion (nil: the original primary).
    public internal(set) var promotedReplica: Int?

    public init(replicas: [Replica], mode: PostgresReplicationMode, maximumLagOnFailover: Int64 = .max) {
        if case .synchronous(let standbys) = mode {
            precondition(!standbys.isEmpty && standbys.allSatisfy { replicas.indices.contains($0) },
                         "synchronous standbys must name replicas")
        }
        self.replicas = replicas
        self.mode = mode
        self.maximumLagOnFailover = maximumLagOnFailover
        positions = Array(repeating: 0, count: replicas.count)
    }

    var synchronousStandbys: [Int]? {
        if case .synchronous(let s) = mode { return s }
        return nil
    }

    /// The primary writes `count` commits. Asynchronously they are acknowledged at once;
    /// synchronously when every synchronous standby has them (see ``replicate(_:upTo:)``).
    public mutating func commit(count: Int64 = 1) {
        precondition(primaryAlive, "the primary is down")
        primaryPosition += count
        if let c = promotedReplica { positions[c] = primaryPosition }
        updateAcknowledged()
    }

    /// Replica `i` receives, flushes and replays WAL up to `position` (at most the primary's).
    public mutating func replicate(_ i: Int, upTo position: Int64) {
        guard primaryAlive else { return }
        positions[i] = max(positions[i], min(position, primaryPosition))
        updateAcknowledged()
    }

    /// The primary publishes its position to the DCS (each Patroni HA loop, `loop_wait`).
    public mutating func publishPrimaryPosition() { lastPublishedPosition = primaryPosition }

    mutating func updateAcknowledged() {
        if let sync = synchronousStandbys {
            var ack = primaryPosition
            for s in sync { ack = min(ack, positions[s]) }
            acknowledgedPosition = max(acknowledgedPosition, ack)
        } else {
            acknowledgedPosition = primaryPosition
        }
    }

    /// The primary is lost; clients waiting for a synchronous acknowledgement never get one.
    public mutating func failPrimary() { primaryAlive = false }

    /// The replica Patroni would promote now, or nil when none may (all lagging, tagged nofailover,
    /// or not synchronous in synchronous mode).
    public func failoverCandidate() -> Int? {
        var best: Int?
        for i in replicas.indices where isEligible(i) {
            guard let b = best else { best = i; continue }
            if positions[i] > positions[b]
                || (positions[i] == positions[b] && replicas[i].failoverPriority > replicas[b].failoverPriority) {
                best = i
            }
        }
        return best
    }

    /// Whether replica `i` passes the checks that do not compare it with the others.
    public func isEligible(_ i: Int) -> Bool {
        if replicas[i].noFailover || i == promotedReplica { return false }
        if lastPublishedPosition - positions[i] > maximumLagOnFailover { return false }
        if let sync = synchronousStandbys, !sync.contains(i) { return false }
        return true
    }

    /// Promotes the replica Patroni chooses (or `replica`, a manual failover) and counts the loss.
    /// The others follow the new timeline; one ahead of it is rewound (`pg_rewind`) to its position.
    /// The promoted replica then acts as the primary (its entry tracks the primary's position and
    /// it is no longer a candidate); it leaves the synchronous standby list, and with none left the
    /// group runs asynchronously (Patroni would pick a new synchronous standby; the group models
    /// the synchronous set it was built with). The old primary is not modelled after it is lost.
    @discardableResult
    public mutating func promote(_ replica: Int? = nil) -> Promotion? {
        precondition(!primaryAlive, "promote after failPrimary")
        guard let c = replica ?? failoverCandidate() else { return nil }
        let p = positions[c]
        let lost = max(0, primaryPosition - p)
        let ackLost = max(0, acknowledgedPosition - p)
        commitsLost += lost
        acknowledgedWritesLost += ackLost
        failovers += 1
        for i in positions.indices { positions[i] = min(positions[i], p) }
        primaryPosition = p
        acknowledgedPosition = min(acknowledgedPosition, p)
        lastPublishedPosition = p
        primaryAlive = true
        promotedReplica = c
        if let sync = synchronousStandbys {
            let rest = sync.filter { $0 != c }
            mode = rest.isEmpty ? .asynchronous : .synchronous(standbys: rest)
        }
        updateAcknowledged()
        return Promotion(replica: c, position: p, commitsLost: lost, acknowledgedWritesLost: ackLost)
    }
}
