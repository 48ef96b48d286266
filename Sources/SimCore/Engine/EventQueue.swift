/// The pending-event set, ordered by (time, seq): a 4-ary min-heap of the near future, and,
/// once the set is large, a ring of time buckets for the rest.
///
/// The heap is hand-written on a `ContiguousArray` with hole sifting (move the hole, write
/// once): it measured 15–25 % faster than swift-collections' min-max `Heap` in the DES "hold"
/// pattern (this project's own release-build benchmark on its 2-core machine). Four children
/// per node (128 contiguous bytes) halve the levels a pop walks.
///
/// Two levels (`EventQueue+Buckets.swift`): at national scale the set holds a pending ping per
/// courier (10⁵ events, several MB), and each level of a pop's sift-down was a cache miss
/// (a quarter of the national day's CPU in `perf`). When the heap first exceeds `spillAt`
/// events (2,048 by default), only the events before a `horizon` stay in the heap; later ones
/// wait unsorted in buckets of a fixed width (a power of two nanoseconds) of a 4,096-bucket
/// ring, and beyond the ring's span in an overflow heap. When the heap empties, the next
/// non-empty bucket (and any overflow events of it) becomes the heap, and the horizon moves
/// to its end. So the heap holds about one bucket's events (a few hundred, in L1), and the
/// pop order is exactly the one heap's: every event before the horizon is in the heap, every
/// later one outside it (the same idea as Brown's calendar queue, CACM 31(10), 1988, and the
/// ladder queue of Tang, Goh and Thng, ACM TOMACS 15(3), 2005, here with a heap in front so
/// the order is exact).
/// Small sets (an M/M/c model's few events) never leave the single heap.
/// Sequence numbers are unique, so the order is total and the pop order is the same on
/// every run and platform, whatever the bucket width.
@frozen
public struct EventQueue: Sendable {
    /// The near heap: every pending event before `_horizon`.
    @usableFromInline
    internal var _storage: ContiguousArray<Event>
    /// Events at or after it wait in `_far` (`.max` while there is one heap only).
    @usableFromInline
    internal var _horizon: SimTime = .max
    /// The heap size at which the queue turns two-level (`Int.max` once it has).
    @usableFromInline
    internal var _spillAt: Int
    @usableFromInline
    internal var _far: _FarEvents

    /// `spillAt`: heap size at which the later events move to the bucket ring (tests use small
    /// values to exercise it; the default keeps small models in one heap). 2,048 events (64
    /// KiB) fit the L2 cache; a region of a parallel run (a few thousand pending events each
    /// in the city hour) stayed one heap at the former 16,384 and took 10 % more time.
    public init(reservingCapacity capacity: Int = 1024, spillAt: Int = 2_048) {
        _storage = ContiguousArray()
        _storage.reserveCapacity(capacity)
        _spillAt = Swift.max(2, spillAt)
        _far = _FarEvents()
    }

    /// Number of pending events. - Complexity: O(1).
    @inlinable public var count: Int { _storage.count &+ _far.count }

    @inlinable public var isEmpty: Bool { _storage.isEmpty }

    /// The far level's bucket width in ns, nil while the queue is one heap (tests, benchmarks).
    public var bucketWidth: SimTime? { _far.active ? 1 << SimTime(_far.shift) : nil }

    /// Events in the near heap (the rest wait in buckets): tests, benchmarks.
    public var heapCount: Int { _storage.count }

    /// The earliest pending event, without removing it (the heap is never empty while the
    /// buckets hold events). - Complexity: O(1).
    @inlinable public var min: Event? { _storage.first }

    /// Adds an event. - Complexity: O(log n) in the heap; O(1) into a bucket.
    @inlinable
    public mutating func insert(_ event: Event) {
        if event.time >= _horizon { return _insertFar(event) }
        Self._push(&_storage, event)
        if _storage.count > _spillAt { _spill() }
        _checkInvariants()
    }

    /// Removes and returns the earliest event. - Complexity: O(log n) (n: the heap's events),
    /// plus, when it empties, moving the next bucket in.
    @inlinable
    public mutating func popMin() -> Event? {
        guard let top = Self._pop(&_storage) else { return nil }
        if _storage.isEmpty && _far.count > 0 { _refill() }
        _checkInvariants()
        return top
    }

    /// Removes every pending event. - Complexity: O(1) amortised (keeps capacity).
    public mutating func removeAll() {
        _storage.removeAll(keepingCapacity: true)
        _far.removeAll()
    }

    // MARK: the 4-ary heap (the near heap and the overflow heap)

