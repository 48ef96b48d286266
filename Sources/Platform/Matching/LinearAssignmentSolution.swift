/// The answer of `LinearAssignmentSolver.solve`.
public struct LinearAssignmentSolution: Hashable, Sendable {
    /// For each row, the matched column, or -1 when the row is unmatched.
    public var columnForRow: [Int]
    /// Number of matched rows: the maximum possible over allowed pairs.
    public var matchCount: Int
    /// Sum of the matched pairs' costs: the minimum among maximum-cardinality matchings.
    public var totalCost: Int64

    @inlinable
    public init(columnForRow: [Int], matchCount: Int, totalCost: Int64) {
        self.columnForRow = columnForRow
        self.matchCount = matchCount
        self.totalCost = totalCost
    }
}
