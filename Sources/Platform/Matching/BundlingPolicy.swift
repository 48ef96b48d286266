/// Whether and how open orders are grouped into same-restaurant bundles before assignment.
///
/// Published caps: Uber Eats batches up to 3 orders (Uber blog, "Triple batching for
/// restaurants"), FoodMatch `max_o_count = 3` (idea-iitd/FoodMatch constants), Grubhub MDRP
/// bundles same-restaurant orders (Reyes et al. 2018, "The Meal Delivery Routing Problem").
/// `readyWindow` (default 5 min) and `maxRouteDuration` (default none) are this project's
/// choices, not published numbers.
public struct BundlingPolicy: Hashable, Sendable {
    /// k: at most this many orders per bundle; 1 disables bundling.
    public var maxOrders: Int
    /// Orders join a bundle only if ready within this long after its earliest-ready order.
    public var readyWindow: Nanoseconds
    public var sequencing: DropOffSequencing
    /// When set, an order joins a bundle only if the time from pickup to the last hand-over
    /// stays within it (bounds the detour added to the first customer).
    public var maxRouteDuration: Nanoseconds?
    /// How bundles are formed (`BundleRule`; default `.readyWindow`).
    public var rule: BundleRule

    @inlinable
    public init(
        maxOrders: Int = 3, readyWindow: Nanoseconds = 5 * TimeUnit.minute,
        sequencing: DropOffSequencing = .exhaustive, maxRouteDuration: Nanoseconds? = nil,
        rule: BundleRule = .readyWindow
    ) {
        precondition(maxOrders >= 1, "a bundle holds at least one order")
        precondition(sequencing != .exhaustive || maxOrders <= 8, "exhaustive sequencing is limited to 8 orders")
        precondition(readyWindow >= 0, "window cannot be negative")
        self.maxOrders = maxOrders
        self.readyWindow = readyWindow
        self.sequencing = sequencing
        self.maxRouteDuration = maxRouteDuration
        self.rule = rule
    }

    /// Every order is its own bundle.
    public static let off = BundlingPolicy(maxOrders: 1, readyWindow: 0, sequencing: .nearestNeighbour)
}
