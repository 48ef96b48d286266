import Platform
import Scenario
import SimCore

/// Expanding-radius dispatch (issue 11, `matching.expand`; off by default). At the national
/// peak the matching-delay tail is the orders with no idle courier within `matching.radius`
/// at all: in the 1/16 national-day slice (seed 20240107) 77-89 % of the orders at or above
/// the peak's p99 found none when released, most in the sparse outer ring of a metro. A real
/// dispatcher widens the search for such an order: DelivApp's auto-dispatch ("How DelivApp
/// auto-dispatch works", help.delivapp.com) offers within a first radius and, "if nobody
/// accepts in T minutes", broadens the pool to a larger radius; Deliveroo's first dispatcher
/// and the usual greedy baseline widen the search until some courier is found (Platform
/// `GreedyMatcher`).
///
/// After a batch run's matching within the base radius, each open order still unmatched
/// that has waited `after` or more since its offer gets radius base + step·⌊waited / after⌋
/// (at most `maxRadius`); the orders are matched level by level, widest radius (longest
/// wait) first, each level by the same exact batch assignment (`BatchMatcher`) to the
/// couriers no earlier level or the base run took.
struct ExpandingSearch {
    let base: Double
    let step: Double
    let maxRadius: Double
    let after: SimTime
    private var matcher: BatchMatcher
    private var level: [DispatchOrder] = []

    init(_ e: PlatformConfig.ExpandSearch, policy: BatchPolicy) {
        base = policy.radiusMeters
        step = e.step
        maxRadius = Swift.max(e.maxRadius, policy.radiusMeters)
        after = Swift.max(1, e.after)
        matcher = BatchMatcher(policy: policy)
    }

    /// The search radius of an order unmatched `waited` after its offer: the base radius
    /// before `after`, then one `step` wider per `after`, at most `maxRadius`.
    func radius(waited: SimTime) -> Double {
        guard waited >= after else { return base }
        return Swift.min(maxRadius, base + step * Double(waited / after))
    }

    /// How long an order must have waited for its radius to reach `meters` (0 within the base
    /// radius): ⌈(meters − base) / step⌉ · after, at most the wait for `maxRadius`.
    func wait(toReach meters: Double) -> SimTime {
        guard meters > base, step > 0 else { return 0 }
        let steps = Swift.min((meters - base) / step, (maxRadius - base) / step).rounded(.up)
        return SimTime(steps) * after
    }

    /// The assignments of the widened radii: `open` are the run's offered orders (with
    /// `offeredAt(order id)`), `courier` resolves a matchable courier's id (nil: not matchable),
    /// `available` counts the run's matchable couriers, and `taken` the base run's assignments
    /// (their orders and couriers are left out). `candidates` answers the k nearest idle
    /// couriers within a radius (couriers it returns that are not free are ignored, as in
    /// `BatchMatcher`).
    mutating func match<S: CandidateSource>(open: [DispatchOrder], offeredAt: (Int) -> SimTime, courier: (Int) -> DispatchCourier?,
                                            available: Int, taken: [DispatchAssignment], now: SimTime,
                                            travel: HaversineTravelModel, candidates: S) -> [DispatchAssignment] {
        var assignedOrders = Set<Int>(), usedCouriers = Set<Int>()
        for a in taken {
            usedCouriers.insert(a.courierID)
            for o in a.orderIDs { assignedOrders.insert(o) }
        }
        // (radius, order) of each waiting order; widest first, ties by order id (deterministic).
        var waiting: [(radius: Double, order: DispatchOrder)] = []
        for o in open where !assignedOrders.contains(o.id) {
            let r = radius(waited: now - offeredAt(o.id))
            if r > base { waiting.append((r, o)) }
        }
        guard !waiting.isEmpty else { return [] }
        waiting.sort { ($0.radius, $1.order.id) > ($1.radius, $0.order.id) }
        var out: [DispatchAssignment] = []
        var i = 0
        while i < waiting.count {
            let r = waiting[i].radius
            level.removeAll(keepingCapacity: true)
            while i < waiting.count && waiting[i].radius == r { level.append(waiting[i].order); i += 1 }
            // Every used courier was matchable at the run's start: none is free when all are used.
            if usedCouriers.count >= available { break }
            matcher.policy.radiusMeters = r
            let used = usedCouriers
            for a in matcher.match(orders: level, now: now, travel: travel, candidates: candidates,
                                   courier: { used.contains($0) ? nil : courier($0) }).assignments {
                usedCouriers.insert(a.courierID)
                out.append(a)
            }
        }
        return out
    }
}
