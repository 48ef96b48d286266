/// One allowed pair of a sparse assignment problem (`LinearAssignmentSolver.solve(rows:columns:edges:)`).
public struct LinearAssignmentEdge: Hashable, Sendable {
    public var row: Int
    public var column: Int
    /// Cost of matching `row` with `column`, >= 0.
    public var cost: Int64

    @inlinable
    public init(row: Int, column: Int, cost: Int64) {
        self.row = row
        self.column = column
        self.cost = cost
    }
}
