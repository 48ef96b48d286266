import SimCore

/// Which component an event belongs to: bits 8-15 of `Event.kind` (`lp << 16 | component << 8 | kind`;
/// the logical process in the high 16 bits is `Scheduler.lp`'s, see Regions/README.md).
///
/// `PlatformSimulation.handle` switches on `e.kind >> 8` and calls the component's concrete
/// method: one integer switch per event, no closure or protocol-witness call on the hot path.
/// Event order is (time, sequence number) only, so the numbering changes no outcome.
enum ComponentID: UInt32 {
    /// `PlatformSimulation`'s own events (the end of the warm-up).
    case core = 0
    case kafka = 1
    case database = 2
    case faults = 3
    case autoscaler = 4
    case demand = 5
    case couriers = 6
    case matching = 7
    case services = 8
    /// Messages between regions (`CrossRegionChannel`).
    case regions = 9
    /// Batched consumer polling's fetch expiries (`Kafka/KafkaConsumerBatch.swift`).
    case polling = 20

    /// The `Event.kind` of this component's kind `k`.
    @inline(__always) func kind(_ k: UInt32) -> UInt32 { rawValue << 8 | k }
}
