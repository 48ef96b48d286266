import CGSL

/// One random stream's draws of one law, computed ahead by a thread that would otherwise wait
/// (`DrawPrefetcher`) and taken in order by the thread that runs the stream's component: a
/// single-producer single-consumer ring (Lamport, "Specifying Concurrent Program Modules",
/// TOPLAS 5(2), 1983) in front of the generator.
///
/// The draws come out exactly as the stream would give them in line, whoever computes them:
/// the generator is stepped only under `lock`, the ring holds the next draws in order, and a
/// draw finding the ring empty takes the lock and steps the generator itself. So a run's
/// results do not depend on how far ahead the other thread got, or whether it ran at all.
/// Only a stream drawn through nothing else may be prefetched (its state runs ahead of the
/// draws taken).
///
/// The words the two threads share each sit on a cache line of their own: the taker's index
/// (`head`, and its copy of `tail`), the index it publishes every 64 draws (so the filler's
/// polls cost the taker a cache miss per 64 draws, not per draw), the filler's `tail`, the lock.
public final class PrefetchedDraws: @unchecked Sendable {
    /// The taker's side, trivially copyable (no reference counting on the hot path). Valid while
    /// its `PrefetchedDraws` lives; the component drawing through it keeps that alive.
    @frozen
    public struct Handle {
        @usableFromInline let values: UnsafeMutablePointer<SimTime>
        @usableFromInline let control: UnsafeMutablePointer<UInt64>
        @usableFromInline let mask: UInt64
        @usableFromInline let owner: Unmanaged<PrefetchedDraws>

        @inlinable init(_ d: PrefetchedDraws) {
            values = d.values
            control = d.control
            mask = d.mask
            owner = Unmanaged.passUnretained(d)
        }

        /// The stream's next draw. - Complexity: O(1); a computed draw when the ring is empty.
        @inlinable @inline(__always)
        public func next() -> SimTime {
            let head = control[Word.head]
            if head == control[Word.knownTail] {
                let tail = cgsl_load_acquire(control + Word.tail)
                control[Word.knownTail] = tail
                if head == tail { return owner._withUnsafeGuaranteedRef { $0.drawInLine() } }
            }
            let v = values[Int(truncatingIfNeeded: head & mask)]
            let h = head &+ 1
            control[Word.head] = h
            if h & 63 == 0 { cgsl_store_release(control + Word.publishedHead, h) }
            return v
        }
    }

    /// Word offsets in `control`, 128 bytes apart (a line and its adjacent-line prefetch).
    @usableFromInline enum Word {
        /// The taker's next index, and the filler's `tail` as the taker last read it.
        @usableFromInline static let head = 0, knownTail = 1
        /// `head` as the filler may see it (at most 63 behind).
        @usableFromInline static let publishedHead = 16
        /// One past the last draw in the ring; written under `lock`.
        @usableFromInline static let tail = 32
        @usableFromInline static let lock = 48
        static let count = 64
    }

    @usableFromInline let values: UnsafeMutablePointer<SimTime>
    @usableFromInline let control: UnsafeMutablePointer<UInt64>
    @usableFromInline let mask: UInt64
    let capacity: Int
    private let draw: () -> SimTime

    /// A ring of `capacity` draws (a power of two, at least 128) of `draw`, which steps the
    /// stream; nothing else may step it.
    public init(capacity: Int = 4096, _ draw: @escaping () -> SimTime) {
        precondition(capacity >= 128 && capacity & (capacity - 1) == 0, "a power of two of at least 128")
        self.capacity = capacity
        self.draw = draw
        mask = UInt64(capacity - 1)
        values = .allocate(capacity: capacity)
        values.initialize(repeating: 0, count: capacity)
        let raw = UnsafeMutableRawPointer.allocate(byteCount: Word.count * 8, alignment: 128)
        control = raw.bindMemory(to: UInt64.self, capacity: Word.count)
        control.initialize(repeating: 0, count: Word.count)
    }

    deinit {
        values.deallocate()
        control.deallocate()
    }

    public var handle: Handle { Handle(self) }

    /// The ring was empty: the next draw, computed here under the lock (the filler may have
    /// added some meanwhile).
    @usableFromInline @inline(never)
    func drawInLine() -> SimTime {
        while cgsl_try_lock(control + Word.lock) == 0 { cgsl_cpu_relax() }
        defer { cgsl_unlock(control + Word.lock) }
        let head = control[Word.head]
        cgsl_store_release(control + Word.publishedHead, head)
        let tail = cgsl_load_acquire(control + Word.tail)
        control[Word.knownTail] = tail
        if head == tail { return draw() }
        let v = values[Int(truncatingIfNeeded: head & mask)]
        control[Word.head] = head &+ 1
        return v
    }

    /// Free room as the filler sees it (never more than there is).
    var room: Int {
        capacity - Int(truncatingIfNeeded: cgsl_load_acquire(control + Word.tail) &- cgsl_load_acquire(control + Word.publishedHead))
    }

    /// Computes up to `count` draws into the ring's free room, unless a thread holds the
    /// generator. Returns how many it computed. Any thread may call it.
    @discardableResult
    public func fill(upTo count: Int) -> Int {
        guard cgsl_try_lock(control + Word.lock) != 0 else { return 0 }
        defer { cgsl_unlock(control + Word.lock) }
        let tail = cgsl_load_acquire(control + Word.tail)
        let free = capacity - Int(truncatingIfNeeded: tail &- cgsl_load_acquire(control + Word.publishedHead))
        let k = min(count, free)
        var i: UInt64 = 0
        while i < UInt64(k) {
            values[Int(truncatingIfNeeded: (tail &+ i) & mask)] = draw()
            i &+= 1
        }
        cgsl_store_release(control + Word.tail, tail &+ UInt64(k))
        return k
    }
}
