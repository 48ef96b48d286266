import SimCore

/// A pending event of `runSingleStation`: `info` is −1 for an arrival, −2 for the warm-up
/// cut, and for a departure the customer's arrival time × 2 plus 1 when it is counted.
struct SmallEvent {
    var time: SimTime
    var seq: UInt64
    var info: Int64

    static let arrival: Int64 = -1
    static let warmupEnd: Int64 = -2
    @inline(__always) static func departure(_ arrivedAt: SimTime, _ counted: Bool) -> Int64 {
        arrivedAt << 1 | (counted ? 1 : 0)
    }

    @inline(__always) static func < (a: SmallEvent, b: SmallEvent) -> Bool {
        a.time < b.time || (a.time == b.time && a.seq < b.seq)
    }
}

/// A binary min-heap by (time, seq) in a fixed buffer (the loop never holds more than
/// servers + 2 events), as `bench/mmc.c` keeps its events.
struct SmallEventHeap {
    private let buf: UnsafeMutablePointer<SmallEvent>
    private let capacity: Int
    private var n = 0

    init(capacity: Int) {
        self.capacity = capacity
        buf = .allocate(capacity: capacity)
    }

    func deallocate() { buf.deallocate() }

    var min: SmallEvent? { n > 0 ? buf[0] : nil }

    @inline(__always)
    mutating func push(_ e: SmallEvent) {
        precondition(n < capacity, "single-station loop: more pending events than servers + 2")
        var i = n
        n += 1
        while i > 0 {
            let p = (i - 1) >> 1
            if !(e < buf[p]) { break }
            buf[i] = buf[p]
            i = p
        }
        buf[i] = e
    }

    /// Removes the least event (the heap must not be empty).
    @inline(__always)
    mutating func popMin() -> SmallEvent {
        let top = buf[0]
        n -= 1
        let last = buf[n]
        var i = 0
        while true {
            var c = 2 * i + 1
            if c >= n { break }
            if c + 1 < n && buf[c + 1] < buf[c] { c += 1 }
            if !(buf[c] < last) { break }
            buf[i] = buf[c]
            i = c
        }
        if n > 0 { buf[i] = last }
        return top
    }
}
