/// Weights of the batch matcher's pair cost, in thousandths (per mille), so the cost stays
/// an exact integer:
///
///     cost = ( foodWaiting    * sum over orders o of (pickup - ready_o)      // food waits for courier
///            + courierWaiting * (pickup - arrival)                           // courier waits for food
///            + delivery       * sum over orders o of (dropoff_o - pickup) )  // travel to the customers
///            / 1000                                                          // nanoseconds
///
/// `pickup = max(arrival, latest ready)`, so exactly one of the first two terms is non-zero
/// for a single order. The goal they encode is the one published by DoorDash and Deliveroo
/// (courier reaches the restaurant when the food is ready: DoorDash engineering blog, "Using ML
/// and Optimization to Solve DoorDash's Dispatch Problem", 2021; Deliveroo's "Frank" dispatcher,
/// 2017, as Deliveroo describes it to riders).
///
/// Defaults: food waiting 1.0 (every minute of it is a minute of click-to-door for the
/// customer), courier waiting 0.5 (courier idle time counts, at half: the 0.5 freshness /
/// service loss coefficients of the MDRP re-implementation in idea-iitd/FoodMatch
/// `GrubHub/include/constants.cpp`), delivery 1.0. The delivery term does not depend on the
/// courier; it only decides which bundles go unserved when couriers are short.
public struct CostWeights: Hashable, Sendable {
    public var foodWaitingPerMille: Int64
    public var courierWaitingPerMille: Int64
    public var deliveryPerMille: Int64

    @inlinable
    public init(foodWaitingPerMille: Int64 = 1000, courierWaitingPerMille: Int64 = 500, deliveryPerMille: Int64 = 1000) {
        precondition(foodWaitingPerMille >= 0 && courierWaitingPerMille >= 0 && deliveryPerMille >= 0,
                     "weights cannot be negative")
        self.foodWaitingPerMille = foodWaitingPerMille
        self.courierWaitingPerMille = courierWaitingPerMille
        self.deliveryPerMille = deliveryPerMille
    }

    public static let `default` = CostWeights()

    /// Costs are clamped here (about 78 hours) so that any batch of up to 32,768 pairs sums
    /// within Int64; no realistic pair comes near it.
    public static let maximumPairCost: Int64 = 1 << 48
}
