/// A place a courier moves between, as the solution files name it.
public enum MDRPLocation: Hashable, Sendable {
    /// The courier's start point (written as the courier's own id).
    case courierStart(Int)
    /// A restaurant, by index into `MDRPInstance.restaurants`.
    case restaurant(Int)
    /// An order's drop-off point, by index into `MDRPInstance.orders`.
    case customer(Int)

    /// The id the solution files use for this location.
    public func id(in instance: MDRPInstance) -> String {
        switch self {
        case .courierStart(let c): return instance.couriers[c].id
        case .restaurant(let r): return instance.restaurants[r].id
        case .customer(let o): return instance.orders[o].id
        }
    }
}

/// One bundle given to one courier: a line of solution_info_assignments.txt.
public struct MDRPAssignmentRecord: Sendable, Equatable {
    /// Minute the dispatcher made the decision.
    public var assignmentTime: Int
    /// Minute the courier takes the food (>= every order's ready time, <= the courier's off time).
    public var pickupTime: Int
    public var courierIndex: Int
    /// Order indices in drop-off sequence.
    public var orderIndices: [Int]

    public init(assignmentTime: Int, pickupTime: Int, courierIndex: Int, orderIndices: [Int]) {
        self.assignmentTime = assignmentTime
        self.pickupTime = pickupTime
        self.courierIndex = courierIndex
        self.orderIndices = orderIndices
    }
}

/// What happened to one order; all nil when it was never delivered.
public struct MDRPOrderOutcome: Sendable, Equatable {
    public var assignmentTime: Int?
    public var pickupTime: Int?
    public var dropoffTime: Int?
    public var courierIndex: Int?

    public init(assignmentTime: Int? = nil, pickupTime: Int? = nil, dropoffTime: Int? = nil, courierIndex: Int? = nil) {
        self.assignmentTime = assignmentTime
        self.pickupTime = pickupTime
        self.dropoffTime = dropoffTime
        self.courierIndex = courierIndex
    }

    public var isDelivered: Bool { dropoffTime != nil }
}

/// One leg of a courier's day: a line of solution_info_couriers.txt.
public struct MDRPMove: Sendable, Equatable {
    /// Minute the courier leaves `origin`.
    public var departureTime: Int
    public var origin: MDRPLocation
    public var destination: MDRPLocation

    public init(departureTime: Int, origin: MDRPLocation, destination: MDRPLocation) {
        self.departureTime = departureTime
        self.origin = origin
        self.destination = destination
    }
}

/// Everything one replay produced. Times are whole minutes from the start of the day
/// (virtual nanoseconds / 60e9, exact: see `MDRPReplay`).
public struct MDRPRunResult: Sendable {
    public var instance: MDRPInstance
    public var policy: MDRPPolicy
    public var options: MDRPReplayOptions
    /// In decision order (time, then the order the policy produced them).
    public var assignments: [MDRPAssignmentRecord]
    /// Parallel to `instance.orders`.
    public var orders: [MDRPOrderOutcome]
    /// Per courier (parallel to `instance.couriers`), in time order.
    public var moves: [[MDRPMove]]
    /// Number of matcher invocations (greedy dispatch rounds or batch runs).
    public var dispatchRounds: Int
    /// Events the scheduler handled.
    public var events: UInt64
    /// Wall-clock seconds the replay took (the only non-deterministic field; never written
    /// into the solution files).
    public var wallSeconds: Double

    public init(
        instance: MDRPInstance, policy: MDRPPolicy, options: MDRPReplayOptions, assignments: [MDRPAssignmentRecord],
        orders: [MDRPOrderOutcome], moves: [[MDRPMove]], dispatchRounds: Int, events: UInt64, wallSeconds: Double
    ) {
        self.instance = instance
        self.policy = policy
        self.options = options
        self.assignments = assignments
        self.orders = orders
        self.moves = moves
        self.dispatchRounds = dispatchRounds
        self.events = events
        self.wallSeconds = wallSeconds
    }

    public var deliveredCount: Int { orders.reduce(0) { $0 + ($1.isDelivered ? 1 : 0) } }
    public var undeliveredCount: Int { orders.count - deliveredCount }
}
