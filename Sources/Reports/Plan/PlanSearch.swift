/// The cheapest configuration of the varied resources for which every SLO holds, at one
/// demand level, found with few evaluations by exploiting monotonicity (more of a resource
/// never makes an SLO worse), then checked.
///
/// 1. All resources at their largest value; if that fails, the level is infeasible and
///    the failing SLOs (with their bounds) say why.
/// 2. Coordinate descent: for each resource in turn, bisection for its smallest value that
///    still holds with the others fixed; passes repeat until none moves (at most 4).
///    O(Σ log |values|) evaluations per pass instead of Π |values|.
/// 3. Verification: each resource one and two steps lower must fail (the binding resource
///    is the one whose step down fails by the most). Every evaluation is cached, and the cache is
///    scanned for a pair that contradicts monotonicity (A ≤ B componentwise, A holds, B
///    fails). A failed verification or a contradiction falls back to the full local grid
///    of ±2 steps around the answer (cheapest that holds), and the result says so.
///
/// Deterministic: the order of evaluations depends only on the verdicts, so the answer
/// and the run count do not depend on threads.
public struct PlanSearch {
    public typealias Evaluate = (_ values: [Int]) -> PlanEvaluation

    public struct Result: Sendable, Equatable {
        /// Resource values of the answer (the largest values when infeasible).
        public var values: [Int]
        public var evaluation: PlanEvaluation
        public var feasible: Bool
        /// Index of the binding resource (one step less fails by the most); nil when every
        /// resource is at its smallest value or the level is infeasible.
        public var limitingResource: Int?
        /// The verdicts one step below on the limiting resource (what fails there).
        public var belowLimit: PlanEvaluation?
        /// Monotonicity failed and the local grid decided; with the contradiction found.
        public var fallback: String?
        public var evaluations: Int
        public var runs: Int
    }

    public let resources: [PlanResource]
    let evaluate: Evaluate
    private var cache: [[Int]: PlanEvaluation] = [:]
    /// Evaluated configurations in evaluation order (the cache is only read by key).
    private var order: [[Int]] = []

    public init(resources: [PlanResource], evaluate: @escaping Evaluate) {
        self.resources = resources
        self.evaluate = evaluate
    }

    /// Indices → values → evaluation, cached.
    mutating func eval(_ idx: [Int]) -> PlanEvaluation {
        if let e = cache[idx] { return e }
        let e = evaluate(zip(resources, idx).map { $0.values[$1] })
        cache[idx] = e
        order.append(idx)
        return e
    }

    func cost(_ idx: [Int], _ e: PlanEvaluation) -> Double {
        e.costPerHour.isFinite ? e.costPerHour : Double(zip(resources, idx).map { $0.values[$1] }.reduce(0, +))
    }

    public mutating func run() -> Result {
        let top = resources.map { $0.values.count - 1 }
        let topEval = eval(top)
        guard topEval.feasible else { return finish(top, feasible: false, fallback: nil) }
        var cur = top
        for _ in 0..<4 {
            var moved = false
            for r in resources.indices {
                var lo = -1, hi = cur[r]   // hi holds; lo fails (or is below the range)
                // Start from what the cache already knows along this line.
                for j in stride(from: hi - 1, through: 0, by: -1) {
                    var probe = cur
                    probe[r] = j
                    guard let known = cache[probe] else { continue }
                    if known.feasible { hi = j } else { lo = j; break }
                }
                while hi - lo > 1 {
                    let mid = (lo + hi) / 2
                    var probe = cur
                    probe[r] = mid
                    if eval(probe).feasible { hi = mid } else { lo = mid }
                }
                if hi != cur[r] { cur[r] = hi; moved = true }
            }
            if !moved || resources.count == 1 { break }
        }
        // Verification: one step less of each resource fails.
        var contradiction: String?
        // One step less must fail; two steps less is probed too, since a dip just below the
        // boundary is the usual way monotonicity fails (and bisection alone cannot see it).
        for r in resources.indices {
            for step in 1...2 where cur[r] - step >= 0 && contradiction == nil {
                var probe = cur
                probe[r] -= step
                if eval(probe).feasible {
                    contradiction = "\(resources[r].label) = \(resources[r].values[probe[r]]) also holds (\(step) step\(step == 1 ? "" : "s") below the answer)"
                }
            }
        }
        if contradiction == nil { contradiction = monotonicityViolation() }
        guard let why = contradiction else { return finish(cur, feasible: true, fallback: nil) }
        // Local grid of ±2 steps around the answer.
        var best = cur
        var bestCost = cost(cur, eval(cur))
        let ranges = resources.indices.map { r in max(0, cur[r] - 2)...min(top[r], cur[r] + 2) }
        var idx = ranges.map(\.lowerBound)
        while true {
            let e = eval(idx)
            if e.feasible {
                let c = cost(idx, e)
                if c < bestCost || (c == bestCost && idx.lexicographicallyPrecedes(best)) { best = idx; bestCost = c }
            }
            var k = resources.count - 1
            while k >= 0 {
                if idx[k] < ranges[k].upperBound { idx[k] += 1; break }
                idx[k] = ranges[k].lowerBound
                k -= 1
            }
            if k < 0 { break }
        }
        return finish(best, feasible: true, fallback: "monotonicity failed (\(why)); the cheapest configuration in the local grid of ±2 steps was taken")
    }

    /// The first pair of cached evaluations where more resources did worse, or nil.
    /// - Complexity: O(n² · k) over the n cached configurations.
    func monotonicityViolation() -> String? {
        for a in order where cache[a]!.feasible {
            for b in order where !cache[b]!.feasible && b != a && zip(a, b).allSatisfy({ $0 <= $1 }) {
                let show = { (i: [Int]) in zip(self.resources, i).map { "\($0.label)=\($0.values[$1])" }.joined(separator: ", ") }
                return "\(show(a)) holds but \(show(b)) fails"
            }
        }
        return nil
    }

    mutating func finish(_ idx: [Int], feasible: Bool, fallback: String?) -> Result {
        let e = eval(idx)
        var limiting: Int?
        var below: PlanEvaluation?
        if feasible {
            var worst = Double.infinity
            for r in resources.indices where idx[r] > 0 {
                var probe = idx
                probe[r] -= 1
                let p = eval(probe)
                let m = p.binding?.margin ?? 0
                if !p.feasible && (limiting == nil || m < worst) { limiting = r; worst = m; below = p }
            }
        }
        let evaluations = order.count
        let runs = order.reduce(0) { $0 + cache[$1]!.runs }
        return Result(values: zip(resources, idx).map { $0.values[$1] }, evaluation: e, feasible: feasible,
                      limitingResource: limiting, belowLimit: below, fallback: fallback, evaluations: evaluations, runs: runs)
    }
}
