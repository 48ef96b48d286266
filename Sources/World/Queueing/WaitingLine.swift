import SimCore

/// The station's FIFO line: each waiting customer's arrival time × 2 plus 1 when counted,
/// in a growable ring.
struct WaitingLine {
    private var buf: UnsafeMutablePointer<Int64>
    private var mask: Int
    private var head = 0
    private(set) var count = 0

    init() {
        mask = 1023
        buf = .allocate(capacity: mask + 1)
    }

    func deallocate() { buf.deallocate() }

    @inline(__always)
    mutating func append(_ arrivedAt: SimTime, _ counted: Bool) {
        if count == mask + 1 { grow() }
        buf[(head + count) & mask] = arrivedAt << 1 | (counted ? 1 : 0)
        count += 1
    }

    @inline(__always)
    mutating func popFirst() -> (arrivedAt: SimTime, counted: Bool) {
        let v = buf[head]
        head = (head + 1) & mask
        count -= 1
        return (v >> 1, v & 1 == 1)
    }

    private mutating func grow() {
        let size = (mask + 1) * 2
        let bigger = UnsafeMutablePointer<Int64>.allocate(capacity: size)
        for k in 0..<count { bigger[k] = buf[(head + k) & mask] }
        buf.deallocate()
        buf = bigger
        mask = size - 1
        head = 0
    }
}
