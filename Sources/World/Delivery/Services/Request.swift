import Platform
import SimCore

extension Services {
    enum RequestKind: UInt8 {
        case placeOrder, menuView, orderStatus, orderHistory, locationUpdate, locationConsume, orderEvent, matchBatch
        /// A status-change write straight to the database (no service CPU): courier assigned,
        /// picked up, delivered.
        case statusWrite
        /// A poll's batch of `units` records (`kafka.consumer.batched`): location_updates on
        /// location_service, order_events on matching_service (`PlatformSimulation+Polling`).
        case locationBatch, orderEventBatch
        /// Index into the service's `PlatformConfig.requestTypes`.
        var cpuType: Int {
            switch self {
            case .placeOrder, .locationUpdate, .orderEvent, .statusWrite, .orderEventBatch: 0
            case .menuView, .locationConsume, .matchBatch, .locationBatch: 1
            case .orderStatus: 2
            case .orderHistory: 3
            }
        }
        var isConsumer: Bool { self == .locationConsume || self == .orderEvent || isBatch }
        var isBatch: Bool { self == .locationBatch || self == .orderEventBatch }
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

    /// Lets a `RandomStream` drive the Platform balancers.
    struct StreamRNG: RandomNumberGenerator {
        let stream: RandomStream
        mutating func next() -> UInt64 { UInt64(stream.next32()) << 32 | UInt64(stream.next32()) }
    }
}
