/// Buffers and the shortest-augmenting-path loops, generic over the potential type
/// (Int64 or Int128, see `LinearAssignmentSolver`).
struct _SAPWorkspace<T: FixedWidthInteger & SignedInteger & Sendable>: Sendable {
    var u: [T] = []
    var v: [T] = []
    var dist: [T] = []
    var path: [Int] = []
    var row4col: [Int] = []
    var finalized: [Bool] = []
    var remaining: [Int] = []
    var heap: [(T, Int)] = []
    var touched: [Int] = []
    var visitedRows: [Int] = []
    var finalizedCols: [Int] = []

    static var assignedBit: Int { 1 << 40 }

    /// Binary min-heap on (distance, assigned bit | column): exactly the tie order.
    @inline(__always)
    static func _push(_ h: inout [(T, Int)], _ x: (T, Int)) {
        h.append(x)
        var c = h.count - 1
        while c > 0 {
            let p = (c - 1) / 2
            if h[p].0 < x.0 || (h[p].0 == x.0 && h[p].1 < x.1) { break }
            h[c] = h[p]
            c = p
        }
        h[c] = x
    }

    @inline(__always)
    static func _pop(_ h: inout [(T, Int)]) -> (T, Int) {
        let top = h[0]
        let last = h.removeLast()
        if h.isEmpty { return top }
        var c = 0
        let n = h.count
        while true {
            var m = 2 * c + 1
            if m >= n { break }
            if m + 1 < n && (h[m + 1].0 < h[m].0 || (h[m + 1].0 == h[m].0 && h[m + 1].1 < h[m].1)) { m += 1 }
            if last.0 < h[m].0 || (last.0 == h[m].0 && last.1 < h[m].1) { break }
            h[c] = h[m]
            c = m
        }
        h[c] = last
        return top
    }

    /// The sparse search. Columns 0..<nc are real, nc + i is row i's dummy (cost `big`).
    mutating func run(nr: Int, nc: Int, big: T, start: [Int], adjColumn: [Int32], adjCost: [Int64], col4row: inout [Int]) {
        let total = nc + nr
        let infinity = T.max
        let assignedBit = Self.assignedBit, indexMask = assignedBit - 1
        func reset<E>(_ a: inout [E], _ n: Int, _ x: E) {
            a.removeAll(keepingCapacity: true)
            a.append(contentsOf: repeatElement(x, count: n))
        }
        reset(&u, nr, 0)
        reset(&v, total, 0)
        reset(&dist, total, infinity)
        reset(&path, total, -1)
        reset(&row4col, total, -1)
        reset(&finalized, total, false)
        heap.removeAll(keepingCapacity: true)
        reset(&col4row, nr, -1)
        touched.removeAll(keepingCapacity: true)
        visitedRows.removeAll(keepingCapacity: true)
        finalizedCols.removeAll(keepingCapacity: true)

        start.withUnsafeBufferPointer { start in
        adjColumn.withUnsafeBufferPointer { adjColumn in
        adjCost.withUnsafeBufferPointer { adjCost in
        u.withUnsafeMutableBufferPointer { u in
        v.withUnsafeMutableBufferPointer { v in
        dist.withUnsafeMutableBufferPointer { dist in
        path.withUnsafeMutableBufferPointer { path in
        row4col.withUnsafeMutableBufferPointer { row4col in
        finalized.withUnsafeMutableBufferPointer { finalized in
            // Row reduction: u_i = cheapest pair of row i (a feasible dual with v = 0), and
            // each row takes its cheapest column (lowest index on ties) if still free.
            for i in 0..<nr {
                var bj = Int(adjColumn[start[i]])
                var bc = adjCost[start[i]]
                for e in (start[i] + 1)..<start[i + 1] where adjCost[e] < bc {
                    bc = adjCost[e]
                    bj = Int(adjColumn[e])
                }
                u[i] = T(bc)
                if row4col[bj] < 0 { row4col[bj] = i; col4row[i] = bj }
            }
            for curRow in 0..<nr where col4row[curRow] < 0 {
                var minVal: T = 0
                var i = curRow
                var sink = -1
                while sink < 0 {
                    visitedRows.append(i)
                    // Relax the allowed pairs of row i, then its dummy.
                    let base = minVal &- u[i]  // wrapping ops: bounds proven on the type
                    for e in start[i]..<start[i + 1] {
                        let j = Int(adjColumn[e])
                        if finalized[j] { continue }
                        let r = base &+ T(adjCost[e]) &- v[j]
                        if r < dist[j] {
                            if dist[j] == infinity { touched.append(j) }
                            dist[j] = r
                            path[j] = i
                            Self._push(&heap, (r, row4col[j] >= 0 ? assignedBit | j : j))
                        }
                    }
                    let d = nc + i
                    if !finalized[d] {
                        let r = base &+ big &- v[d]
                        if r < dist[d] {
                            if dist[d] == infinity { touched.append(d) }
                            dist[d] = r
                            path[d] = i
                            Self._push(&heap, (r, d))
                        }
                    }
                    // Finalise the smallest (distance, assigned, index): the heap key, with
                    // stale entries (distance since improved, or finalised) skipped.
                    var top = Self._pop(&heap)
                    while finalized[top.1 & indexMask] || dist[top.1 & indexMask] != top.0 { top = Self._pop(&heap) }
                    let bj = top.1 & indexMask
                    let bd = top.0
                    let bAssigned = top.1 & assignedBit != 0
                    minVal = bd
                    finalized[bj] = true
                    finalizedCols.append(bj)
                    if bAssigned { i = row4col[bj] } else { sink = bj }
                }
                // Dual update (Crouse; scipy rectangular_lsap.cpp `solve`).
                u[curRow] += minVal
                for r in visitedRows where r != curRow { u[r] += minVal - dist[col4row[r]] }
                for c in finalizedCols { v[c] -= minVal - dist[c] }
                // Augment along the path back to curRow.
                var j = sink
                while true {
                    let r = path[j]
                    row4col[j] = r
                    let previous = col4row[r]
                    col4row[r] = j
                    j = previous
                    if r == curRow { break }
                }
                for c in touched { dist[c] = infinity; finalized[c] = false }
                touched.removeAll(keepingCapacity: true)
                heap.removeAll(keepingCapacity: true)
                visitedRows.removeAll(keepingCapacity: true)
                finalizedCols.removeAll(keepingCapacity: true)
            }
        }}}}}}}}}
    }
}
