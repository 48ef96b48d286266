import SimCore

/// The logical processes (LPs) of the delivery world, as tagged on every event
/// (`Scheduler.lp`, `Event.lp`): one per region today, numbered by the region's index, and one
/// for the few events that touch every region at once (see README.md in this folder).
enum LogicalProcess {
    /// Region `r`'s LP.
    @inline(__always) static func region(_ r: Int) -> UInt32 { UInt32(r) }
    /// Events over every region: the report-interval sample, the HPA sync, the end of the
    /// warm-up, and what one call schedules for all regions at start (given crashes, the
    /// couriers' first pings). A parallel run needs them split per region (see README.md).
    static let global: UInt32 = 0xFFFF
}
