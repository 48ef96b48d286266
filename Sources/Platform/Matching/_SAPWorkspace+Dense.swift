extension _SAPWorkspace {
    /// The same search as `run`, on a dense `nr x nc` matrix (`forbidden` = no pair): relaxing
    /// row i and finding the next column to finalise share one pass over the unfinalised
    /// real columns (Crouse's loop), dummies are kept in a short list of their own.
    mutating func runDense(nr: Int, nc: Int, big: T, matrix: [Int64], col4row: inout [Int]) {
        let total = nc + nr
        let infinity = T.max
        let forbidden = LinearAssignmentSolver.forbidden
        func reset<E>(_ a: inout [E], _ n: Int, _ x: E) {
            a.removeAll(keepingCapacity: true)
            a.append(contentsOf: repeatElement(x, count: n))
        }
        reset(&u, nr, 0)
        reset(&v, total, 0)
        reset(&dist, total, infinity)
        reset(&path, total, -1)
        reset(&row4col, total, -1)
        reset(&col4row, nr, -1)
        reset(&remaining, nc, 0)  // the unfinalised real columns
        touched.removeAll(keepingCapacity: true)  // dummies touched in this phase
        visitedRows.removeAll(keepingCapacity: true)
        finalizedCols.removeAll(keepingCapacity: true)

        matrix.withUnsafeBufferPointer { cost in
        u.withUnsafeMutableBufferPointer { u in
        v.withUnsafeMutableBufferPointer { v in
        dist.withUnsafeMutableBufferPointer { dist in
        path.withUnsafeMutableBufferPointer { path in
        row4col.withUnsafeMutableBufferPointer { row4col in
        self.remaining.withUnsafeMutableBufferPointer { remaining in
            for i in 0..<nr {  // the same row reduction as `run`
                var bj = -1
                var bc = forbidden
                for j in 0..<nc where cost[i * nc + j] < bc {
                    bc = cost[i * nc + j]
                    bj = j
                }
                u[i] = T(bc)
                if row4col[bj] < 0 { row4col[bj] = i; col4row[i] = bj }
            }
            for curRow in 0..<nr where col4row[curRow] < 0 {
                for j in 0..<nc { remaining[j] = j; dist[j] = infinity }
                var numRemaining = nc
                var dummies = 0  // touched[0..<dummies]: unfinalised dummies of visited rows
                var minVal: T = 0
                var i = curRow
                var sink = -1
                while sink < 0 {
                    visitedRows.append(i)
                    let base = minVal &- u[i]  // wrapping ops: bounds proven on the type
                    let rowBase = i * nc
                    var k = -1
                    var bj = Int.max
                    var bd = infinity
                    var bAssigned = true
                    for q in 0..<numRemaining {
                        let j = remaining[q]
                        let x = cost[rowBase + j]
                        var dj = dist[j]
                        if x != forbidden {
                            let r = base &+ T(x) &- v[j]
                            if r < dj { dj = r; dist[j] = r; path[j] = i }
                        }
                        if dj > bd { continue }
                        let aj = row4col[j] >= 0
                        if dj < bd || (!aj && bAssigned) || (aj == bAssigned && j < bj) {
                            k = q; bj = j; bd = dj; bAssigned = aj
                        }
                    }
                    let d = nc + i
                    let r = base &+ big &- v[d]
                    if r < dist[d] {
                        if dist[d] == infinity {
                            if dummies < touched.count { touched[dummies] = d } else { touched.append(d) }
                            dummies += 1
                        }
                        dist[d] = r
                        path[d] = i
                    }
                    var dummySlot = -1
                    for q in 0..<dummies {
                        let j = touched[q]
                        let dj = dist[j]
                        if dj < bd || (dj == bd && (bAssigned || j < bj)) {  // dummies are free
                            dummySlot = q; bj = j; bd = dj; bAssigned = false
                        }
                    }
                    if dummySlot >= 0 {
                        dummies -= 1
                        touched[dummySlot] = touched[dummies]
                    } else {
                        numRemaining -= 1
                        remaining[k] = remaining[numRemaining]
                    }
                    minVal = bd
                    finalizedCols.append(bj)
                    if bAssigned { i = row4col[bj] } else { sink = bj }
                }
                u[curRow] += minVal
                for r in visitedRows where r != curRow { u[r] += minVal - dist[col4row[r]] }
                for c in finalizedCols { v[c] -= minVal - dist[c] }
                var j = sink
                while true {
                    let r = path[j]
                    row4col[j] = r
                    let previous = col4row[r]
                    col4row[r] = j
                    j = previous
                    if r == curRow { break }
                }
                for q in 0..<dummies { dist[touched[q]] = infinity }
                for c in finalizedCols where c >= nc { dist[c] = infinity }
                visitedRows.removeAll(keepingCapacity: true)
                finalizedCols.removeAll(keepingCapacity: true)
            }
        }}}}}}}
        touched.removeAll(keepingCapacity: true)
    }
}