    @inlinable @inline(__always)
    static func _push(_ heap: inout ContiguousArray<Event>, _ event: Event) {
        heap.append(event)
        heap.withUnsafeMutableBufferPointer { buf in
            var hole = buf.count - 1
            while hole > 0 {
                let parent = (hole - 1) >> 2
                if event < buf[parent] {
                    buf[hole] = buf[parent]
                    hole = parent
                } else { break }
            }
            buf[hole] = event
        }
    }

    @inlinable @inline(__always)
    static func _pop(_ heap: inout ContiguousArray<Event>) -> Event? {
        guard let last = heap.popLast() else { return nil }
        if heap.isEmpty { return last }
        let top = heap[0]
        // A small heap (an M/M/c model's few events) keeps the classic sift: measured faster
        // there (M/M/8, 12 alternating runs: 389 ms against 416 ms with the bottom-up one).
        heap.withUnsafeMutableBufferPointer { buf in
            if buf.count > 32 { _siftDownFromRoot(buf, last) } else { _siftDown(buf, from: 0, last) }
        }
        return top
    }

    /// A pop's sift (the root is the hole, `event` the heap's last element): the hole walks
    /// down to a leaf along the least children without comparing with `event`, which as the
    /// last element usually belongs near the bottom; then `event` sifts up from there
    /// (Floyd's bottom-up heapsort trick, Wegener, TCS 118(1), 1993). The least of four
    /// children is picked without branches (`_lessBit`): a branch per child comparison was
    /// mispredicted about half the time and the sift was most of `Scheduler.run`'s own time in
    /// `perf` (national-day slice). Same heap property, so the same pop order as `_siftDown`.
    @inlinable @inline(__always)
    static func _siftDownFromRoot(_ buf: UnsafeMutableBufferPointer<Event>, _ event: Event) {
        let n = buf.count
        let b = buf.baseAddress.unsafelyUnwrapped
        var hole = 0
        while 4 &* hole &+ 4 < n {
            let f = 4 &* hole &+ 1
            let m01 = f &+ _lessBit(b, f &+ 1, f)
            let m23 = f &+ 2 &+ _lessBit(b, f &+ 3, f &+ 2)
            let child = m01 &+ (m23 &- m01) &* _lessBit(b, m23, m01)
            b[hole] = b[child]
            hole = child
        }
        let first = 4 &* hole &+ 1
        if first < n {
            // One to three children, all leaves.
            var child = first
            var c = first &+ 1
            while c < n {
                if b[c] < b[child] { child = c }
                c &+= 1
            }
            b[hole] = b[child]
            hole = child
        }
        while hole > 0 {
            let parent = (hole &- 1) >> 2
            if event < b[parent] {
                b[hole] = b[parent]
                hole = parent
            } else { break }
        }
        b[hole] = event
    }

    /// 1 when `b[i]` comes before `b[j]` in (time, seq) order, else 0, computed without a
    /// branch (so the caller's index arithmetic compiles to flag moves, not jumps).
    @inlinable @inline(__always)
    static func _lessBit(_ b: UnsafeMutablePointer<Event>, _ i: Int, _ j: Int) -> Int {
        let x = b[i].time, y = b[j].time
        let earlier = x < y ? 1 : 0, same = x == y ? 1 : 0, lowerSeq = b[i].seq < b[j].seq ? 1 : 0
        return earlier | (same & lowerSeq)
    }

    /// Places `event` at the hole `start` and sifts it down (4-ary).
    @inlinable @inline(__always)
    static func _siftDown(_ buf: UnsafeMutableBufferPointer<Event>, from start: Int, _ event: Event) {
        let n = buf.count
        var hole = start
        while true {
            let first = 4 * hole + 1
            if first >= n { break }
            // The least of the (up to four) children.
            var child = first
            let end = Swift.min(first + 4, n)
            var c = first + 1
            while c < end {
                if buf[c] < buf[child] { child = c }
                c += 1
            }
            if buf[child] < event {
                buf[hole] = buf[child]
                hole = child
            } else { break }
        }
        buf[hole] = event
    }

    /// Floyd's bottom-up heap construction over an unordered array. O(n).
    @usableFromInline
    static func _heapify(_ heap: inout ContiguousArray<Event>) {
        let n = heap.count
        guard n > 1 else { return }
        heap.withUnsafeMutableBufferPointer { buf in
            var i = (n - 2) >> 2
            while i >= 0 {
                _siftDown(buf, from: i, buf[i])
                i -= 1
            }
        }
    }
}
