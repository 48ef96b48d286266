/// A courier's planned trip for one bundle: the matchers' output.
///
/// Timeline (integer nanoseconds):
///
///     departureAt = max(now, courier.availableAt)
///     arrivalAt   = departureAt + travel(courier, restaurant) + service.pickupOnArrival
///     pickupAt    = max(arrivalAt, latest ready time of the bundle)
///     dropoffAt[i]= pickupAt + bundle.dropoffOffsets[i]
///     completionAt= pickupAt + bundle.completionOffset
///
/// With `ServiceDurations.mdrp` this is the MDRP timing of idea-iitd/FoodMatch
/// `GrubHub/include/mdrp_assignment.cpp` (`get_profit_vals`), and `pickupAt` satisfies the
/// "pickup >= ready time" rule of grubhub/mdrplib `compute_performance_summary.py`.
public struct DispatchAssignment: Hashable, Sendable {
    public var courierID: Int
    public var restaurantID: Int
    /// Order ids in drop-off sequence.
    public var orderIDs: [Int]
    /// When the courier starts towards the restaurant.
    public var departureAt: Instant
    /// When the courier is at the counter (after the arrival part of the pickup service).
    public var arrivalAt: Instant
    /// Planned pickup: max(arrivalAt, latest ready time).
    public var pickupAt: Instant
    /// Planned hand-over time of each order, parallel to `orderIDs`.
    public var dropoffAt: [Instant]
    /// When the courier leaves the last customer and is free again.
    public var completionAt: Instant

    @inlinable
    public init(
        courierID: Int, restaurantID: Int, orderIDs: [Int], departureAt: Instant, arrivalAt: Instant,
        pickupAt: Instant, dropoffAt: [Instant], completionAt: Instant
    ) {
        self.courierID = courierID
        self.restaurantID = restaurantID
        self.orderIDs = orderIDs
        self.departureAt = departureAt
        self.arrivalAt = arrivalAt
        self.pickupAt = pickupAt
        self.dropoffAt = dropoffAt
        self.completionAt = completionAt
    }

    /// Plans `bundle` for `courier` starting no earlier than `now`.
    ///
    /// - Complexity: O(bundle size) plus one travel-time evaluation.
    @inlinable
    public init<T: TravelModel>(courier: DispatchCourier, bundle: DispatchBundle, now: Instant, travel: T) {
        let departure = max(now, courier.availableAt)
        let arrival = departure + travel.travelTime(from: courier.position, to: bundle.restaurantPosition)
            + bundle.service.pickupOnArrival
        let pickup = max(arrival, bundle.latestReadyAt)
        self.courierID = courier.id
        self.restaurantID = bundle.restaurantID
        self.orderIDs = bundle.orders.map(\.id)
        self.departureAt = departure
        self.arrivalAt = arrival
        self.pickupAt = pickup
        self.dropoffAt = bundle.dropoffOffsets.map { pickup + $0 }
        self.completionAt = pickup + bundle.completionOffset
    }
}
