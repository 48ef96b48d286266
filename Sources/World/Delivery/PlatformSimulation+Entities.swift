import DequeModule
import Platform
import SimCore

/// The entities the simulation keeps in its slot stores (requests, orders, couriers) and
/// per city, and the adapter that lets a `RandomStream` drive the Platform balancers.
extension PlatformSimulation {
    enum RequestKind: UInt8 {
        case placeOrder, menuView, orderStatus, orderHistory, locationUpdate, locationConsume, orderEvent, matchBatch
        /// A status-change write straight to the database (no service CPU): courier assigned,
        /// picked up, delivered.
        case statusWrite
        var service: Int {
            switch self {
            case .placeOrder, .menuView, .orderStatus, .orderHistory, .statusWrite: 0
            case .locationUpdate, .locationConsume: 1
            case .orderEvent, .matchBatch: 2
            }
        }
        /// Index into the service's `PlatformConfig.requestTypes`.
        var cpuType: Int {
            switch self {
            case .placeOrder, .locationUpdate, .orderEvent, .statusWrite: 0
            case .menuView, .locationConsume, .matchBatch: 1
            case .orderStatus: 2
            case .orderHistory: 3
            }
        }
        var isConsumer: Bool { self == .locationConsume || self == .orderEvent }
        /// A call a client makes through the load balancer (and may retry).
        var isClientCall: Bool { self == .placeOrder || self == .menuView || self == .orderStatus || self == .orderHistory || self == .locationUpdate }
    }

    struct Request {
        var kind: RequestKind
        var stage: UInt8 = 0
        var city: Int32
        var pool: Int32
        var replica: Int32 = -1
        var viaBalancer = true
        var start: SimTime
        var arrived: SimTime = 0
        /// Order id, courier id, or cache key.
        var subject: Int
        /// The order's slot (place_order, order_events), -1 otherwise.
        var order: Int32 = -1
        var partition: Int32 = -1
        var longitude: Double = 0
        var latitude: Double = 0
        var producedAt: SimTime = 0
        var units: Int = 1
        /// Sticky-session id: the customer id on order_service, the courier id on
        /// location_service (each pool has its own cookie table); -1 for none.
        var session: Int32 = -1
        var attempt: UInt8 = 0
        /// Reads: when the row the client expects is applied on the primary region's replica.
        var visibleAt: SimTime = 0
        /// Waiting in a replica queue; `token` names this wait for its client-side timeout.
        var queued = false
        var token: UInt32 = 0
        /// The client gave up while it waited (its retry, if any, is another request): the
        /// replica drops it when it reaches the head of the queue.
        var abandoned = false
    }

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
    }

    struct Courier {
        var city: Int32
        var onTrip = false
        /// Idle position, or where the current trip started.
        var position: DispatchPosition
        var known: DispatchPosition
        var indexed = false
        var restaurant = DispatchPosition(x: 0, y: 0)
        var end = DispatchPosition(x: 0, y: 0)
        var departureAt: SimTime = 0
        var arrivalAt: SimTime = 0
        var pickupAt: SimTime = 0
        var completionAt: SimTime = 0
        var orders: [Int] = []
        /// When the courier on duty in this slot logged on; pings taken earlier belong to
        /// the previous shift's courier.
        var since: SimTime = 0
        /// When the courier last became idle (logon or the end of a trip): only a ping taken
        /// since then may put it in the geo index.
        var idleSince: SimTime = 0
        var pingGeneration: UInt64 = 0
        /// The shift is over; log off when the trip in hand is done.
        var leaving = false
        /// When the current shift ends (`SimTime.max` without shifts), and whether its event
        /// is in the queue: it is scheduled by the last ping before it, so the queue holds
        /// a few shift ends instead of one per courier.
        var shiftEndsAt = SimTime.max
        var shiftEndScheduled = false
    }

    struct City {
        var restaurants: [DispatchPosition]
        var zipf: ZipfSampler
        var couriers: [Int] = []
        var source = GeoSetCandidateSource()
        var open: [Int] = []
        var matchPending = false
        /// Orders to cancel if still unmatched, in placement order: the deadlines are placement
        /// + `cancel_after`, so they are sorted, and one pending event per city serves them all.
        var cancelQueue = Deque<(slot: Int32, id: Int, deadline: SimTime)>()
        var cancelScheduled = false
        var profileHour = 0
        var generation: UInt64 = 0
        let orderStream: RandomStream
        let menuStream: RandomStream
        let placeStream: RandomStream
        let prepStream: RandomStream
        let historyStream: RandomStream
        /// Global id of the city's first customer.
        var firstCustomer = 0
        var customers = 1
        var placeOrder = LatencyHistogram()
        var menuView = LatencyHistogram()
        var orderStatus = LatencyHistogram()
        var orderHistory = LatencyHistogram()
        var locationUpdate = LatencyHistogram()
        var placeOrderFailed = 0
        var menuFailed = 0
        var statusFailed = 0
        var historyFailed = 0
        var pingsFailed = 0
    }

    struct StreamRNG: RandomNumberGenerator {
        let stream: RandomStream
        mutating func next() -> UInt64 { UInt64(stream.next32()) << 32 | UInt64(stream.next32()) }
    }
}
