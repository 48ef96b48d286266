/// Kafka's controller leader election for a partition whose leader went offline
/// (apache/kafka `core/src/main/scala/kafka/controller/PartitionStateMachine.scala`, object
/// `PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection`, and `leaderForOffline` for
/// the ISR that follows; KRaft's `PartitionChangeBuilder` elects the same way).
public enum KafkaLeaderElection {
    /// The result of one election.
    public struct Result: Sendable, Equatable {
        /// The new leader's broker id.
        public var leader: Int
        /// True when the leader came from outside the ISR (`unclean.leader.election.enable`).
        public var unclean: Bool
        /// The ISR after the election: the old ISR without offline brokers for a clean election,
        /// only the new leader for an unclean one (`leaderForOffline`).
        public var isr: [Int]
        public init(leader: Int, unclean: Bool, isr: [Int]) {
            self.leader = leader
            self.unclean = unclean
            self.isr = isr
        }
    }

    /// `assignment.find(id => live(id) && isr.contains(id))`, else, when unclean election is
    /// enabled, `assignment.find(live)`; nil when no broker qualifies (the partition stays offline).
    /// `assignment` is the ordered replica list (AR); its order decides.
    public static func offlinePartitionLeaderElection(assignment: [Int], isr: [Int], isLive: (Int) -> Bool,
                                                      uncleanLeaderElectionEnabled: Bool) -> Result? {
        if let clean = assignment.first(where: { isLive($0) && isr.contains($0) }) {
            return Result(leader: clean, unclean: false, isr: isr.filter(isLive))
        }
        guard uncleanLeaderElectionEnabled, let any = assignment.first(where: isLive) else { return nil }
        return Result(leader: any, unclean: true, isr: [any])
    }
}
