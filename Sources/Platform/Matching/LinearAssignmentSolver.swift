/// Exact rectangular min-cost bipartite assignment with forbidden pairs: among all
/// matchings that use only allowed pairs, it finds one with the MOST pairs, and among
/// those one of MINIMUM total cost.
///
/// Algorithm: the shortest augmenting path method of Jonker & Volgenant, in the
/// rectangular, initialisation-free form of D. F. Crouse, "On implementing 2D rectangular
/// assignment algorithms", IEEE TAES 52(4), 2016, as implemented by scipy/scipy
/// `scipy/optimize/rectangular_lsap/rectangular_lsap.cpp` (`augmenting_path`, `solve`):
/// dual potentials u (rows) and v (columns), one Dijkstra search over reduced costs per
/// free row, then the dual update and augmentation of that file. Added here: a row
/// reduction start (u_i = cheapest pair of row i, v = 0, each row takes its cheapest column
/// if free: a feasible dual, matched pairs tight), and two interchangeable searches: dense
/// (Crouse's single pass over the matrix row) when at least a quarter of the pairs are
/// allowed, sparse (adjacency lists plus a binary heap) otherwise, so radius-pruned
/// problems cost in proportion to their pairs.
///
/// Cardinality first, exactly: rows and columns without any allowed pair are dropped and
/// the problem is transposed if needed so that rows <= columns (n = rows). Every row also
/// gets a private dummy column ("unmatched") costing `BIG = n * maxAllowedCost + 1`. A full
/// assignment with f rows on dummies costs f * BIG + R with 0 <= R <= n * maxAllowedCost
/// < BIG, so the optimum has the fewest unmatched rows (= a maximum-cardinality matching)
/// and, among those, the least real cost R. Arithmetic is Int64 when (2n + 4) * BIG fits
/// (potentials stay within (n + 3) * BIG: each search is bounded by the row's own dummy,
/// so v falls by at most BIG per row), Int128 otherwise; no Int64 input can overflow it.
///
/// Ties (several optimal matchings): each Dijkstra step finalises the column with the
/// smallest (tentative distance, already assigned ? 1 : 0, column index): free columns
/// first, then the lowest index; a tentative distance is only replaced by a strictly
/// smaller one; the row reduction takes the lowest-index cheapest column; rows are
/// processed in ascending index order. The answer is thus a deterministic function of the
/// set of allowed (row, column, cost) triples, identical for the dense and the sparse
/// search and for both entry points (tested). Callers that sort rows and columns by id
/// (the batch matcher does) get results independent of input order.
///
/// - Complexity: O(n * E log C) (sparse) or O(n^2 C) (dense) worst case, E allowed pairs,
///   C columns; O(E + rows + columns) memory. Typical: 500 x 500 dense about 17 ms, radius-
///   pruned about 10 ms, 4000 x 4000 pruned about 0.35 s (see MatchingBenchmark). Reuse one
///   solver to reuse its buffers.
public struct LinearAssignmentSolver: Sendable {
    /// Marks a pair that must not be matched (dense entry point).
    public static let forbidden: Int64 = .max

    // Compressed sparse rows of the oriented problem.
    var _start: [Int] = []
    var _adjColumn: [Int32] = []
    var _adjCost: [Int64] = []
    var _edges: [LinearAssignmentEdge] = []
    var _activeRows: [Int] = []
    var _activeCols: [Int] = []
    var _rowMap: [Int] = []
    var _colMap: [Int] = []
    var _col4row: [Int] = []
    var _matrix: [Int64] = []
    /// Test hook: nil picks by density; true / false forces the dense / sparse search.
    var _forceDense: Bool? = nil
    var _work64 = _SAPWorkspace<Int64>()
    var _work128 = _SAPWorkspace<Int128>()

    public init() {}

    /// Solves a dense row-major `rows x columns` matrix.
    ///
    /// - Parameter costs: `costs[r * columns + c]` is the cost of pairing row r with column
    ///   c: an integer >= 0, or `LinearAssignmentSolver.forbidden`.
    /// - Precondition: the sum of any `min(rows, columns)` allowed costs fits in Int64.
    public mutating func solve(rows: Int, columns: Int, costs: [Int64]) -> LinearAssignmentSolution {
        precondition(rows >= 0 && columns >= 0 && costs.count == rows * columns, "costs must be rows x columns")
        _edges.removeAll(keepingCapacity: true)
        for r in 0..<rows {
            let base = r * columns
            for c in 0..<columns where costs[base + c] != Self.forbidden {
                _edges.append(LinearAssignmentEdge(row: r, column: c, cost: costs[base + c]))
            }
        }
        return _solveSorted(rows: rows, columns: columns)
    }

    /// Solves a sparse problem given by its allowed pairs (any order; if a pair repeats, its
    /// smallest cost counts). Same answer as the dense entry point for the same pairs.
    ///
    /// - Precondition: 0 <= row < rows, 0 <= column < columns, cost >= 0, and the sum of any
    ///   `min(rows, columns)` costs fits in Int64.
    public mutating func solve(rows: Int, columns: Int, edges: [LinearAssignmentEdge]) -> LinearAssignmentSolution {
        precondition(rows >= 0 && columns >= 0, "negative size")
        _edges.removeAll(keepingCapacity: true)
        _edges.append(contentsOf: edges)
        var ordered = true
        for k in _edges.indices.dropFirst() where (_edges[k - 1].row, _edges[k - 1].column) >= (_edges[k].row, _edges[k].column) {
            ordered = false
            break
        }
        if !ordered { _edges.sort { ($0.row, $0.column, $0.cost) < ($1.row, $1.column, $1.cost) } }
        var w = 0
        for e in _edges {
            precondition(e.row >= 0 && e.row < rows && e.column >= 0 && e.column < columns, "edge out of range")
            if w > 0 && _edges[w - 1].row == e.row && _edges[w - 1].column == e.column { continue }  // keep the cheapest
            _edges[w] = e
            w += 1
        }
        _edges.removeLast(_edges.count - w)
        return _solveSorted(rows: rows, columns: columns)
    }

