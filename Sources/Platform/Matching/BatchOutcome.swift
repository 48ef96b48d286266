/// The result of one batch run.
public struct BatchOutcome: Hashable, Sendable {
    /// One per matched bundle, sorted by the bundle's smallest order id.
    public var assignments: [DispatchAssignment]
    /// Pair cost of each assignment (parallel to `assignments`), see `CostWeights`.
    public var assignmentCosts: [Int64]
    /// Orders left for a later batch, ascending.
    public var unassignedOrderIDs: [Int]
    /// Sum of `assignmentCosts`: minimal among all matchings with the most assignments.
    public var totalCost: Int64
    /// Size of the solved problem, for modelling the matching service's work.
    public var bundleCount: Int
    public var courierCount: Int
    /// Bundle-courier pairs that survived radius and candidate-limit pruning.
    public var allowedPairs: Int

    @inlinable
    public init(
        assignments: [DispatchAssignment], assignmentCosts: [Int64], unassignedOrderIDs: [Int], totalCost: Int64,
        bundleCount: Int, courierCount: Int, allowedPairs: Int
    ) {
        self.assignments = assignments
        self.assignmentCosts = assignmentCosts
        self.unassignedOrderIDs = unassignedOrderIDs
        self.totalCost = totalCost
        self.bundleCount = bundleCount
        self.courierCount = courierCount
        self.allowedPairs = allowedPairs
    }
}
