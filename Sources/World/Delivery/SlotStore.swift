import SimCore

/// Growable, index-addressed storage that only the simulation holds: `store[i].field = x`
/// writes through a pointer, without the uniqueness check and buffer retain that an `Array`
/// stored in a class property costs on every element write (the requests, orders and
/// couriers are written several times per event).
///
/// Indices are checked (one unsigned compare). Growth doubles the capacity: amortised O(1)
/// `append`, O(1) access. Large stores sit on huge pages (`HugePages`: a random slot costs a
/// cache miss, not also a TLB miss).
final class SlotStore<Element> {
    private(set) var count = 0
    private var capacity: Int
    private var base: UnsafeMutablePointer<Element>

    init(reservingCapacity capacity: Int = 256) {
        self.capacity = max(1, capacity)
        base = HugePages.allocate(Element.self, capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        HugePages.deallocate(base, capacity: capacity)
    }

    var isEmpty: Bool { count == 0 }
    var indices: Range<Int> { 0..<count }

    @inline(__always)
    subscript(i: Int) -> Element {
        get {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "slot \(i) out of 0..<\(count)")
            return base[i]
        }
        _modify {
            precondition(UInt(bitPattern: i) < UInt(bitPattern: count), "slot \(i) out of 0..<\(count)")
            yield &base[i]
        }
    }

    /// Starts loading slot `i`'s first 128 bytes for writing, and the rest of a longer slot
    /// (a hint; no effect on any value). A slot need not start on a cache
    /// line, so its first 128 bytes can span three lines: a courier (168 bytes) keeps its trip
    /// times at bytes 112-143, and `perf` showed the ping's `position` waiting on that line.
    @inline(__always) func prefetch(_ i: Int) {
        guard UInt(bitPattern: i) < UInt(bitPattern: count) else { return }
        let p = UnsafeRawPointer(base + i)
        prefetchForWrite(p)
        prefetchForWrite(p + 64)
        if MemoryLayout<Element>.stride > 128 {
            prefetchForWrite(p + 128)
            prefetchForWrite(p + (MemoryLayout<Element>.stride - 1))
        }
    }

    func append(_ element: Element) {
        if count == capacity {
            let bigger = HugePages.allocate(Element.self, capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            HugePages.deallocate(base, capacity: capacity)
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Calls `body` on every element in index order.
    func forEach(_ body: (Element) throws -> Void) rethrows {
        for i in 0..<count { try body(base[i]) }
    }
}
