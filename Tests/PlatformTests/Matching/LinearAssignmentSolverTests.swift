import Testing
@testable import Platform

/// The exact solver against exhaustive enumeration of every matching.
@Suite struct LinearAssignmentSolverTests {
    static let F = LinearAssignmentSolver.forbidden

    /// Best (most pairs, then least cost) over all matchings using allowed pairs, by
    /// trying every choice for every row (skip, or any unused allowed column).
    static func bruteForce(rows: Int, columns: Int, costs: [Int64]) -> (count: Int, cost: Int64) {
        var used = [Bool](repeating: false, count: columns)
        var best = (count: 0, cost: Int64(0))
        func visit(_ r: Int, _ count: Int, _ cost: Int64) {
            if r == rows {
                if count > best.count || (count == best.count && cost < best.cost) { best = (count, cost) }
                return
            }
            visit(r + 1, count, cost)
            for c in 0..<columns where !used[c] && costs[r * columns + c] != F {
                used[c] = true
                visit(r + 1, count + 1, cost + costs[r * columns + c])
                used[c] = false
            }
        }
        visit(0, 0, 0)
        return best
    }

    /// The answer is a valid matching whose reported numbers are its own.
    static func checkValid(_ s: LinearAssignmentSolution, rows: Int, columns: Int, costs: [Int64]) {
        #expect(s.columnForRow.count == rows)
        var seen = Set<Int>()
        var count = 0
        var total: Int64 = 0
        for r in 0..<rows where s.columnForRow[r] >= 0 {
            let c = s.columnForRow[r]
            #expect(c < columns)
            #expect(costs[r * columns + c] != F, "forbidden pair used")
            #expect(seen.insert(c).inserted, "column used twice")
            count += 1
            total += costs[r * columns + c]
        }
        #expect(count == s.matchCount)
        #expect(total == s.totalCost)
    }

    static let cases: [(UInt64, Int64)] = [(1, 3), (2, 10), (3, 1_000_000_000_000), (4, Int64.max / 16)]

    @Test(arguments: cases)
    func matchesBruteForceOnRandomRectangularInstances(seed: UInt64, maxCost: Int64) {
        var rng = MatchingRNG(seed: seed)
        var solver = LinearAssignmentSolver()
        for _ in 0..<1500 {
            let rows = Int.random(in: 0...6, using: &rng)
            let columns = Int.random(in: 0...6, using: &rng)
            let forbiddenShare = [0.0, 0.3, 0.6, 0.9].randomElement(using: &rng)!
            let costs = (0..<(rows * columns)).map { _ in
                Double.random(in: 0..<1, using: &rng) < forbiddenShare ? Self.F : Int64.random(in: 0...maxCost, using: &rng)
            }
            let b = Self.bruteForce(rows: rows, columns: columns, costs: costs)
            for mode in [nil, true, false] as [Bool?] {  // automatic, dense search, sparse search
                solver._forceDense = mode
                let s = solver.solve(rows: rows, columns: columns, costs: costs)
                Self.checkValid(s, rows: rows, columns: columns, costs: costs)
                #expect(s.matchCount == b.count, "rows \(rows) cols \(columns) costs \(costs)")
                #expect(s.totalCost == b.cost, "rows \(rows) cols \(columns) costs \(costs)")
            }
        }
    }

    /// A row-by-row solver that skips rows without an augmenting path would keep row 0
    /// (cost 100); the optimum among maximum matchings serves row 1 (cost 1).
    @Test func prefersCheaperRowWhenRowsCompete() {
        var solver = LinearAssignmentSolver()
        let s = solver.solve(rows: 2, columns: 1, costs: [100, 1])
        #expect(s.columnForRow == [-1, 0])
        #expect(s.totalCost == 1)
    }

    /// Cardinality beats cost: two cheap-looking pairs on one column lose to a full matching.
    @Test func cardinalityBeforeCost() {
        var solver = LinearAssignmentSolver()
        let s = solver.solve(rows: 2, columns: 2, costs: [0, 1_000_000, 0, Self.F])
        #expect(s.matchCount == 2)
        #expect(s.columnForRow == [1, 0])
        #expect(s.totalCost == 1_000_000)
    }

    @Test func emptyAndAllForbidden() {
        var solver = LinearAssignmentSolver()
        #expect(solver.solve(rows: 0, columns: 4, costs: []).matchCount == 0)
        #expect(solver.solve(rows: 3, columns: 0, costs: []).columnForRow == [-1, -1, -1])
        let s = solver.solve(rows: 2, columns: 2, costs: [Self.F, Self.F, Self.F, Self.F])
        #expect(s.matchCount == 0 && s.columnForRow == [-1, -1] && s.totalCost == 0)
    }

    /// Same matrix -> same answer; permuted rows/columns -> same optimal value.
    @Test func deterministicAndPermutationInvariantValue() {
        var rng = MatchingRNG(seed: 99)
        var solver = LinearAssignmentSolver()
        for _ in 0..<200 {
            let rows = Int.random(in: 1...12, using: &rng), columns = Int.random(in: 1...12, using: &rng)
            let costs = (0..<(rows * columns)).map { _ in
                Bool.random(using: &rng) ? Self.F : Int64.random(in: 0...4, using: &rng)
            }
            let a = solver.solve(rows: rows, columns: columns, costs: costs)
            var fresh = LinearAssignmentSolver()
            #expect(fresh.solve(rows: rows, columns: columns, costs: costs) == a)
            let rp = Array(0..<rows).shuffled(using: &rng), cp = Array(0..<columns).shuffled(using: &rng)
            var permuted = [Int64](repeating: 0, count: rows * columns)
            for r in 0..<rows { for c in 0..<columns { permuted[r * columns + c] = costs[rp[r] * columns + cp[c]] } }
            let b = solver.solve(rows: rows, columns: columns, costs: permuted)
            #expect(a.matchCount == b.matchCount && a.totalCost == b.totalCost)
        }
    }

    /// The dense and the sparse search make identical decisions (documented tie rule), and
    /// the edge-list entry point equals the matrix one.
    @Test func denseAndSparseSearchesAgreeExactly() {
        var rng = MatchingRNG(seed: 123)
        for k in 0..<600 {
            let rows = Int.random(in: 0...25, using: &rng), columns = Int.random(in: 0...25, using: &rng)
            let share = [0.0, 0.5, 0.9][k % 3]
            let maxCost: Int64 = [2, 50, Int64.max / 64][k % 3]
            let costs = (0..<(rows * columns)).map { _ in
                Double.random(in: 0..<1, using: &rng) < share ? Self.F : Int64.random(in: 0...maxCost, using: &rng)
            }
            var dense = LinearAssignmentSolver(), sparse = LinearAssignmentSolver(), auto = LinearAssignmentSolver()
            dense._forceDense = true
            sparse._forceDense = false
            let a = dense.solve(rows: rows, columns: columns, costs: costs)
            let b = sparse.solve(rows: rows, columns: columns, costs: costs)
            #expect(a == b, "instance \(k)")
            var edges: [LinearAssignmentEdge] = []
            for r in 0..<rows { for c in 0..<columns where costs[r * columns + c] != Self.F {
                edges.append(LinearAssignmentEdge(row: r, column: c, cost: costs[r * columns + c]))
                if Bool.random(using: &rng) { edges.append(LinearAssignmentEdge(row: r, column: c, cost: costs[r * columns + c] + 1)) }
            } }
            #expect(auto.solve(rows: rows, columns: columns, edges: edges.shuffled(using: &rng)) == a)
        }
    }
}
