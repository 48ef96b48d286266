import Scenario
import SimCore

/// Partitions between two regions (`region_partition`, issue 17 item 5). A message sent from
/// one of the two regions to the other while they are cut apart (start ≤ sent < heal) cannot
/// cross: it is delivered when the partition heals, one one-way trip after the heal (TCP
/// retransmits it then), if that is no later than its sender's `timeout` after it was sent;
/// otherwise the sender gives up at sent + `timeout` and the message fails (the caller fails
/// its request: a write that never reached the primary, an answer that never came back, a
/// failover call without answer). Messages already on their way when the partition starts
/// arrive as sent. Both directions are cut.
extension CrossRegionChannel {
    struct Partition {
        let fault: Int
        let a: Int
        let b: Int
        let start: SimTime
        let heal: SimTime
        let timeout: SimTime
        /// Messages held until the heal, and messages that failed, per `Kind`.
        var delayed = Array(repeating: 0, count: Kind.allCases.count)
        var failed = Array(repeating: 0, count: Kind.allCases.count)
        /// When the first message failed (the first thing clients saw).
        var firstFailure: SimTime?
        /// The latest a held message was delivered.
        var lastDelivery: SimTime?
    }

    static func partitions(_ config: PlatformConfig) -> [Partition] {
        config.faults.enumerated().compactMap { i, f in
            guard f.kind == .regionPartition, let a = f.region, f.peer >= 0, let at = f.at, let d = f.duration else { return nil }
            return Partition(fault: i, a: a, b: f.peer, start: at, heal: at + d, timeout: f.timeout)
        }
    }

    /// The partition cutting `from` and `to` apart at `t` (the first in schedule order), or nil.
    func partition(_ from: Int, _ to: Int, at t: SimTime) -> Int? {
        partitions.indices.first { k in
            let p = partitions[k]
            return ((p.a == from && p.b == to) || (p.a == to && p.b == from)) && t >= p.start && t < p.heal
        }
    }

    /// A message of `kind` sent at `sentAt` into partition `k`: when it is delivered (the heal
    /// plus the one-way trip), or nil when the sender's timeout runs out first.
    func pass(_ k: Int, _ kind: Kind, sentAt: SimTime, oneWay: SimTime) -> SimTime? {
        let arrival = partitions[k].heal + oneWay
        if arrival <= sentAt + partitions[k].timeout {
            partitions[k].delayed[Int(kind.rawValue)] += 1
            partitions[k].lastDelivery = max(partitions[k].lastDelivery ?? 0, arrival)
            return arrival
        }
        partitions[k].failed[Int(kind.rawValue)] += 1
        partitions[k].firstFailure = min(partitions[k].firstFailure ?? .max, sentAt + partitions[k].timeout)
        return nil
    }

    /// Per partition, `regions.partition.<a>~<b>.<delayed|failed>.<kind>` (nothing without one).
    func reportPartitions(into m: inout RunMetrics) {
        for p in partitions {
            for kind in Kind.allCases {
                m.counter("regions.partition.\(p.fault).delayed.\(kind)", Double(p.delayed[Int(kind.rawValue)]))
                m.counter("regions.partition.\(p.fault).failed.\(kind)", Double(p.failed[Int(kind.rawValue)]))
            }
        }
    }
}
