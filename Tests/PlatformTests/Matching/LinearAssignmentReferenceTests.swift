import CapsimTestSupport
import Testing
import Platform

/// The solver against independent exact implementations on instances too big to enumerate:
/// an in-test min-cost max-flow, scipy's `linear_sum_assignment` (the same algorithm family,
/// an independent implementation) and networkx's blossom `max_weight_matching` with
/// `maxcardinality=True` (a different algorithm; integer weights K - cost make "maximum
/// weight among maximum-cardinality matchings" equal "minimum cost among them").
@Suite struct LinearAssignmentReferenceTests {
    static let F = LinearAssignmentSolver.forbidden

    /// Min-cost max-flow by successive shortest paths with Bellman-Ford from a super source
    /// over all free rows at once: textbook, slow, and structurally unlike the solver.
    static func minCostMaxFlow(rows: Int, columns: Int, costs: [Int64]) -> (count: Int, cost: Int64) {
        var rowOf = [Int](repeating: -1, count: columns)  // column -> matched row
        var colOf = [Int](repeating: -1, count: rows)
        var total: Int64 = 0
        var count = 0
        while true {
            // Nodes: rows 0..<R, columns R..<R+C. dist from super source (0 to free rows).
            let n = rows + columns
            var dist = [Int64?](repeating: nil, count: n)
            var prev = [Int](repeating: -1, count: n)
            for r in 0..<rows where colOf[r] == -1 { dist[r] = 0 }
            var changed = true
            while changed {
                changed = false
                for r in 0..<rows {
                    guard let dr = dist[r] else { continue }
                    for c in 0..<columns where costs[r * columns + c] != F && colOf[r] != c {
                        let nd = dr + costs[r * columns + c]
                        if dist[rows + c] == nil || nd < dist[rows + c]! { dist[rows + c] = nd; prev[rows + c] = r; changed = true }
                    }
                }
                for c in 0..<columns {
                    let r = rowOf[c]
                    guard r >= 0, let dc = dist[rows + c] else { continue }
                    let nd = dc - costs[r * columns + c]
                    if dist[r] == nil || nd < dist[r]! { dist[r] = nd; prev[r] = rows + c; changed = true }
                }
            }
            var sink = -1
            for c in 0..<columns where rowOf[c] == -1 {
                if let d = dist[rows + c], sink == -1 || d < dist[rows + sink]! { sink = c }
            }
            if sink == -1 { return (count, total) }
            total += dist[rows + sink]!
            count += 1
            var c = sink
            while true {
                let r = prev[rows + c]
                let old = colOf[r]
                colOf[r] = c
                rowOf[c] = r
                if old == -1 { break }
                c = old
            }
        }
    }

    static func randomInstance(_ rng: inout MatchingRNG, maxRows: Int, maxColumns: Int, forbiddenShare: Double,
                               maxCost: Int64) -> (Int, Int, [Int64]) {
        let rows = Int.random(in: 1...maxRows, using: &rng), columns = Int.random(in: 1...maxColumns, using: &rng)
        let costs = (0..<(rows * columns)).map { _ in
            Double.random(in: 0..<1, using: &rng) < forbiddenShare ? F : Int64.random(in: 0...maxCost, using: &rng)
        }
        return (rows, columns, costs)
    }

    @Test func matchesMinCostMaxFlow() {
        var rng = MatchingRNG(seed: 7)
        var solver = LinearAssignmentSolver()
        for k in 0..<300 {
            let (r, c, costs) = Self.randomInstance(&rng, maxRows: 30, maxColumns: 30,
                forbiddenShare: [0, 0.5, 0.85, 0.95][k % 4], maxCost: [5, 1000, 1 << 40][k % 3])
            let s = solver.solve(rows: r, columns: c, costs: costs)
            let ref = Self.minCostMaxFlow(rows: r, columns: c, costs: costs)
            #expect(s.matchCount == ref.count && s.totalCost == ref.cost, "instance \(k): \(r)x\(c)")
        }
    }

