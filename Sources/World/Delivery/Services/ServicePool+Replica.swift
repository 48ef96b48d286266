import DequeModule
import SimCore

extension ServicePool {
    enum State: UInt8 { case starting, ready, terminating, dead }

    struct Replica {
        var state: State
        /// When the container runs (`HPAPod.startTime`).
        var startedAt: SimTime
        var readyAt: SimTime
        var busy = 0
        var queue = Deque<Int32>()
        /// Integral of busy cores over time (core-nanoseconds), up to `lastChange`.
        var busyIntegral: Double = 0
        var lastChange: SimTime
        /// `busyIntegral` at the previous HPA sync.
        var integralAtSync: Double = 0
        var syncedAt: SimTime
        /// L1 replica slot in the region's cache hierarchy (order_service), or -1.
        var cacheSlot: Int = -1
        var inBalancer = false
        /// Taken out of rotation by the health checks (the balancer's `down`).
        var markedDown = false
        /// Last failed request (passive check), or `SimTime.min`.
        var failedAt = SimTime.min
        /// When the pod crashed (`SimTime.min` if it has not).
        var crashedAt = SimTime.min
        /// When the health checks last took it out of rotation (`SimTime.min` if never): a
        /// crash's detection time in the incident timeline.
        var downAt = SimTime.min

        mutating func setMarkedDown(_ down: Bool, now: SimTime) {
            markedDown = down
            if down { downAt = now }
        }
    }
}
