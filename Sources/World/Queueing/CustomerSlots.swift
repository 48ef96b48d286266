/// The queueing model's customer records, in slots reused after a customer leaves: a plain
/// buffer the model owns, so taking, writing and freeing a slot (four times per customer)
/// checks no array uniqueness. The slot numbers handed out are the ones an array with a
/// free list would give: the last freed slot first, else the next new one.
struct CustomerSlots<Element> {
    private(set) var storage: UnsafeMutablePointer<Element>
    private var free: UnsafeMutablePointer<Int32>
    private var capacity: Int
    private(set) var count = 0
    private var freeCount = 0

    init(capacity: Int = 64) {
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
        free = .allocate(capacity: capacity)
    }

    /// Releases the buffers; the elements must be trivial (no deinitialisation).
    func deallocate() {
        storage.deallocate()
        free.deallocate()
    }

    /// Stores `e` in a free slot and returns its number.
    @inline(__always)
    mutating func take(_ e: Element) -> Int32 {
        if freeCount > 0 {
            freeCount -= 1
            let i = free[freeCount]
            storage[Int(i)] = e
            return i
        }
        if count == capacity { grow() }
        (storage + count).initialize(to: e)
        count += 1
        return Int32(count - 1)
    }

    /// Frees slot `i` (its element stays until the slot is taken again).
    @inline(__always)
    mutating func release(_ i: Int32) {
        free[freeCount] = i
        freeCount += 1
    }

    subscript(i: Int32) -> Element {
        @inline(__always) get { storage[Int(i)] }
        @inline(__always) nonmutating set { storage[Int(i)] = newValue }
    }

    private mutating func grow() {
        let bigger = capacity * 2
        let s = UnsafeMutablePointer<Element>.allocate(capacity: bigger)
        s.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = s
        let f = UnsafeMutablePointer<Int32>.allocate(capacity: bigger)
        f.moveInitialize(from: free, count: freeCount)
        free.deallocate()
        free = f
        capacity = bigger
    }
}
