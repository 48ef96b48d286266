/// How the drop-off order inside a bundle is chosen. Both rules are deterministic.
public enum DropOffSequencing: Hashable, Sendable {
    /// From the restaurant, repeatedly visit the customer with the shortest travel time
    /// from the current stop; ties go to the lower order id. O(n^2).
    case nearestNeighbour
    /// Try every permutation and keep the one with the smallest sum of drop-off times,
    /// which (placement times being fixed) is the smallest total click-to-door. Ties go to
    /// the lexicographically smallest sequence of order ids. O(n! * n); n <= 8.
    case exhaustive
}
