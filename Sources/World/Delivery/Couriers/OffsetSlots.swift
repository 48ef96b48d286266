/// A `SlotStore` addressed by global ids from `base` on: the courier slots of the cities an
/// instance builds, numbered as in a run over every city. One region's logical process of a
/// parallel run (`parallel_regions`) builds only its own city's couriers, but keeps their
/// global ids, which name sessions, Kafka keys and dispatch ties, so every draw and decision of
/// its region is the one the other instances' cities do not change (Regions/README.md).
final class OffsetSlots<Element> {
    private let store: SlotStore<Element>
    /// The global id of the first stored slot.
    private(set) var base = 0

    init(reservingCapacity capacity: Int) { store = SlotStore(reservingCapacity: capacity) }

    /// The stored slots' global ids.
    var indices: Range<Int> { base..<(base + store.count) }
    var isEmpty: Bool { store.isEmpty }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { store[i &- base] }
        _modify { yield &store[i &- base] }
    }

    /// Appends the slot with global id `id`: the first one sets `base`, the others follow it.
    func append(_ element: Element, id: Int) {
        if store.isEmpty { base = id }
        precondition(id == base + store.count, "slot \(id) does not follow \(base + store.count - 1)")
        store.append(element)
    }

    @inline(__always) func prefetch(_ i: Int) { store.prefetch(i &- base) }
}
