/// Why a run stopped.
public enum StopReason: String, Sendable, Codable {
    /// The next event lies beyond the time limit; time was advanced to the limit.
    case timeLimit
    /// No events remain.
    case queueEmpty
    /// The model called `Scheduler.requestStop()`.
    case requested
    /// The event budget given to `run` was used up.
    case eventLimit
}

/// Receives events from the loop. A model is usually one final class whose `handle`
/// switches on `event.kind`; the loop is generic over it, so the call is direct (no
/// existential, no closure per event).
public protocol EventHandler: AnyObject {
    func handle(_ event: Event, _ scheduler: inout Scheduler)
    /// Called with the next pending event before the current one is handled, so the model may
    /// start loading the memory that event will touch (`prefetchForWrite`); it must not change
    /// any state. Default: nothing.
    func prefetch(_ next: Event)
}

extension EventHandler {
    @inlinable @inline(__always) public func prefetch(_ next: Event) {}
}

/// The engine: the virtual clock, the event queue and the loop that joins them.
///
/// Single-threaded by design: one replication owns one scheduler. Parallelism is across
/// replications (`Replications`), which keeps each run bit-reproducible.
public struct Scheduler: Sendable {
    /// The current virtual time. Never decreases.
    public var now: SimTime { _now }
    @usableFromInline internal var _now: SimTime = 0
    @usableFromInline internal var queue: EventQueue
    @usableFromInline internal var nextSeq: UInt64 = 0
    @usableFromInline internal var stopRequested = false
    /// Events handled so far.
    public var eventsProcessed: UInt64 { _events }
    @usableFromInline internal var _events: UInt64 = 0
    /// The logical process of new events, pre-shifted into `Event.kind`'s high 16 bits.
    @usableFromInline internal var lpBits: UInt32 = 0

    /// The logical process (LP) that events scheduled from now on belong to, kept in the high
    /// 16 bits of their `kind` (read it back with `Event.lp`). While the loop hands an event
    /// to the model it is that event's LP, so work stays in the LP it started in unless the
    /// model schedules into another one (`schedule(at:kind:target:payload:lp:)`). Execution
    /// is sequential whatever the tags: they record the partition a parallel run would use.
    /// Models that never set it keep LP 0 and their kinds unchanged.
    @inlinable public var lp: UInt32 {
        get { lpBits >> 16 }
        set { precondition(newValue <= 0xFFFF, "LP \(newValue) exceeds 16 bits"); lpBits = newValue << 16 }
    }

    public init(reservingCapacity capacity: Int = 1024) {
        queue = EventQueue(reservingCapacity: capacity)
    }

    /// `spillAt`: pending events at which the queue keeps only the near future in its heap
    /// (`EventQueue`); the order of events does not depend on it (tests compare runs).
    public init(reservingCapacity capacity: Int = 1024, spillAt: Int) {
        queue = EventQueue(reservingCapacity: capacity, spillAt: spillAt)
    }

    /// Pending events.
    @inlinable public var pendingCount: Int { queue.count }

    /// The time of the next pending event (nil: none), for a windowed parallel run
    /// (`LookaheadWindows`), which starts each window at the earliest pending event.
    @inlinable public var nextEventTime: SimTime? { queue.min?.time }

    /// Schedules an event at absolute time `time` (not before `now`).
    ///
    /// - Returns: the event's sequence number (its tie-break rank among same-time events).
    /// - Complexity: O(log n).
    @inlinable @discardableResult
    public mutating func schedule(at time: SimTime, kind: UInt32, target: UInt32 = 0, payload: UInt64 = 0) -> UInt64 {
        precondition(time >= now, "cannot schedule in the past (\(time) < \(now))")
        let seq = nextSeq
        nextSeq &+= 1
        queue.insert(Event(time: time, seq: seq, kind: kind | lpBits, target: target, payload: payload))
        return seq
    }

    /// Schedules an event at `time` in logical process `lp` (another LP than the current
    /// one: a message between LPs). `kind` must leave its high 16 bits clear.
    @inlinable @discardableResult
    public mutating func schedule(at time: SimTime, kind: UInt32, target: UInt32 = 0, payload: UInt64 = 0, lp: UInt32) -> UInt64 {
        let saved = lpBits
        self.lp = lp
        defer { lpBits = saved }
        return schedule(at: time, kind: kind, target: target, payload: payload)
    }

    /// Schedules an event `delay` nanoseconds from now.
    @inlinable @discardableResult
    public mutating func schedule(after delay: SimTime, kind: UInt32, target: UInt32 = 0, payload: UInt64 = 0) -> UInt64 {
        schedule(at: now &+ Swift.max(0, delay), kind: kind, target: target, payload: payload)
    }

    /// Asks the loop to return after the current event.
    @inlinable public mutating func requestStop() { stopRequested = true }

    /// Runs events in (time, seq) order until `limit` (events at exactly `limit` run), the
    /// queue empties, the model requests a stop, or `maxEvents` more events have run.
    ///
    /// On `.timeLimit` the clock is advanced to `limit`, so time-weighted statistics can be
    /// closed at the horizon. - Complexity: O(log n) per event.
    @inlinable
    public mutating func run<H: EventHandler>(_ handler: H, until limit: SimTime = .max, maxEvents: UInt64 = .max) -> StopReason {
        stopRequested = false
        var budget = maxEvents
        while true {
            guard let next = queue.min else { return .queueEmpty }
            if next.time > limit {
                _now = Swift.max(_now, limit)
                return .timeLimit
            }
            if budget == 0 { return .eventLimit }
            budget &-= 1
            let event = queue.popMin().unsafelyUnwrapped
            #if SIM_INTERNAL_CHECKS
            precondition(event.time >= now, "virtual time went backwards")
            #endif
            _now = event.time
            _events &+= 1
            lpBits = event.kind & 0xFFFF_0000
            if let after = queue.min { handler.prefetch(after) }
            handler.handle(event, &self)
            if stopRequested { return .requested }
        }
    }

    /// Discards all pending events (the clock stays where it is).
    public mutating func clear() { queue.removeAll() }
}
