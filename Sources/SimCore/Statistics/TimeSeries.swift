/// Per-interval aggregates of a stream of observations (count, sum, min, max), for
/// charts and CSV. Memory is bounded: when the run outgrows `maxPoints` intervals, adjacent
/// intervals merge pairwise and the interval doubles, so the cost does not grow with
/// simulated duration.
public struct TimeSeries: Sendable {
    public struct Point: Sendable, Equatable {
        public var count: Int = 0
        public var sum: Double = 0
        public var min: Double = .infinity
        public var max: Double = -.infinity
        public var mean: Double { count == 0 ? 0 : sum / Double(count) }

        mutating func absorb(_ o: Point) {
            count += o.count; sum += o.sum
            min = Swift.min(min, o.min); max = Swift.max(max, o.max)
        }
    }

    public private(set) var interval: SimTime
    public let maxPoints: Int
    public let start: SimTime
    public var points: [Point] { _points }
    /// Stored under an internal name so the inlinable `record` can write it.
    @usableFromInline internal var _points: [Point] = []
    /// The interval the last observation fell in, [lowerTime, upperTime) (empty until then and
    /// after a coarsening): most observations land in it, and reusing it saves a 64-bit division.
    @usableFromInline var lastIndex = 0
    @usableFromInline var lowerTime: SimTime = 0
    @usableFromInline var upperTime: SimTime = 0

    public init(interval: SimTime, start: SimTime = 0, maxPoints: Int = 512) {
        precondition(interval > 0 && maxPoints >= 2)
        self.interval = interval
        self.start = start
        self.maxPoints = maxPoints
    }

    /// Records `x` observed at `time`. - Complexity: amortised O(1).
    @inlinable
    public mutating func record(_ x: Double, at time: SimTime) {
        let i = time >= lowerTime && time < upperTime ? lastIndex : index(time)
        _points[i].count += 1
        _points[i].sum += x
        if x < _points[i].min { _points[i].min = x }
        if x > _points[i].max { _points[i].max = x }
    }

    /// The start time of point `i`.
    public func time(ofPoint i: Int) -> SimTime { start + SimTime(i) * interval }

    /// The point `time` falls in (a time before `start` counts in the first), made room for,
    /// and remembered as the current interval.
    @usableFromInline
    mutating func index(_ time: SimTime) -> Int {
        let d = time - start
        var i = d >= 0 ? Int(d / interval) : 0
        if i >= points.count { i = slot(time) }
        if d >= 0 {
            lastIndex = i
            lowerTime = start + SimTime(i) * interval
            upperTime = lowerTime + interval
        }
        return i
    }

    @usableFromInline
    mutating func slot(_ time: SimTime) -> Int {
        var i = Int(Swift.max(0, time - start) / interval)
        while i >= maxPoints {
            coarsen()
            i = Int(Swift.max(0, time - start) / interval)
        }
        if i >= points.count { _points.append(contentsOf: repeatElement(Point(), count: i - points.count + 1)) }
        return i
    }

    mutating func coarsen() {
        var merged: [Point] = []
        merged.reserveCapacity((points.count + 1) / 2)
        var i = 0
        while i < points.count {
            var p = points[i]
            if i + 1 < points.count { p.absorb(points[i + 1]) }
            merged.append(p)
            i += 2
        }
        _points = merged
        interval *= 2
        upperTime = lowerTime  // the remembered interval no longer exists
    }
}

/// The time-weighted mean of a level per interval (replicas, busy servers, queue length),
/// with its maximum and minimum within each interval, and the same bounded-memory
/// coarsening as `TimeSeries`. Set at every change (not sampled), so a spike or a dip
/// between two report instants is in its interval's max or min.
public struct GaugeSeries: Sendable {
    public private(set) var interval: SimTime
    public let maxPoints: Int
    public let start: SimTime
    /// ∫ level dt within each interval, in level·ns.
    public var integrals: [Double] { _integrals }
    public var maxima: [Double] { _maxima }
    public var minima: [Double] { _minima }
    // Stored under internal names so the inlinable `set` (every queue change of the
    // queueing model, across the module boundary) can write them.
    @usableFromInline internal var _integrals: [Double] = []
    @usableFromInline internal var _maxima: [Double] = []
    @usableFromInline internal var _minima: [Double] = []
    @usableFromInline var level: Double
    @usableFromInline var lastChange: SimTime

    public init(interval: SimTime, start: SimTime = 0, initial: Double = 0, maxPoints: Int = 512) {
        precondition(interval > 0 && maxPoints >= 2)
        self.interval = interval
        self.start = start
        self.maxPoints = maxPoints
        level = initial
        lastChange = start
    }

    /// Sets the level at `time`. - Complexity: O(intervals crossed since the last change).
    @inlinable
    public mutating func set(_ value: Double, at time: SimTime) {
        let j = _integrals.count - 1
        if j >= 0, time >= lastChange, time < start + SimTime(j + 1) * interval, lastChange >= start + SimTime(j) * interval {
            _integrals[j] += level * Double(time - lastChange)
            lastChange = time
            level = value
            if value > _maxima[j] { _maxima[j] = value }
            if value < _minima[j] { _minima[j] = value }
            return
        }
        advance(to: time)
        level = value
        let i = ensure(time)
        _maxima[i] = Swift.max(_maxima[i], value)
        _minima[i] = Swift.min(_minima[i], value)
    }

    /// Closes the series at `time` (call once at the end of the run).
    public mutating func finish(at time: SimTime) { advance(to: time) }

    /// The time-weighted mean of interval `i`.
    public func mean(ofPoint i: Int) -> Double { _integrals[i] / Double(interval) }

    public func time(ofPoint i: Int) -> SimTime { start + SimTime(i) * interval }

    public var count: Int { _integrals.count }

    func index(_ t: SimTime) -> Int { Int(Swift.max(0, t - start) / interval) }

    @usableFromInline
    mutating func advance(to time: SimTime) {
        var t = lastChange
        while t < time {
            let j = ensure(t)
            let end = Swift.min(time, start + SimTime(j + 1) * interval)
            _integrals[j] += level * Double(end - t)
            _maxima[j] = Swift.max(_maxima[j], level)
            _minima[j] = Swift.min(_minima[j], level)
            t = end
        }
        lastChange = Swift.max(lastChange, time)
        _ = ensure(time)
    }

    /// Makes room for the interval holding `t` (coarsening if needed) and returns its index.
    @usableFromInline
    mutating func ensure(_ t: SimTime) -> Int {
        while index(t) >= maxPoints { coarsen() }
        let i = index(t)
        if i >= _integrals.count {
            let n = i - _integrals.count + 1
            _integrals.append(contentsOf: repeatElement(0, count: n))
            _maxima.append(contentsOf: repeatElement(level, count: n))
            _minima.append(contentsOf: repeatElement(level, count: n))
        }
        return i
    }

    mutating func coarsen() {
        var ints: [Double] = [], maxs: [Double] = [], mins: [Double] = []
        var i = 0
        while i < _integrals.count {
            ints.append(_integrals[i] + (i + 1 < _integrals.count ? _integrals[i + 1] : 0))
            maxs.append(Swift.max(_maxima[i], i + 1 < _maxima.count ? _maxima[i + 1] : -.infinity))
            mins.append(Swift.min(_minima[i], i + 1 < _minima.count ? _minima[i + 1] : .infinity))
            i += 2
        }
        _integrals = ints
        _maxima = maxs
        _minima = mins
        interval *= 2
    }
}
