/// Time a courier spends at a stop besides driving, split into the part before the
/// hand-over (parking, walking in) and the part after it (walking out).
///
/// MDRP gives one pickup and one drop-off service time per instance (4 min each in
/// grubhub/mdrplib `instance_parameters.txt`). The Grubhub re-implementation in
/// idea-iitd/FoodMatch (`GrubHub/include/mdrp_assignment.cpp`, `get_profit_vals`) spends half
/// on arrival and half on departure: pickup = max(arrival + s_p/2, ready), leave = pickup + s_p/2;
/// drop-off = arrival + s_d/2, leave = drop-off + s_d/2. `init(pickup:dropoff:)` does the same.
public struct ServiceDurations: Hashable, Sendable {
    /// From reaching the restaurant until the courier can take the food.
    public var pickupOnArrival: Nanoseconds
    /// From taking the food until the courier drives off.
    public var pickupOnDeparture: Nanoseconds
    /// From reaching the customer until the hand-over (the recorded drop-off time).
    public var dropoffOnArrival: Nanoseconds
    /// From the hand-over until the courier drives off.
    public var dropoffOnDeparture: Nanoseconds

    @inlinable
    public init(
        pickupOnArrival: Nanoseconds, pickupOnDeparture: Nanoseconds,
        dropoffOnArrival: Nanoseconds, dropoffOnDeparture: Nanoseconds
    ) {
        precondition(pickupOnArrival >= 0 && pickupOnDeparture >= 0 && dropoffOnArrival >= 0
            && dropoffOnDeparture >= 0, "service durations cannot be negative")
        self.pickupOnArrival = pickupOnArrival
        self.pickupOnDeparture = pickupOnDeparture
        self.dropoffOnArrival = dropoffOnArrival
        self.dropoffOnDeparture = dropoffOnDeparture
    }

    /// Splits each total in halves (MDRP convention); an odd nanosecond goes to departure.
    @inlinable
    public init(pickup: Nanoseconds, dropoff: Nanoseconds) {
        self.init(
            pickupOnArrival: pickup / 2, pickupOnDeparture: pickup - pickup / 2,
            dropoffOnArrival: dropoff / 2, dropoffOnDeparture: dropoff - dropoff / 2)
    }

    /// No service time at all: pickup and drop-off happen on arrival.
    public static let zero = ServiceDurations(pickup: 0, dropoff: 0)

    /// MDRP's 4 min pickup and 4 min drop-off (grubhub/mdrplib `instance_parameters.txt`).
    public static let mdrp = ServiceDurations(pickup: 4 * TimeUnit.minute, dropoff: 4 * TimeUnit.minute)
}
