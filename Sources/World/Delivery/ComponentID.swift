import SimCore

/// Which component an event belongs to: the high bits of `Event.kind` (`component << 8 | kind`).
///
/// `PlatformSimulation.handle` switches on `e.kind >> 8` and calls the component's concrete
/// method: one integer switch per event, no closure or protocol-witness call on the hot path.
/// Event order is (time, sequence number) only, so the numbering changes no outcome.
enum ComponentID: UInt32 {
    /// Events not yet moved into a component of their own (`PlatformSimulation.Kind`).
    case core = 0
    case kafka = 1
    case database = 2
    case failures = 3
    case autoscaler = 4

    /// The `Event.kind` of this component's kind `k`.
    @inline(__always) func kind(_ k: UInt32) -> UInt32 { rawValue << 8 | k }
}