    static func encode(_ instances: [(Int, Int, [Int64])]) -> String {
        var out = "\(instances.count)\n"
        for (r, c, costs) in instances {
            out += "\(r) \(c)\n"
            for i in 0..<r {
                out += (0..<c).map { costs[i * c + $0] == F ? "-1" : String(costs[i * c + $0]) }.joined(separator: " ") + "\n"
            }
        }
        return out
    }

    static let reader = """
    import sys
    tok = sys.stdin.read().split(); p = 0
    def nxt():
        global p; p += 1; return int(tok[p - 1])
    inst = []
    for _ in range(nxt()):
        r, c = nxt(), nxt()
        inst.append((r, c, [[nxt() for _ in range(c)] for _ in range(r)]))

    """

    @Test(.enabled(if: RealSystems.canRunPython("numpy, scipy"), "python3 with numpy and scipy not found (set CAPSIM_PYTHON)"))
    func matchesScipyLinearSumAssignmentOnDenseMatrices() throws {
        var rng = MatchingRNG(seed: 11)
        var instances: [(Int, Int, [Int64])] = []
        for k in 0..<300 { instances.append(Self.randomInstance(&rng, maxRows: 40, maxColumns: 40, forbiddenShare: 0, maxCost: [3, 100, 1_000_000_000_000][k % 3])) }
        for _ in 0..<3 { instances.append(Self.randomInstance(&rng, maxRows: 300, maxColumns: 300, forbiddenShare: 0, maxCost: 1_000_000)) }
        let script = Self.reader + """
        import numpy as np
        from scipy.optimize import linear_sum_assignment
        for r, c, m in inst:
            a = np.array(m, dtype=np.float64)
            ri, ci = linear_sum_assignment(a)
            print(len(ri), sum(m[i][j] for i, j in zip(ri, ci)))
        """
        guard let out = try MatchingFixtures.python(script, input: Self.encode(instances), needs: "numpy, scipy") else { return }
        let lines = out.split(separator: "\n")
        #expect(lines.count == instances.count)
        var solver = LinearAssignmentSolver()
        var mismatches = 0
        for (k, (r, c, costs)) in instances.enumerated() where k < lines.count {
            let s = solver.solve(rows: r, columns: c, costs: costs)
            let f = lines[k].split(separator: " ").map { Int64($0)! }
            if Int64(s.matchCount) != f[0] || s.totalCost != f[1] { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) of \(instances.count) instances differ from scipy")
    }

    @Test(.enabled(if: RealSystems.canRunPython("networkx"), "python3 with networkx not found (set CAPSIM_PYTHON)"))
    func matchesNetworkxMaxCardinalityMatchingOnSparseMatrices() throws {
        var rng = MatchingRNG(seed: 13)
        var instances: [(Int, Int, [Int64])] = []
        for k in 0..<150 { instances.append(Self.randomInstance(&rng, maxRows: 25, maxColumns: 25, forbiddenShare: [0.6, 0.85, 0.95][k % 3], maxCost: [3, 1000, 1 << 40][k % 3])) }
        let script = Self.reader + """
        import networkx as nx
        for r, c, m in inst:
            K = 1 + max([x for row in m for x in row if x >= 0], default=0)
            G = nx.Graph()
            for i in range(r):
                for j in range(c):
                    if m[i][j] >= 0:
                        G.add_edge(('r', i), ('c', j), weight=K - m[i][j])
            M = nx.max_weight_matching(G, maxcardinality=True)
            cost = 0
            for a, b in M:
                (ri, ci) = (a[1], b[1]) if a[0] == 'r' else (b[1], a[1])
                cost += m[ri][ci]
            print(len(M), cost)
        """
        guard let out = try MatchingFixtures.python(script, input: Self.encode(instances), needs: "networkx") else { return }
        let lines = out.split(separator: "\n")
        #expect(lines.count == instances.count)
        var solver = LinearAssignmentSolver()
        var mismatches = 0
        for (k, (r, c, costs)) in instances.enumerated() where k < lines.count {
            let s = solver.solve(rows: r, columns: c, costs: costs)
            let f = lines[k].split(separator: " ").map { Int64($0)! }
            if Int64(s.matchCount) != f[0] || s.totalCost != f[1] { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) of \(instances.count) instances differ from networkx")
    }
}
