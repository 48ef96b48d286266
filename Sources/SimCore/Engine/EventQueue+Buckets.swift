/// The far level of `EventQueue` (see its doc comment): a ring of 4,096 time buckets of width
/// `2^shift` ns holding the buckets [`cur`, `cur` + 4,096) unsorted, a bit per non-empty
/// bucket, and an overflow 4-ary heap for events beyond the ring's span. The queue's horizon
/// is `cur << shift`: every event before it is in the near heap.
@usableFromInline
struct _FarEvents: Sendable {
    static let ringBits = 12
    static let ringSize = 1 << ringBits
    static let ringMask = ringSize - 1
    /// Aimed-for events per bucket; the width halves when the moving average of the buckets
    /// moved in exceeds 4 × this, and doubles when it falls below 1/16 of it.
    static let target = 256
    static let minShift = 8
    static let maxShift = 40
    /// The most events a bucket keeps room for once emptied (32 KiB of 32-byte events). The
    /// heap's storage rotates into the ring at every refill; without a cap every slot ends up
    /// holding the largest bucket ever seen (a national day grew to gigabytes).
    static let keptCapacity = 4 * target
    /// The most emptied buffers kept for slots that start filling (`spare`).
    static let spareLimit = 64
    /// Only a slot this near the horizon (in buckets) takes a spare buffer: far slots fill
    /// sparsely (timers minutes ahead) and grow their own small ones.
    static let spareReach: Int64 = 64

    var active = false
    var shift = 20
    /// The first bucket not yet moved into the heap.
    var cur: Int64 = 0
    var ring: [ContiguousArray<Event>] = []
    /// Emptied buffers with room (at most `keptCapacity` each), handed to the next slot that
    /// starts filling. Empty slots themselves hold no room: left in place, every slot of the
    /// ring ended up with a full bucket's room (4,096 × 32 KiB, 128 MiB per queue, most of it
    /// idle), where the slots filling at any moment are a few dozen.
    var spare: [ContiguousArray<Event>] = []
    var bits: [UInt64] = []
    var ringCount = 0
    var overflow = ContiguousArray<Event>()
    /// Moving average (×16) of the buckets moved into the heap.
    var average = target * 16

    @usableFromInline var count: Int { ringCount &+ overflow.count }
    var horizon: SimTime { cur << shift }

    mutating func removeAll() {
        guard active else { return }
        for i in ring.indices where ring[i].capacity > 0 { recycle(i) }
        for i in bits.indices { bits[i] = 0 }
        ringCount = 0
        overflow.removeAll(keepingCapacity: true)
    }

    /// Files an event at or after the horizon: its bucket, or the overflow heap.
    @inline(__always)
    mutating func file(_ event: Event) {
        let b = event.time >> shift
        if b &- cur < Int64(Self.ringSize) {
            let slot = Int(b) & Self.ringMask
            if ring[slot].capacity == 0 && b &- cur < Self.spareReach, let room = spare.popLast() {
                ring[slot] = room
            }
            ring[slot].append(event)
            bits[slot >> 6] |= 1 << UInt64(slot & 63)
            ringCount &+= 1
        } else {
            EventQueue._push(&overflow, event)
        }
    }

    /// Empties slot `i`, keeping its room (when not over `keptCapacity`) for the next slot that
    /// starts filling; the slot itself is left without room.
    mutating func recycle(_ i: Int) {
        var buffer = ContiguousArray<Event>()
        swap(&buffer, &ring[i])
        guard buffer.capacity <= Self.keptCapacity && spare.count < Self.spareLimit else { return }
        buffer.removeAll(keepingCapacity: true)
        spare.append(buffer)
    }

    /// The first non-empty bucket at or after `cur` (the ring must hold an event).
    func nextBucket() -> Int64 {
        let start = Int(cur) & Self.ringMask
        var word = start >> 6
        var w = bits[word] & (~0 << UInt64(start & 63))
        var scanned = 0
        while w == 0 {
            word = (word + 1) & (bits.count - 1)
            w = bits[word]
            scanned += 1
            precondition(scanned <= bits.count, "EventQueue: bucket ring empty")
        }
        let slot = word << 6 | w.trailingZeroBitCount
        return cur + Int64((slot - start) & Self.ringMask)
    }
}

extension EventQueue {
    /// An event at or after the horizon (or at `.max` while single-level).
    @usableFromInline
    mutating func _insertFar(_ event: Event) {
        guard _far.active else {
            Self._push(&_storage, event)
            return
        }
        _far.file(event)
        if _storage.isEmpty { _refill() }
    }

