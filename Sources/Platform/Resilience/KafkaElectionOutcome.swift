/// What one leader election did to the partition's data.
public struct KafkaElectionOutcome: Sendable, Equatable {
    public var leader: Int
    public var unclean: Bool
    /// The old leader's log end offset when it was lost.
    public var previousLeaderEndOffset: Int64
    /// The new leader's log end offset, where every replica's log now ends at most.
    public var newLeaderEndOffset: Int64
    /// `previousLeaderEndOffset - newLeaderEndOffset` when positive: records truncated away.
    public var recordsLost: Int64
    /// Of those, records a producer had been told were written.
    public var acknowledgedRecordsLost: Int64

    public init(leader: Int, unclean: Bool, previousLeaderEndOffset: Int64, newLeaderEndOffset: Int64,
                recordsLost: Int64, acknowledgedRecordsLost: Int64) {
        self.leader = leader
        self.unclean = unclean
        self.previousLeaderEndOffset = previousLeaderEndOffset
        self.newLeaderEndOffset = newLeaderEndOffset
        self.recordsLost = recordsLost
        self.acknowledgedRecordsLost = acknowledgedRecordsLost
    }
}
