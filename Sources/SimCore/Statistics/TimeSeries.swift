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
    public var points: [Point] {
        var p = _points
        if upperTime > lowerTime { p[lastIndex] = open }
        return p
    }
    /// Stored under an internal name so the inlinable `record` can write it.
    @usableFromInline internal var _points: [Point] = []
    /// The interval the last observation fell in, [lowerTime, upperTime) (empty until then and
    /// after a coarsening): most observations land in it, and reusing it saves a 64-bit division.
    @usableFromInline var lastIndex = 0
    @usableFromInline var lowerTime: SimTime = 0
    @usableFromInline var upperTime: SimTime = 0
    /// Point `lastIndex` while that interval is set (`_points[lastIndex]` is stale then): the
    /// common case of `record` writes this, with no array uniqueness or bounds checks.
    @usableFromInline var open = Point()

    public init(interval: SimTime, start: SimTime = 0, maxPoints: Int = 512) {
        precondition(interval > 0 && maxPoints >= 2)
        self.interval = interval
        self.start = start
        self.maxPoints = maxPoints
    }

    /// Records `x` observed at `time`. - Complexity: amortised O(1).
    @inlinable @inline(__always)
    public mutating func record(_ x: Double, at time: SimTime) {
        if time >= lowerTime && time < upperTime {
            open.count += 1
            open.sum += x
            if x < open.min { open.min = x }
            if x > open.max { open.max = x }
            return
        }
        recordElsewhere(x, at: time)
    }

    /// `record` outside the remembered interval: the open point goes back into the array, and
    /// the interval `time` falls in (if `index` remembers it) becomes the open one.
    @usableFromInline @inline(never)
    mutating func recordElsewhere(_ x: Double, at time: SimTime) {
        if upperTime > lowerTime { _points[lastIndex] = open }
        let i = index(time)
        var p = _points[i]
        p.count += 1
        p.sum += x
        if x < p.min { p.min = x }
        if x > p.max { p.max = x }
        _points[i] = p
        if upperTime > lowerTime { open = _points[lastIndex] }
    }

    /// The start time of point `i`.
    public func time(ofPoint i: Int) -> SimTime { start + SimTime(i) * interval }

    /// The point `time` falls in (a time before `start` counts in the first), made room for,
    /// and remembered as the current interval.
    @usableFromInline
    mutating func index(_ time: SimTime) -> Int {
        let d = time - start
        var i = d >= 0 ? Int(d / interval) : 0
        if i >= _points.count { i = slot(time) }
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
        if i >= _points.count { _points.append(contentsOf: repeatElement(Point(), count: i - _points.count + 1)) }
        return i
    }

    mutating func coarsen() {
        var merged: [Point] = []
        merged.reserveCapacity((_points.count + 1) / 2)
        var i = 0
        while i < _points.count {
            var p = _points[i]
            if i + 1 < _points.count { p.absorb(_points[i + 1]) }
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
    public var integrals: [Double] { var a = _integrals; if !a.isEmpty { a[a.count - 1] = openIntegral }; return a }
    public var maxima: [Double] { var a = _maxima; if !a.isEmpty { a[a.count - 1] = openMax }; return a }
    public var minima: [Double] { var a = _minima; if !a.isEmpty { a[a.count - 1] = openMin }; return a }
    // The last point lives in the `open…` scalars while the arrays' last entries are stale, so
    // `set`'s common case (a change within the current interval, every queue change of the
    // queueing model) writes three scalars: no array uniqueness or bounds checks. The slow path
    // writes the scalars back first (`close`) and reloads them after (`reopen`).
    @usableFromInline internal var _integrals: [Double] = []
    @usableFromInline internal var _maxima: [Double] = []
    @usableFromInline internal var _minima: [Double] = []
    @usableFromInline var openIntegral = 0.0, openMax = 0.0, openMin = 0.0
    @usableFromInline var level: Double
    @usableFromInline var lastChange: SimTime
    /// The last point's interval, [lastLower, lastUpper) (empty while there is none).
    @usableFromInline var lastLower: SimTime = .max
    @usableFromInline var lastUpper: SimTime = .min

    public init(interval: SimTime, start: SimTime = 0, initial: Double = 0, maxPoints: Int = 512) {
        precondition(interval > 0 && maxPoints >= 2)
        self.interval = interval
        self.start = start
        self.maxPoints = maxPoints
        level = initial
        lastChange = start
    }

    /// Sets the level at `time`. - Complexity: O(1) within the current interval, else
    /// O(intervals crossed since the last change).
    @inlinable @inline(__always)
    public mutating func set(_ value: Double, at time: SimTime) {
        if time >= lastChange, time < lastUpper, lastChange >= lastLower {
            openIntegral += level * Double(time - lastChange)
            lastChange = time
            level = value
            if value > openMax { openMax = value }
            if value < openMin { openMin = value }
            return
        }
        setCrossing(value, at: time)
    }

    @usableFromInline @inline(never)
    mutating func setCrossing(_ value: Double, at time: SimTime) {
        close()
        advance(to: time)
        level = value
        let i = ensure(time)
        _maxima[i] = Swift.max(_maxima[i], value)
        _minima[i] = Swift.min(_minima[i], value)
        reopen()
    }

    /// Writes the open point back into the arrays.
    mutating func close() {
        let j = _integrals.count - 1
        guard j >= 0 else { return }
        _integrals[j] = openIntegral
        _maxima[j] = openMax
        _minima[j] = openMin
    }

    /// Loads the last point into the open scalars and its interval into the bounds.
    mutating func reopen() {
        let j = _integrals.count - 1
        if j >= 0 {
            openIntegral = _integrals[j]
            openMax = _maxima[j]
            openMin = _minima[j]
            lastLower = start + SimTime(j) * interval
            lastUpper = lastLower + interval
        } else {
            lastLower = .max
            lastUpper = .min
        }
    }

    /// Closes the series at `time` (call once at the end of the run).
    public mutating func finish(at time: SimTime) {
        close()
        advance(to: time)
        reopen()
    }

    /// The time-weighted mean of interval `i`.
    public func mean(ofPoint i: Int) -> Double { (i == _integrals.count - 1 ? openIntegral : _integrals[i]) / Double(interval) }

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
