/// One scheduled happening: a plain 32-byte value, so the queue moves it without ARC.
///
/// Models dispatch on `kind` with a `switch`; `target` names the entity (a station, a
/// replica, a courier) and `payload` carries one word of data (a request id, an index).
/// Events are ordered by `time`, then by `seq`, the scheduling sequence number: two events
/// at the same instant happen in the order they were scheduled, on every run.
@frozen
public struct Event: Comparable, Sendable {
    public var time: SimTime
    public var seq: UInt64
    public var kind: UInt32
    public var target: UInt32
    public var payload: UInt64

    @inlinable
    public init(time: SimTime, seq: UInt64, kind: UInt32, target: UInt32, payload: UInt64) {
        self.time = time
        self.seq = seq
        self.kind = kind
        self.target = target
        self.payload = payload
    }

    @inlinable @inline(__always)
    public static func < (a: Event, b: Event) -> Bool {
        a.time < b.time || (a.time == b.time && a.seq < b.seq)
    }

    @inlinable @inline(__always)
    public static func == (a: Event, b: Event) -> Bool { a.time == b.time && a.seq == b.seq }

    /// The logical process the event belongs to (`kind`'s high 16 bits; see `Scheduler.lp`).
    @inlinable public var lp: UInt32 { kind >> 16 }
}
