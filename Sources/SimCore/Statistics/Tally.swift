/// Streaming count, mean, variance (Welford), min and max of observations.
public struct Tally: Sendable, Equatable {
    public private(set) var count: Int = 0
    public private(set) var mean: Double = 0
    @usableFromInline internal var m2: Double = 0
    public private(set) var min: Double = .infinity
    public private(set) var max: Double = -.infinity

    public init() {}

    /// Adds one observation. - Complexity: O(1).
    public mutating func add(_ x: Double) {
        count += 1
        let d = x - mean
        mean += d / Double(count)
        m2 += d * (x - mean)
        if x < min { min = x }
        if x > max { max = x }
    }

    /// Unbiased sample variance (0 with fewer than two observations).
    public var variance: Double { count < 2 ? 0 : m2 / Double(count - 1) }

    public var standardDeviation: Double { variance.squareRoot() }

    /// Combines two tallies (Chan et al.'s parallel formula).
    public mutating func merge(_ o: Tally) {
        guard o.count > 0 else { return }
        guard count > 0 else { self = o; return }
        let n = Double(count + o.count)
        let d = o.mean - mean
        m2 += o.m2 + d * d * Double(count) * Double(o.count) / n
        mean += d * Double(o.count) / n
        count += o.count
        min = Swift.min(min, o.min)
        max = Swift.max(max, o.max)
    }
}
