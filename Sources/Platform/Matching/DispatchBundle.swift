/// Orders from one restaurant that one courier picks up together and drops off in `orders`
/// order, with the timings that do not depend on which courier takes them.
///
/// A single order is a bundle of one. Offsets are measured from the pickup instant:
/// drop-off i happens at `pickup + dropoffOffsets[i]`, the courier is free at
/// `pickup + completionOffset`. With `ServiceDurations` s and legs t_i (restaurant ->
/// customer 1 -> customer 2 ...): offset_i = s.pickupOnDeparture + t_1 + ... + t_i
/// + i * s.dropoffOnArrival + (i - 1) * s.dropoffOnDeparture.
public struct DispatchBundle: Hashable, Sendable {
    public let restaurantID: Int
    public let restaurantPosition: DispatchPosition
    /// The orders in drop-off sequence.
    public let orders: [DispatchOrder]
    public let service: ServiceDurations
    /// max ready time over the orders: the earliest possible pickup.
    public let latestReadyAt: Instant
    /// From pickup to each hand-over, in sequence.
    public let dropoffOffsets: [Nanoseconds]
    /// From pickup until the courier leaves the last customer.
    public let completionOffset: Nanoseconds
    /// sum over orders of (latestReadyAt - readyAt): food waiting even with a perfectly timed courier.
    public let readySlack: Nanoseconds
    /// sum of `dropoffOffsets`.
    public let dropoffOffsetSum: Nanoseconds

    /// Builds a bundle whose drop-off sequence is `sequence` as given.
    ///
    /// - Precondition: `sequence` is non-empty and all orders share one restaurant id and position.
    /// - Complexity: O(n) travel-time evaluations.
    @inlinable
    public init<T: TravelModel>(sequence: [DispatchOrder], travel: T, service: ServiceDurations) {
        precondition(!sequence.isEmpty, "a bundle needs at least one order")
        let first = sequence[0]
        var latest = first.readyAt
        for o in sequence {
            precondition(o.restaurantID == first.restaurantID && o.restaurantPosition == first.restaurantPosition,
                         "a bundle comes from one restaurant (one id, one position)")
            latest = max(latest, o.readyAt)
        }
        var offsets: [Nanoseconds] = []
        offsets.reserveCapacity(sequence.count)
        var t = service.pickupOnDeparture
        var at = first.restaurantPosition
        var slack: Nanoseconds = 0
        var sum: Nanoseconds = 0
        for (i, o) in sequence.enumerated() {
            if i > 0 { t += service.dropoffOnDeparture }
            t += travel.travelTime(from: at, to: o.customerPosition) + service.dropoffOnArrival
            offsets.append(t)
            sum += t
            slack += latest - o.readyAt
            at = o.customerPosition
        }
        self.restaurantID = first.restaurantID
        self.restaurantPosition = first.restaurantPosition
        self.orders = sequence
        self.service = service
        self.latestReadyAt = latest
        self.dropoffOffsets = offsets
        self.completionOffset = t + service.dropoffOnDeparture
        self.readySlack = slack
        self.dropoffOffsetSum = sum
    }

    /// The smallest order id in the bundle: the key bundles are sorted by.
    @inlinable public var smallestOrderID: Int {
        var m = orders[0].id
        for o in orders where o.id < m { m = o.id }
        return m
    }
}