    /// The heap outgrew `_spillAt`: picks a bucket width from the spread of its events (about
    /// `target` events per bucket at the median event's density), keeps in the heap the events
    /// of the earliest bucket and files the rest. Two-level already (a width too wide for the
    /// load, so the heap never empties): the same with a narrower width, refiling the ring.
    @usableFromInline
    mutating func _spill() {
        var times = _storage.map(\.time)
        times.sort()
        let n = times.count, half = n / 2
        let perEvent = Swift.max(1, (times[half] - times[0]) / Int64(Swift.max(1, half)))
        let width = perEvent * Int64(_FarEvents.target)
        let shift = Swift.min(_FarEvents.maxShift, Swift.max(_FarEvents.minShift, 64 - (width - 1).leadingZeroBitCount))
        var pending = _storage
        if _far.active {
            guard shift < _far.shift else {
                _spillAt = _spillAt > Int.max / 2 ? .max : 2 * _spillAt
                return
            }
            for i in _far.ring.indices where !_far.ring[i].isEmpty {
                pending.append(contentsOf: _far.ring[i])
                _far.recycle(i)
            }
            for i in _far.bits.indices { _far.bits[i] = 0 }
            _far.ringCount = 0
        } else {
            _far.active = true
            _far.ring = Array(repeating: ContiguousArray(), count: _FarEvents.ringSize)
            _far.bits = Array(repeating: 0, count: _FarEvents.ringSize >> 6)
        }
        // Overflow events stay: the narrower ring's span ends before the old one's.
        _spillAt = 4 * _FarEvents.ringSize
        _far.shift = shift
        _far.cur = (times[0] >> shift) + 1
        _far.average = _FarEvents.target * 16
        _horizon = _far.horizon
        _storage.removeAll(keepingCapacity: true)
        for e in pending {
            if e.time < _horizon { _storage.append(e) } else { _far.file(e) }
        }
        Self._heapify(&_storage)
    }

    /// The heap is empty and the far level is not: the next bucket becomes the heap (the
    /// ring's next non-empty one, or, with an empty ring, the overflow's first), the horizon
    /// moves to its end, and overflow events now within the ring's span move into it.
    @usableFromInline
    mutating func _refill() {
        if _far.ringCount == 0 {
            _far.cur = _far.overflow[0].time >> _far.shift
            _pullOverflow()
        }
        let b = _far.nextBucket()
        let slot = Int(b) & _FarEvents.ringMask
        swap(&_storage, &_far.ring[slot])
        _far.recycle(slot)
        _far.bits[slot >> 6] &= ~(1 << UInt64(slot & 63))
        let moved = _storage.count
        _far.ringCount -= moved
        _far.cur = b + 1
        _horizon = _far.horizon
        _pullOverflow()
        Self._heapify(&_storage)
        _adaptWidth(moved)
    }

    /// Overflow events now within the ring's span go to their bucket (or to the heap, for the
    /// bucket just moved in).
    @usableFromInline
    mutating func _pullOverflow() {
        let end = _far.cur + Int64(_FarEvents.ringSize)
        while let first = _far.overflow.first, first.time >> _far.shift < end {
            let e = Self._pop(&_far.overflow).unsafelyUnwrapped
            if e.time < _horizon { _storage.append(e) } else { _far.file(e) }
        }
    }

    /// Keeps the buckets near `target` events: halves the width when the average bucket moved
    /// in is over 4 × target, doubles it under target / 16 (when the horizon is a multiple of
    /// the doubled width). Refiles the ring; the order of events does not depend on the width.
    @usableFromInline
    mutating func _adaptWidth(_ moved: Int) {
        _far.average += moved - _far.average / 16
        let avg = _far.average / 16
        var shift = _far.shift
        if avg > 4 * _FarEvents.target && shift > _FarEvents.minShift {
            shift -= 1
        } else if avg < _FarEvents.target / 16 && shift < _FarEvents.maxShift && _far.cur & 1 == 0 {
            shift += 1
        } else {
            return
        }
        let horizon = _horizon
        var pending = ContiguousArray<Event>()
        pending.reserveCapacity(_far.ringCount)
        for i in _far.ring.indices where !_far.ring[i].isEmpty {
            pending.append(contentsOf: _far.ring[i])
            _far.recycle(i)
        }
        for i in _far.bits.indices { _far.bits[i] = 0 }
        _far.ringCount = 0
        _far.shift = shift
        _far.cur = horizon >> shift
        _far.average = _FarEvents.target * 16
        // Refile in a fixed order (ring slot order, then each bucket's order): deterministic,
        // though only the heap order, which the width does not change, reaches the model.
        for e in pending { _far.file(e) }
        _pullOverflow()
    }
}
