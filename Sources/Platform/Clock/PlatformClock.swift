/// Time as the platform code sees it.
///
/// The Platform module is the code a real delivery platform would run; it never
/// imports the simulator. Components either take the current time as a value
/// (`now: Instant`) on each call, or read it through a `PlatformClock`, so the
/// same code runs against the simulator's virtual clock and against a wall clock.
///
/// Instants are integer nanoseconds since an arbitrary epoch: the simulator's
/// engine uses the same representation, so no conversion happens on a hot path.
public typealias Instant = Int64

/// Durations in integer nanoseconds.
public typealias Nanoseconds = Int64

/// Something that can tell the current time. Platform code only ever reads it;
/// waiting is the caller's business (in the simulator: an event on the queue).
public protocol PlatformClock: AnyObject {
    /// The current time in nanoseconds since the clock's epoch.
    var now: Instant { get }
}

/// A clock whose time is set by its owner. Tests and the simulator's adapters use it.
public final class ManualClock: PlatformClock {
    public var now: Instant
    public init(now: Instant = 0) { self.now = now }
    /// Moves the clock forward; time never runs backwards.
    public func advance(by delta: Nanoseconds) {
        precondition(delta >= 0, "ManualClock cannot run backwards")
        now += delta
    }
}

/// Unit helpers, so call sites read `5 * .second` style arithmetic plainly.
public enum TimeUnit {
    public static let nanosecond: Nanoseconds = 1
    public static let microsecond: Nanoseconds = 1_000
    public static let millisecond: Nanoseconds = 1_000_000
    public static let second: Nanoseconds = 1_000_000_000
    public static let minute: Nanoseconds = 60_000_000_000
    public static let hour: Nanoseconds = 3_600_000_000_000
}
