/// The producer's `acks` setting.
public enum KafkaAcks: Sendable, Equatable {
    /// `acks=0` or `acks=1`: acknowledged once the leader appended.
    case leader
    /// `acks=all` (-1): acknowledged once every ISR member has the records (the high watermark
    /// passed them) and the ISR still has `min.insync.replicas` members.
    case all
}
