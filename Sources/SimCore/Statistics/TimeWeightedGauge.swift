/// A level that changes at instants (queue length, busy servers, replicas) and its
/// time-weighted mean: (1/T) ∫ level dt. O(1) memory.
public struct TimeWeightedGauge: Sendable {
    // Stored under internal names so the inlinable `set` (called on every event of the
    // queueing model, across the module boundary) can write them.
    public var value: Double { _value }
    public var max: Double { _max }
    public var min: Double { _min }
    @usableFromInline internal var _value: Double
    @usableFromInline internal var _max: Double
    @usableFromInline internal var _min: Double
    @usableFromInline internal var lastChange: SimTime
    @usableFromInline internal var integral: Double = 0
    @usableFromInline internal let start: SimTime

    public init(initial: Double = 0, at time: SimTime = 0) {
        _value = initial; _max = initial; _min = initial
        lastChange = time; start = time
    }

    /// Sets the level at `time` (not before the last change). - Complexity: O(1).
    @inlinable
    public mutating func set(_ newValue: Double, at time: SimTime) {
        integral += _value * Double(time - lastChange)
        lastChange = time
        _value = newValue
        if newValue > _max { _max = newValue }
        if newValue < _min { _min = newValue }
    }

    public mutating func add(_ delta: Double, at time: SimTime) { set(value + delta, at: time) }

    /// Time-weighted mean from the start to `time`.
    public func mean(until time: SimTime) -> Double {
        let total = Double(time - start)
        guard total > 0 else { return value }
        return (integral + value * Double(time - lastChange)) / total
    }

    /// Forgets history before `time` (end of warm-up); the current level carries over.
    public mutating func reset(at time: SimTime) { self = TimeWeightedGauge(initial: value, at: time) }
}
