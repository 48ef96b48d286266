/// A courier offered to the batch matcher.
///
/// `availableAt` lets a caller include couriers that are about to become free (Deliveroo's
/// "Frank" and Swiggy's dispatcher both consider them: Deliveroo's rider pages on how orders
/// are offered, and Swiggy CTO Dale Vaz's 2022 interview with Purple Quarter);
/// an idle courier has `availableAt <= now`.
public struct DispatchCourier: Hashable, Sendable {
    /// Unique courier id; the deterministic tie-breaker wherever couriers are ranked.
    public var id: Int
    /// Where the courier is (or will be when it becomes free).
    public var position: DispatchPosition
    /// Earliest instant the courier can start towards a restaurant.
    public var availableAt: Instant

    @inlinable
    public init(id: Int, position: DispatchPosition, availableAt: Instant = .min) {
        self.id = id
        self.position = position
        self.availableAt = availableAt
    }
}
