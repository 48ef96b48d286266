/// Envoy's earliest-deadline-first scheduler for weighted picks over entries `0..<n`.
///
/// Source: envoyproxy/envoy `source/common/upstream/edf_scheduler.h` (`EdfScheduler`). Each entry
/// is due at `current_time + 1 / weight`; `pickAndAdd` pops the earliest deadline (ties: the
/// entry queued first, by a running `order_offset`), advances `current_time` to it and re-queues
/// the entry with a freshly computed weight. ``init(weights:picks:)`` is
/// `EdfScheduler::createWithPicks`: the state after `picks` picks, computed in O(n log n) by
/// emulating `floor(picks * w_i / W)` picks per entry (weights augmented by 1e-13, as Envoy
/// does) and then picking the remainder one by one.
///
/// Storage is a binary min-heap in an array sized once; picks do not allocate.
public struct EDFScheduler: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var deadline: Double
        @usableFromInline var order: UInt64
        @usableFromInline var item: Int32

        @inlinable init(deadline: Double, order: UInt64, item: Int32) {
            self.deadline = deadline
            self.order = order
            self.item = item
        }

        @inlinable @inline(__always)
        func precedes(_ o: Entry) -> Bool {
            deadline < o.deadline || (deadline == o.deadline && order < o.order)
        }
    }

    @usableFromInline var heap: [Entry] = []
    @usableFromInline var currentTime: Double = 0
    @usableFromInline var orderOffset: UInt64 = 0

    /// An empty scheduler.
    public init() {}

    /// `EdfScheduler::createWithPicks(entries, calculate_weight, picks)` with entry `i` of weight
    /// `weights[i]` (all > 0). The remaining picks re-add entries with `weights[i]` unchanged.
    public init(weights: [Double], picks: UInt32) {
        self.init(weights: weights, picks: picks, reweight: { weights[$0] })
    }

    /// `createWithPicks` where the one-by-one remainder picks re-add with `reweight(entry)`.
    public init(weights: [Double], picks: UInt32, reweight: (Int) -> Double) {
        let picks = picks % 429_496_729  // "% UINT_MAX/10"
        precondition(weights.allSatisfy { $0 > 0 }, "EDF weights must be positive")
        if weights.isEmpty { return }
        let aug = weights.map { $0 + 1e-13 }
        var weightsSum = 0.0
        for w in aug { weightsSum += w }
        var entries: [Entry] = []
        entries.reserveCapacity(weights.count)
        var picksSoFar: UInt32 = 0
        var maxPickTime = 0.0
        for i in 0..<aug.count {
            let weight = aug[i]
            var floorPicks = UInt32(weight * Double(picks) / weightsSum)
            if floorPicks > 0 && Double(floorPicks) / weight >= Double(picks) / weightsSum {
                floorPicks -= 1
            }
            let pickTime = Double(floorPicks) / weight
            let deadline = Double(floorPicks + 1) / weight
            entries.append(Entry(deadline: deadline, order: UInt64(i), item: Int32(i)))
            maxPickTime = max(maxPickTime, pickTime)
            picksSoFar += floorPicks
        }
        heap = entries
        heap.reserveCapacity(weights.count)
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        currentTime = maxPickTime
        orderOffset = UInt64(weights.count)
        while picksSoFar < picks {
            _ = pickAndAdd(reweight)
            picksSoFar += 1
        }
    }

    /// Number of queued entries.
    public var count: Int { heap.count }

    /// Queues `item` with deadline `currentTime + 1 / weight`.
    @inlinable
    public mutating func add(_ item: Int, weight: Double) {
        precondition(weight > 0)
        heap.append(Entry(deadline: currentTime + 1.0 / weight, order: orderOffset, item: Int32(item)))
        orderOffset &+= 1
        siftUp(heap.count - 1)
    }

    /// Pops the earliest deadline, re-queues it with `weight(item)`, returns the item.
    /// - Complexity: O(log n), no allocation.
    @inlinable
    public mutating func pickAndAdd(_ weight: (Int) -> Double) -> Int? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        currentTime = top.deadline
        let item = Int(top.item)
        let w = weight(item)
        precondition(w > 0)
        // Pop and push in one sift: the replacement starts at the root.
        heap[0] = Entry(deadline: currentTime + 1.0 / w, order: orderOffset, item: top.item)
        orderOffset &+= 1
        siftDown(0)
        return item
    }

    @inlinable
    mutating func siftUp(_ start: Int) {
        heap.withUnsafeMutableBufferPointer { h in
            var i = start
            let e = h[i]
            while i > 0 {
                let parent = (i - 1) / 2
                if !e.precedes(h[parent]) { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = e
        }
    }

    @inlinable
    mutating func siftDown(_ start: Int) {
        heap.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = start
            let e = h[i]
            while true {
                let l = 2 * i + 1
                if l >= n { break }
                var c = l
                if l + 1 < n && h[l + 1].precedes(h[l]) { c = l + 1 }
                if !h[c].precedes(e) { break }
                h[i] = h[c]
                i = c
            }
            h[i] = e
        }
    }
}