    /// `_edges` sorted by (row, column), unique, all allowed.
    mutating func _solveSorted(rows: Int, columns: Int) -> LinearAssignmentSolution {
        var columnForRow = [Int](repeating: -1, count: rows)
        _rowMap.removeAll(keepingCapacity: true)
        _rowMap.append(contentsOf: repeatElement(-1, count: rows))
        _colMap.removeAll(keepingCapacity: true)
        _colMap.append(contentsOf: repeatElement(-1, count: columns))
        _activeRows.removeAll(keepingCapacity: true)
        _activeCols.removeAll(keepingCapacity: true)
        var maxCost: Int64 = 0
        for e in _edges {
            precondition(e.cost >= 0 && e.cost != Self.forbidden, "costs must be non-negative and allowed")
            if e.cost > maxCost { maxCost = e.cost }
            if _rowMap[e.row] < 0 { _rowMap[e.row] = 0; _activeRows.append(e.row) }  // rows arrive sorted
            _colMap[e.column] = 0
        }
        if _activeRows.isEmpty { return LinearAssignmentSolution(columnForRow: columnForRow, matchCount: 0, totalCost: 0) }
        for c in 0..<columns where _colMap[c] == 0 { _colMap[c] = _activeCols.count; _activeCols.append(c) }
        for (k, r) in _activeRows.enumerated() { _rowMap[r] = k }

        let transposed = _activeRows.count > _activeCols.count
        let nr = transposed ? _activeCols.count : _activeRows.count
        let nc = transposed ? _activeRows.count : _activeCols.count
        precondition(nc + nr < Int(Int32.max), "problem too large")
        // Compressed sparse rows, columns ascending within each row.
        _start.removeAll(keepingCapacity: true)
        _start.append(contentsOf: repeatElement(0, count: nr + 1))
        _adjColumn.removeAll(keepingCapacity: true)
        _adjColumn.append(contentsOf: repeatElement(0, count: _edges.count))
        _adjCost.removeAll(keepingCapacity: true)
        _adjCost.append(contentsOf: repeatElement(0, count: _edges.count))
        for e in _edges { _start[(transposed ? _colMap[e.column] : _rowMap[e.row]) + 1] += 1 }
        for i in 0..<nr { _start[i + 1] += _start[i] }
        var fill = Array(_start[0..<nr])
        for e in _edges {  // sorted by (row, column): a stable scatter keeps each list ascending
            let (i, j) = transposed ? (_colMap[e.column], _rowMap[e.row]) : (_rowMap[e.row], _colMap[e.column])
            _adjColumn[fill[i]] = Int32(j)
            _adjCost[fill[i]] = e.cost
            fill[i] += 1
        }
        // Both searches make the same decisions; the dense one scans a row as a matrix
        // line (one pass per step), the sparse one walks adjacency lists.
        let dense = _forceDense ?? (_edges.count * 4 >= nr * nc)
        if dense {
            _matrix.removeAll(keepingCapacity: true)
            _matrix.append(contentsOf: repeatElement(Self.forbidden, count: nr * nc))
            for i in 0..<nr {
                for e in _start[i]..<_start[i + 1] { _matrix[i * nc + Int(_adjColumn[e])] = _adjCost[e] }
            }
        }
        let big = Int128(maxCost) * Int128(nr) + 1
        if Int128(2 * nr + 4) * big < Int128(Int64.max) {
            if dense {
                _work64.runDense(nr: nr, nc: nc, big: Int64(big), matrix: _matrix, col4row: &_col4row)
            } else {
                _work64.run(nr: nr, nc: nc, big: Int64(big), start: _start, adjColumn: _adjColumn, adjCost: _adjCost, col4row: &_col4row)
            }
        } else {
            if dense {
                _work128.runDense(nr: nr, nc: nc, big: big, matrix: _matrix, col4row: &_col4row)
            } else {
                _work128.run(nr: nr, nc: nc, big: big, start: _start, adjColumn: _adjColumn, adjCost: _adjCost, col4row: &_col4row)
            }
        }
        var matches = 0
        var total: Int64 = 0
        for i in 0..<nr {
            let j = _col4row[i]
            if j >= nc { continue }  // on its dummy: unmatched
            let (row, col) = transposed ? (_activeRows[j], _activeCols[i]) : (_activeRows[i], _activeCols[j])
            columnForRow[row] = col
            matches += 1
            var cost: Int64 = -1
            for e in _start[i]..<_start[i + 1] where Int(_adjColumn[e]) == j { cost = _adjCost[e]; break }
            let (s, overflow) = total.addingReportingOverflow(cost)
            precondition(!overflow, "total cost overflows Int64")
            total = s
        }
        return LinearAssignmentSolution(columnForRow: columnForRow, matchCount: matches, totalCost: total)
    }
}
