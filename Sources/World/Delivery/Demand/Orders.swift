import Platform
import SimCore

/// An order's lifecycle state.
enum OrderState: UInt8 { case placing, pending, assigned, delivered, cancelled, failed }

/// An order's slot; slots are reused once an order is finished and its `order_events`
/// record consumed, so memory follows the orders in flight, not the run's length.
struct Order {
    /// The order_id (hash-sharding key and Kafka key); never reused.
    var id: Int
    var customerID: Int32
    var city: Int32
    var restaurant: Int32
    var customer: DispatchPosition
    var placedAt: SimTime
    var readyAt: SimTime
    var state: OrderState = .placing
    /// Produced to order_events and not consumed yet (the slot must not be reused).
    var awaitingConsume = false
    /// A ready time given by an order trace (−1: draw the preparation time).
    var tracedReady: SimTime = -1
    /// When the order was first offered to couriers: its placement, or its release under the
    /// dispatch hold (`matching_delay` runs from here).
    var offeredAt: SimTime = 0
    var released = false
}

/// The order book (part of the demand component, see README.md in this folder): every order's
/// slot and state, and the outcome counters the report reads. Other components change an
/// order only through these methods, each one state transition.
final class Orders {
    private let store = SlotStore<Order>(reservingCapacity: 1024)
    private var free: [Int32] = []
    /// The last order_id handed out.
    private(set) var created = 0
    private(set) var placed = 0
    private(set) var delivered = 0
    private(set) var cancelled = 0
    private(set) var rejected = 0
    /// order_events records of an order already consumed (or of a reused slot).
    private(set) var duplicateConsumption = 0

    /// Orders created per city (arrivals), for tests.
    private(set) var createdPerCity: [Int] = []
    /// Order ids are `(n − 1) × idStride + idOffset + 1` for the n-th order created here: one
    /// region's logical process of a parallel run numbers its orders apart from the others'
    /// (stride the region count, offset its index), so ids stay unique on the shared shards.
    private var idStride = 1
    private var idOffset = 0

    func numberIDs(stride: Int, offset: Int) { idStride = stride; idOffset = offset }

    /// Order slots ever allocated (the report's `orders.slots`).
    var slots: Int { store.count }

    @inline(__always) subscript(o: Int) -> Order { store[o] }

    /// A new order (the next order_id) in a free slot; returns the slot.
    func create(customer: Int32, city: Int, restaurant: Int32, at position: DispatchPosition, now: SimTime, tracedReady: SimTime = -1) -> Int {
        created += 1
        while createdPerCity.count <= city { createdPerCity.append(0) }
        createdPerCity[city] += 1
        var order = Order(id: (created - 1) * idStride + idOffset + 1, customerID: customer, city: Int32(city), restaurant: restaurant, customer: position,
                          placedAt: now, readyAt: now)
        order.tracedReady = tracedReady
        if let o = free.popLast() {
            store[Int(o)] = order
            return Int(o)
        }
        store.append(order)
        return store.count - 1
    }

    /// The order is written and produced: pending for matching from `now`, its record awaiting
    /// consumption; its food is ready at `readyAt`.
    func place(_ o: Int, now: SimTime, readyAt: SimTime) {
        store[o].state = .pending
        store[o].awaitingConsume = true
        store[o].placedAt = now
        store[o].readyAt = readyAt
        store[o].offeredAt = now
        store[o].released = false
        placed += 1
    }

    /// The dispatch hold released order `o` at `t` (the first time only).
    func release(_ o: Int, at t: SimTime) {
        guard !store[o].released else { return }
        store[o].released = true
        store[o].offeredAt = t
    }

    /// place_order failed for good: the order is rejected.
    func reject(_ o: Int) {
        store[o].state = .failed
        rejected += 1
        releaseIfDone(o)
    }

    func assign(_ o: Int) { store[o].state = .assigned }

    /// Delivered; returns when it was placed.
    func deliver(_ o: Int) -> SimTime {
        store[o].state = .delivered
        delivered += 1
        return store[o].placedAt
    }

    func cancel(_ o: Int) {
        store[o].state = .cancelled
        cancelled += 1
    }

    /// The order_events record of order `id` in slot `o` is consumed: false (and counted) when
    /// that order's record was consumed already or the slot holds another order.
    func consume(_ o: Int, id: Int) -> Bool {
        guard store[o].id == id && store[o].awaitingConsume else {
            duplicateConsumption += 1
            return false
        }
        store[o].awaitingConsume = false
        return true
    }

    /// Frees an order's slot once nothing refers to it: finished, and its order_events record
    /// consumed (or never produced).
    func releaseIfDone(_ o: Int) {
        switch store[o].state {
        case .delivered, .cancelled, .failed:
            if !store[o].awaitingConsume { free.append(Int32(o)) }
        case .placing, .pending, .assigned:
            break
        }
    }

    /// Calls `body` with the placement time of every order pending or assigned (in slot
    /// order: the report's censored click-to-door ages).
    func forEachInFlight(_ body: (SimTime) -> Void) {
        store.forEach { if $0.state == .pending || $0.state == .assigned { body($0.placedAt) } }
    }

    /// Orders pending or assigned (the in-flight count of `order_conservation`).
    func inFlight() -> Int {
        var states = [Int](repeating: 0, count: 6)
        store.forEach { states[Int($0.state.rawValue)] += 1 }
        return states[Int(OrderState.pending.rawValue)] + states[Int(OrderState.assigned.rawValue)]
    }
}
