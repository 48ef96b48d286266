import Foundation
import SimCore

/// The delivery platform's typed configuration (see `PlatformSchema` for every key).
public struct PlatformConfig: Sendable {
    public struct Region: Sendable {
        public var name: String
        public var primary: Bool
        public var latencyTarget: SimTime
        public var demandShare: Double
        public var longitude: Double
        public var latitude: Double
        public var cityRadius: Double
        /// Round trip to every region, by region index (0 to itself).
        public var rtt: [SimTime]
        public var down: Bool
        /// Index of the region whose services serve this city (itself unless down).
        public var servedBy: Int
        /// The local clock's offset from UTC (the profile runs on local time).
        public var utcOffset: SimTime = 0
        /// Metro discs holding the city's restaurants and couriers (empty: uniform over
        /// `cityRadius`); their radii and distances × `metroScale` (`PlatformConfig+Metros`).
        public var metros: [Metro] = []
        public var metroScale: Double = 1
    }

    public struct Service: Sendable {
        public var name: String
        public var min: Int
        public var max: Int
        public var targetCPU: Int
        public var initial: Int
        public var cores: Int
        /// CPU demand per request type, in the order of `PlatformConfig.requestTypes[service]`.
        public var cpu: [Distribution]
        public var startup: SimTime
        public var readiness: SimTime
        public var timeout: SimTime
        /// Client retries of a failed call (timeout, no backend, dead pod), through the balancer again.
        public var retries: Int
        /// Backoff before retry k (1-based): `retryBackoff × 2^(k-1)`, with full jitter.
        public var retryBackoff: SimTime
        /// What protects calls to this service (nil: none): `PlatformConfig+Faults.swift`.
        public var circuitBreaker: CircuitBreakerSettings? = nil
        public var retryBudget: RetryBudgetSettings? = nil
        public var limitReq: LimitReqSettings? = nil
        /// Whether a replica drops a queued call whose client gave up (deadline propagation);
        /// false: it serves it anyway and the work is wasted.
        public var dropAbandoned = true
        /// `scale_on.lag_per_pod`, `scale_on.rps_per_pod`: HPA metrics besides CPU.
        public var lagPerPod: Double? = nil
        public var rpsPerPod: Double? = nil
        /// `behavior`: nil = the legacy normalization; a direction nil = its API defaults.
        public var behavior: (scaleUp: ScalingRules?, scaleDown: ScalingRules?)? = nil
    }

    /// One direction of `services.<svc>.behavior` (autoscaling/v2 HPAScalingRules).
    public struct ScalingRules: Sendable {
        public var stabilizationWindow: SimTime?
        /// "max", "min" or "disabled"; nil = the API default.
        public var selectPolicy: String?
        /// (percent?, value, period); nil = the API default policies.
        public var policies: [(percent: Bool, value: Int, period: SimTime)]?
    }

    public struct Topic: Sendable {
        public var partitions: Int
        public var replication: Int
    }

    public enum MatchingPolicy: String, Sendable, CaseIterable { case greedy, batched }

    public struct Crash: Sendable {
        public var service: Int
        public var region: Int
        public var at: SimTime
        public var count: Int
    }

    public static let serviceNames = ["order_service", "location_service", "matching_service"]
    public static let requestTypes = [["place_order", "menu_view", "order_status", "order_history"], ["location_update", "location_consume"], ["order_event", "match_batch"]]

    public var regions: [Region]
    public var primaryRegion: Int
    // demand
    public var ordersPerHour: Double
    /// Rate multiplier per profile hour (mean 1 over the day).
    public var profile: [Double]
    public var profileStart: SimTime
    public var menuViewsPerOrder: Double
    public var deliveryRadius: Double
    /// Customers (sessions) in all regions, split by demand share.
    public var customers: Int
    /// Whether the customer's app reads the order (GET /orders/{id}) after each status change.
    public var statusReads: Bool
    public var statusReadDelay: SimTime
    /// Order-history page views (a range query over `historyRange`) per order.
    public var historyViewsPerOrder: Double
    public var historyRange: SimTime
    /// An order trace (CSV) that replaces the Poisson orders, resolved against the file that
    /// named it; nil for generated demand.
    public var traceFile: String? = nil
    /// `database.shard_key`.
    public var shardKey: ShardKey = .orderID
    /// `database.cpu`: nil = unlimited (a write holds its connection for `writeLatency`).
    public var databaseCPU: DatabaseCPU? = nil
    /// `database.round_trips`: nil = the connection is held only on the primary.
    public var transactionRoundTrips: Int? = nil

    public enum ShardKey: String, Sendable, CaseIterable { case orderID = "order_id", restaurant, customer }

