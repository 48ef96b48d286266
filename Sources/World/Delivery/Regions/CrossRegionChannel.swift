import Scenario
import SimCore

/// The one way work crosses regions (see README.md in this folder): every message from one
/// region's logical process to another's is sent here, stamped one one-way trip ahead (half
/// the scenario's `rtt` between the two regions) and delivered as an event of the receiving
/// region's LP. Nothing else in the world schedules into another region, so the smallest
/// one-way trip between two regions is a lookahead a conservative parallel run can rely on
/// (Chandy and Misra, "Distributed Simulation: A Case Study in Design and Verification of
/// Distributed Programs", IEEE TSE 5(5), 1979; Fujimoto, "Parallel Discrete Event Simulation",
/// CACM 33(10), 1990). Execution stays sequential: the channel only stamps and tags.
///
/// A message is named by an opaque token (the request slot) and, for an answer, the stage
/// the request resumes at; the channel never reads the request.
final class CrossRegionChannel {
    /// What a message brings to the receiving region; `PlatformSimulation` carries it on.
    enum Kind: UInt32, CaseIterable {
        /// A write (an order's INSERT, a status UPDATE) from another region reaches the primary:
        /// only now does it take (or queue for) a shard connection.
        case write
        /// A committed write's answer reaches the writer's region: its next stage is due.
        case answer
        /// A client call of a down region's city reaches the region serving it (failover).
        case request
    }

    /// One message as it was delivered (kept only while `recording`, for tests).
    struct Delivery: Equatable {
        let kind: Kind
        let token: Int32
        let from: Int
        let to: Int
        let sentAt: SimTime
        let deliveredAt: SimTime
    }

    /// One-way trip `[from][to]`: half the scenario's round trip.
    private let oneWay: [[SimTime]]
    /// The smallest one-way trip between two distinct regions: no message arrives sooner
    /// after it is sent (0 when two regions have no `rtt`: then no lookahead).
    let lookahead: SimTime
    private var sent: [Int]
    /// Sender and send time per scheduled message's sequence number, while recording.
    private var pending: [UInt64: (from: Int, sentAt: SimTime)] = [:]
    private(set) var deliveries: [Delivery]?
    /// Messages a partition made fail, as `Delivery` records at the failure (while recording).
    private(set) var timeouts: [Delivery]?
    /// The partitions between two regions (`region_partition`) and what each did to messages
    /// (`CrossRegionChannel+Partition`); empty without them, so `send` checks nothing.
    var partitions: [Partition] = []
    /// The event kind of a message that timed out in a partition (above every `Kind`).
    static let timedOutKind: UInt32 = 0x80

    init(config: PlatformConfig) {
        oneWay = config.regions.map { region in region.rtt.map { $0 / 2 } }
        var least = SimTime.max
        for i in config.regions.indices { for j in config.regions.indices where i != j { least = min(least, oneWay[i][j]) } }
        lookahead = least == .max ? 0 : least
        sent = Array(repeating: 0, count: Kind.allCases.count)
        partitions = Self.partitions(config)
    }

    @inline(__always) func oneWay(_ from: Int, _ to: Int) -> SimTime { oneWay[from][to] }

    /// Keeps every delivery from now on (`deliveries`), for tests.
    func startRecording() { deliveries = []; timeouts = [] }

    /// Sends message `kind` about token `q` from region `from` at `sentAt` (now, or later for a
    /// call the client makes later) to region `to`: it is delivered one one-way trip after.
    /// `stage`: the stage an `.answer` resumes its request at.
    func send(_ kind: Kind, _ q: Int32, stage: UInt8 = 0, from: Int, to: Int, sentAt: SimTime, _ s: inout Scheduler) {
        precondition(from != to && sentAt >= s.now, "a cross-region message goes to another region, from now or later")
        sent[Int(kind.rawValue)] += 1
        var at = sentAt + oneWay[from][to]
        if !partitions.isEmpty, let k = partition(from, to, at: sentAt) {
            // Cut off: it crosses when the partition heals, unless the sender's timeout runs
            // out first; then the sender hears of the failure (its own LP, no crossing).
            guard let healed = pass(k, kind, sentAt: sentAt, oneWay: oneWay[from][to]) else {
                let seq = s.schedule(at: sentAt + partitions[k].timeout, kind: ComponentID.regions.kind(Self.timedOutKind | kind.rawValue),
                                     target: UInt32(stage), payload: UInt64(UInt32(bitPattern: q)), lp: LogicalProcess.region(from))
                if deliveries != nil { pending[seq] = (to, sentAt) }
                return
            }
            at = healed
        }
        let seq = s.schedule(at: at, kind: ComponentID.regions.kind(kind.rawValue),
                             target: UInt32(stage), payload: UInt64(UInt32(bitPattern: q)), lp: LogicalProcess.region(to))
        if deliveries != nil { pending[seq] = (from, sentAt) }
    }

    /// A message of `kind` between two regions' LPs of a parallel run (`PlatformSimulation+LP`,
    /// which carries it through the LPs' outboxes): counted as `send` counts; returns its
    /// delivery time, one one-way trip after `sentAt` (partitions are refused in that mode).
    func post(_ kind: Kind, from: Int, to: Int, sentAt: SimTime) -> SimTime {
        precondition(from != to && partitions.isEmpty, "a parallel run's message goes to another region, without partitions")
        sent[Int(kind.rawValue)] += 1
        return sentAt + oneWay[from][to]
    }

    /// A message arrives (an event of the receiving region's LP): what it brings; or, with
    /// `timedOut`, a message a partition stopped has failed (an event of the sender's LP).
    func handle(_ e: Event) -> (kind: Kind, token: Int32, stage: UInt8, timedOut: Bool) {
        let timedOut = e.kind & Self.timedOutKind != 0
        let kind = Kind(rawValue: e.kind & 0x7F).unsafelyUnwrapped
        let q = Int32(bitPattern: UInt32(truncatingIfNeeded: e.payload))
        if deliveries != nil, let p = pending.removeValue(forKey: e.seq) {
            // A timed-out message's record runs from its sender (`to` here) to its destination.
            let d = timedOut ? Delivery(kind: kind, token: q, from: Int(e.lp), to: p.from, sentAt: p.sentAt, deliveredAt: e.time)
                : Delivery(kind: kind, token: q, from: p.from, to: Int(e.lp), sentAt: p.sentAt, deliveredAt: e.time)
            if timedOut { timeouts?.append(d) } else { deliveries?.append(d) }
        }
        return (kind, q, UInt8(truncatingIfNeeded: e.target), timedOut)
    }

    func report(into m: inout RunMetrics) {
        for kind in Kind.allCases { m.counter("regions.messages.\(kind)", Double(sent[Int(kind.rawValue)])) }
        m.counter("regions.lookahead_ms", SimUnit.seconds(lookahead) * 1000)
        reportPartitions(into: &m)
    }
}
