/// A level that changes at instants (queue length, busy servers, replicas) and its
/// time-weighted mean: (1/T) ∫ level dt. O(1) memory.
public struct TimeWeightedGauge: Sendable {
    public private(set) var value: Double
    public private(set) var max: Double
    public private(set) var min: Double
    @usableFromInline internal var lastChange: SimTime
    @usableFromInline internal var integral: Double = 0
    @usableFromInline internal let start: SimTime

    public init(initial: Double = 0, at time: SimTime = 0) {
        value = initial; max = initial; min = initial
        lastChange = time; start = time
    }

    /// Sets the level at `time` (not before the last change). - Complexity: O(1).
    public mutating func set(_ newValue: Double, at time: SimTime) {
        integral += value * Double(time - lastChange)
        lastChange = time
        value = newValue
        if newValue > max { max = newValue }
        if newValue < min { min = newValue }
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