    /// Each shard primary's and read replica's cores and CPU per query kind.
    public struct DatabaseCPU: Sendable {
        public var cores: Int
        public var replicaCores: Int
        public var insert: Distribution
        public var update: Distribution
        public var keyedRead: Distribution
        public var rangeScan: Distribution
    }
    // restaurants, couriers
    public var restaurantCount: Int
    public var zipfExponent: Double
    public var prepTime: Distribution
    public var courierCount: Int
    public var courierSpeed: Double
    public var pingIdle: SimTime
    public var pingTrip: SimTime
    public var pickupService: SimTime
    public var dropoffService: SimTime
    /// Shift length; nil: every courier is on duty for the whole run.
    public var shiftLength: Distribution?
    // services: order, location, matching
    public var services: [Service]
    // load balancer
    public var lbAlgorithm: String
    public var healthPath: String
    public var healthInterval: SimTime
    public var healthTimeout: SimTime
    public var healthRise: Int
    public var healthFall: Int
    public var stickySessions: Bool
    /// Lifetime of a sticky-session cookie since its last use.
    public var sessionTTL: SimTime
    // cache
    public var l1TTL: SimTime
    public var l1Latency: Distribution
    public var l1Capacity: Int
    public var l2TTL: SimTime
    public var l2Latency: Distribution
    public var l3Latency: Distribution
    // database
    public var shards: Int
    public var monthlyPartitions: Bool
    public var epoch: (year: Int, month: Int, day: Int)
    public var readReplicas: Int
    public var replicationLag: Distribution
    public var connectionsPerShard: Int
    public var writeLatency: Distribution
    public var readLatency: Distribution
    // kafka
    public var orderEvents: Topic
    public var locationUpdates: Topic
    public var produceLatency: Distribution
    public var rebalancePause: SimTime
    /// A consumer that stops heartbeating leaves the group after this long (`session.timeout.ms`).
    public var sessionTimeout: SimTime
    // matching
    public var matchingPolicy: MatchingPolicy
    public var matchingInterval: SimTime
    public var matchingRadius: Double
    public var bundleSize: Int
    public var cancelAfter: SimTime
    /// At most this many nearest idle couriers per order (`Int.max`: all within the radius).
    public var matchingCandidates: Int = .max
    /// `matching.split: by_cell`: a batch run split across the matching_service replicas by geography.
    public var matchingSplit = false
    /// Dispatch hold: offer an order from ready − estimated travel − `holdMargin` (off: at once).
    public var holdEnabled = false
    public var holdMargin: SimTime = 60 * SimUnit.second
    /// `matching.expand`: expanding-radius dispatch (off: `matchingRadius` only).
    public var expand = ExpandSearch()
    /// `matching.bundle_ready_window`: how far apart a bundle's orders may be ready.
    public var bundleReadyWindow: SimTime = 5 * SimUnit.minute
    /// `matching.dispatch_hold.bundling: oldest_first`: with the hold, bundles never make an
    /// order later because of a younger one (false: `ready_window`, the bundles as before).
    public var holdBundlesOldestFirst = false
    /// `matching.dispatch_hold.offer_to_estimate`: with `matching.expand`, a released order is
    /// offered at once as far as the courier the hold's estimate used (false: as before).
    public var holdOffersToEstimate = false
    /// Couriers on duty per local hour as multiples of `courierCount` (empty: constant).
    public var staffing: [Double] = []
    /// Share of offers a courier declines (the order is offered again).
    public var declineShare: Double = 0
    /// Demand multiplier of the simulated day (day of the week).
    public var dayFactor: Double = 1
    /// Sub-hourly burst: the first `burstWindow` of each hour at `burstFactor` × the hour's rate.
    public var burstWindow: SimTime = 0
    public var burstFactor: Double = 1
    /// The run's last `drain` has no new demand.
    public var drain: SimTime = 0
    /// Orders in preparation at once per kitchen (0: unlimited).
    public var kitchenCapacity: Int = 0
    /// `kafka.consumer`: batched polling (`PlatformConfig+Consumer.swift`).
    public var consumer = KafkaConsumer()
    /// `parallel_regions`: each region a logical process of its own, run in lookahead windows.
    public var parallelRegions = false
    // faults (`faults:`): the scheduled crashes and crash rates are derived from it.
    public var crashes: [Crash]
    /// Crash rate per live replica per second, by service index.
    public var crashRates: [Double]
    /// The whole schedule in scenario order (crashes included), for the incident timeline.
    public var faults: [Fault] = []
    /// `database.replication: sync`: a commit is acknowledged once the shard's synchronous
    /// standby has applied it (`PlatformConfig+DatabaseFaults`).
    public var syncReplication = false
    /// `kafka.brokers` (nil: no brokers are modelled, acks=all is `produce_latency` alone).
    public var kafkaBrokers: KafkaBrokerSettings? = nil
    /// `cache.l2.nodes` (nil: one L2 without nodes).
    public var redisNodes: RedisNodeSettings? = nil

    /// The share of a day's orders per hour from t = 0 (about 10:00), averaged over the
    /// Grubhub MDRP seeds 0-9 (grubhub/mdrplib `{seed}o100t100s1p100/orders.txt`, counted
    /// here): lunch and dinner humps.
    public static let lunchAndDinner: [Double] = [1.2, 4.3, 5.5, 5.9, 5.0, 5.8, 5.4, 7.2, 10.3, 12.8, 11.1, 8.7, 6.6, 4.5, 3.2, 1.9]

    /// Days in a month of the proleptic Gregorian calendar.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
