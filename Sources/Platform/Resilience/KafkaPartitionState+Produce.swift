/// What a producer waiting on one record can ask the partition (the producer's in-flight batch
/// completes, fails or waits; apache/kafka `clients/.../producer/internals/Sender.java`
/// `completeBatch`: a retriable error such as NOT_ENOUGH_REPLICAS or NOT_LEADER_OR_FOLLOWER
/// re-enqueues the batch until `delivery.timeout.ms`).
extension KafkaPartitionState {
    /// Where one appended record stands for its producer.
    public enum RecordStatus: Sendable, Equatable {
        /// The producer was told it was written.
        case acknowledged
        /// Still waiting for the high watermark (an ISR member has not fetched it).
        case pending
        /// Answered with an error (NOT_ENOUGH_REPLICAS_AFTER_APPEND, or leadership moved before
        /// it was acknowledged and the log was truncated or the request timed out): the producer
        /// sends it again.
        case failed
    }

    /// The current leader epoch (a record appended now carries it).
    public var leaderEpoch: Int { epochStartOffsets.count - 1 }

    /// The status of the record appended at `offset` in leader epoch `epoch`.
    public func status(offset: Int64, epoch: Int) -> RecordStatus {
        // A later epoch began below it: the log it was in was truncated, or a new leader took
        // over before it was acknowledged (the old leader's pending requests fail).
        if epoch < leaderEpoch && offset >= epochStartOffsets[epoch + 1] { return .failed }
        if offset >= resolvedEnd { return epoch < leaderEpoch ? .failed : .pending }
        for r in acknowledged.reversed() {
            if r.contains(offset) { return .acknowledged }
            if r.upperBound <= offset { break }
        }
        return .failed
    }

    /// The brokers holding a replica that the leader counts in the ISR, live or not.
    public var inSyncReplicas: [Int] { isr }
}
