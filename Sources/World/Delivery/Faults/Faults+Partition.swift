import Scenario
import SimCore

/// The `region_partition` faults' events: the start and the heal, for the incident timeline
/// and the chart markers. What a partition does to messages is `CrossRegionChannel`'s, which
/// reads the same schedule (it needs the heal time when a message is sent).
extension Faults {
    /// Schedules each partition's start and heal.
    static func schedulePartitions(_ schedule: [PlatformConfig.Fault], _ s: inout Scheduler) {
        for (i, f) in schedule.enumerated() where f.kind == .regionPartition {
            guard let at = f.at, let d = f.duration else { continue }
            s.schedule(at: at, kind: ComponentID.faults.kind(Kind.partitionStart.rawValue), target: UInt32(i))
            s.schedule(at: at + d, kind: ComponentID.faults.kind(Kind.partitionEnd.rawValue), target: UInt32(i))
        }
    }
}
