/// How a PostgreSQL primary acknowledges commits (PostgreSQL docs, "Synchronous Replication",
/// §27.2.8 of the High Availability chapter; `synchronous_commit`, `synchronous_standby_names`).
public enum PostgresReplicationMode: Sendable, Equatable {
    /// No synchronous standby: a commit is acknowledged once flushed on the primary; standbys
    /// receive it later ("asynchronous replication ... data loss if the primary crashes").
    case asynchronous
    /// `synchronous_commit = on` with the listed standbys (member indexes) in
    /// `synchronous_standby_names = 'FIRST n (...)'`: a commit is acknowledged once it is flushed on
    /// the primary and on each of them. Patroni's `synchronous_mode` then lets only these promote.
    case synchronous(standbys: [Int])
}
