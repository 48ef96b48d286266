/// Finagle's time-windowed counter (twitter/util `util-core/src/main/scala/com/twitter/util/WindowedAdder.scala`):
/// `range` is cut into `slices` windows; one writer counts the current window and `slices - 1`
/// buffers keep the previous ones. Windows roll only when the adder is touched (`add` or `sum`)
/// and at least one window length has passed since the last roll, which then restarts the window
/// at that moment (`old = now()`), so slice boundaries follow the access times, as in Finagle.
/// Times are integer milliseconds, like `Stopwatch.timeMillis`.
struct _WindowedAdder: Sendable {
    private let window: Int64
    private var buf: [Int64]          // N = slices - 1 expired windows
    private var writer: Int64 = 0
    private var i = 0
    private var old: Int64

    init(rangeMillis: Int64, slices: Int, nowMillis: Int64) {
        precondition(slices > 1)
        window = rangeMillis / Int64(slices)
        buf = Array(repeating: 0, count: slices - 1)
        old = nowMillis
    }

    private mutating func expired(_ now: Int64) {
        let n = buf.count
        buf[i] = writer                 // the current window's count is credited to its slice
        writer = 0
        i = (i + 1) % n
        // Windows skipped since the last roll are cleared.
        let nskip = Int(min((now - old) / window - 1, Int64(n)))
        if nskip > 0 {
            let r = min(nskip, n - i)
            for k in i..<(i + r) { buf[k] = 0 }
            for k in 0..<(nskip - r) { buf[k] = 0 }
            i = (i + nskip) % n
        }
        old = now
    }

    mutating func add(_ x: Int64, nowMillis: Int64) {
        if nowMillis - old >= window { expired(nowMillis) }
        writer += x
    }

    mutating func sum(nowMillis: Int64) -> Int64 {
        if nowMillis - old >= window { expired(nowMillis) }
        var s = writer
        for v in buf { s += v }
        return s
    }
}
