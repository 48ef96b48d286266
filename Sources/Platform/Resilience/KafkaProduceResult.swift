/// What a produce request to a ``KafkaPartitionState`` gets back at append time.
public enum KafkaProduceResult: Sendable, Equatable {
    /// Appended at offsets `firstOffset ..< firstOffset + count`. With `acks=1` (or 0) the records
    /// are acknowledged now; with `acks=all` when the high watermark passes them.
    case appended(firstOffset: Int64)
    /// `acks=all` and the ISR is smaller than `min.insync.replicas`: refused before append
    /// (`NOT_ENOUGH_REPLICAS`, `Partition.appendRecordsToLeader`).
    case notEnoughReplicas
    /// No leader (offline partition): `NOT_LEADER_OR_FOLLOWER` / `LEADER_NOT_AVAILABLE`; the
    /// producer retries after a metadata refresh.
    case leaderNotAvailable
}
