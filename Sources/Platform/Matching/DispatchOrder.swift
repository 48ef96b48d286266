/// An open order waiting for a courier.
///
/// Fields follow grubhub/mdrplib `orders.txt` (order, x, y, placement_time, restaurant,
/// ready_time), with times as integer nanoseconds instead of minutes and the restaurant's
/// position carried on the order so no lookup table is needed on the hot path.
public struct DispatchOrder: Hashable, Sendable {
    /// Unique order id; the deterministic tie-breaker wherever orders are ranked.
    public var id: Int
    public var restaurantID: Int
    public var restaurantPosition: DispatchPosition
    public var customerPosition: DispatchPosition
    /// When the customer placed the order ("click").
    public var placedAt: Instant
    /// When the food is (predicted to be) ready for pickup.
    public var readyAt: Instant

    @inlinable
    public init(
        id: Int, restaurantID: Int, restaurantPosition: DispatchPosition,
        customerPosition: DispatchPosition, placedAt: Instant, readyAt: Instant
    ) {
        self.id = id
        self.restaurantID = restaurantID
        self.restaurantPosition = restaurantPosition
        self.customerPosition = customerPosition
        self.placedAt = placedAt
        self.readyAt = readyAt
    }
}
