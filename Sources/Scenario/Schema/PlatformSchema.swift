/// The delivery-platform sections (regions, demand, services, caches, database, Kafka...),
/// decoded by `PlatformConfig.decode`. Every key is checked strictly by `SchemaValidator`.
public enum PlatformSchema {
    public static var sections: [Field] {
        [
            Field("regions", .map(.object(region), keyDescription: "region"), "The regions, by name (e.g. us_east)"),
            Field("demand", .object(demand), "Orders and menu views"),
            Field("restaurants", .object(restaurants), "Restaurants per region"),
            Field("couriers", .object(couriers), "Couriers per region"),
            Field("services", .object(services), "The three service pools (each region runs its own)"),
            Field("load_balancer", .object(loadBalancer), "The load balancer in front of every pool"),
            Field("cache", .object(cache), "The menu cache hierarchy (L1 per order_service replica, L2 per region, L3 the database)"),
            Field("database", .object(database), "The orders database"),
            Field("kafka", .object(kafka), "The Kafka topics (each region runs its own cluster)"),
            Field("matching", .object(matching), "Order-to-courier matching"),
            Field("faults", .array(.object(fault)), "The fault schedule: what fails, where, when and for how long (or at a rate); see `PlatformSchema+Faults.swift`"),
            Field("parallel_regions", .boolean, default: "false", "Each region is a logical process with its own event queue, run in windows of the least one-way trip between regions on up to `--threads` threads (the report is the same for every thread count, not the sequential engine's); refuses features that share state across regions (regions down, faults other than replica_crash, database transactions, reads without replicas, traces)"),
        ]
    }

    static let point = ObjectSchema("A position", [
        Field("lon", .number(min: -180, max: 180), required: true, "Longitude, degrees"),
        Field("lat", .number(min: -85, max: 85), required: true, "Latitude, degrees"),
    ])

    static let region = ObjectSchema("One region: a city, its service pools, caches and Kafka cluster", [
        Field("primary", .boolean, default: "false", "Holds the database primary (writes from other regions pay the round trip)"),
        Field("latency_target", .duration, required: true, "Latency target of the region's endpoints (p99)"),
        Field("demand_share", .number(min: 0, max: 1), required: true, "Share of demand.orders_per_hour, couriers and restaurants in this region"),
        Field("center", .object(point), required: true, "City centre"),
        Field("city_radius", .distance(min: "100m", max: "500km"), default: "8km", "Restaurants and idle couriers are spread uniformly over this disc"),
        Field("rtt", .map(.duration, keyDescription: "region"), "Round-trip time to other regions"),
        Field("down", .boolean, default: "false", "The region's services are lost; its city is served by `failover`"),
        Field("failover", .string, default: .derived("the primary region"), "Region that serves this city while it is down"),
        Field("utc_offset", .number(min: -12, max: 14), default: "0", "Hours from UTC of the region's local clock: the city runs demand.profile (and couriers.staffing) at its local hour, demand.start_at being the clock at t = 0 of a region at offset 0"),
    ] + metroFields)

    static let demand = ObjectSchema("Orders (Poisson per region, rate-shaped by a daily profile)", [
        Field("orders_per_hour", .rate, required: true, "Mean hourly orders over the profile's day, all regions (e.g. 12000/h)"),
        Field("profile", .either([.enumeration(["flat", "lunch_and_dinner"]), .array(.number(min: 0, max: 1e9))]), default: "lunch_and_dinner",
              "Daily shape: built in, or one number per hour (share of the day, any scale)"),
        Field("start_at", .duration, default: "0s", "Where simulated time 0 falls in the profile's day (profile hour 0 = 10:00)"),
        Field("menu_views_per_order", .number(min: 0, max: 1000), default: "8", "Menu views (cache reads) per order, as a Poisson stream"),
        Field("delivery_radius", .distance(min: "1m", max: "500km"), default: "3.5km", "Customers lie uniformly within this distance of their restaurant"),
        Field("customers", .integer(min: 1, max: 100_000_000), default: "100000", "Customers in all regions (split by demand_share); each menu view and order is one customer's, and a customer is one sticky session"),
        Field("status_reads", .boolean, default: "true", "The customer's app reads the order (GET /orders/{id}, a read-replica query on one shard and one month partition) after each status change: placed, courier assigned, picked up, delivered"),
        Field("status_read_delay", .duration, default: "500ms", "From the status change (its commit on the primary) to the app's read; a replica lagging more serves a stale row"),
        Field("history_views_per_order", .number(min: 0, max: 1000), default: "0.2", "Order-history page views per order (Poisson): a created_at range query over every hash shard and the month partitions the range overlaps"),
        Field("history_range", .duration, default: "90d", "The history page's created_at range (90d: three monthly partitions, or four across a month boundary)"),
        Field("day_factor", .number(min: 0, max: 100), default: "1", "Multiplies every hour's orders (and menu and history views): the day of the week against the average day, e.g. 1.12 for a Sunday"),
        Field("burst", .object(burst), "Sub-hourly bursts: the first `window` of every hour runs at `factor` × the hour's rate, the rest slower (the hour's total is kept)"),
        Field("drain", .duration, default: "0s", "The run's last `drain`: no new orders, menu or history views, so the orders in flight finish"),
        Field("trace", .string, "CSV of recorded orders replacing the Poisson orders (menu views stay Poisson): placement_time, restaurant and/or restaurant_lon/restaurant_lat, customer_lon/customer_lat, optional ready_time and order; see docs/traces.md"),
    ])

    static let burst = ObjectSchema("A burst window at the start of every hour", [
        Field("window", .duration(min: "0s", max: "1h"), default: "15min", "Length of the burst window"),
        Field("factor", .number(min: 0, max: 4), default: "1", "Rate in the window as a multiple of the hour's mean rate (1: no burst); window × factor may not exceed the hour"),
    ])

    static let restaurants = ObjectSchema("Restaurants", [
        Field("count", .integer(min: 1, max: 10_000_000), required: true, "Restaurants in all regions (split by demand_share)"),
        Field("zipf_exponent", .number(min: 0, max: 5), default: "1", "Popularity: rank-k restaurant gets weight k^-s"),
        Field("prep_time", .distribution(.duration), required: true, "Food preparation time"),
        Field("kitchen_capacity", .integer(min: 0, max: 10_000), default: "0", "Orders a kitchen prepares at once (a c-server FIFO queue per restaurant: an order waits for a free place before its prep_time starts); 0: unlimited"),
    ])

    static let couriers = ObjectSchema("Couriers (`count` on duty at any time)", [
        Field("count", .integer(min: 1, max: 10_000_000), required: true, "Couriers in all regions (split by demand_share)"),
        Field("speed", .speed, default: "19km/h", "Straight-line-equivalent speed"),
        Field("ping_idle", .duration(min: "100ms"), default: "15s", "Location ping interval while idle"),
        Field("ping_trip", .duration(min: "100ms"), default: "4s", "Location ping interval on a trip"),
        Field("pickup_service", .duration, default: "4min", "Time at the restaurant to pick up (after the food is ready)"),
        Field("dropoff_service", .duration, default: "4min", "Time at the customer to hand over"),
        Field("staffing", .array(.number(min: 0, max: 100)), "Couriers on duty per local hour (00:00 first, the region's utc_offset clock, as demand.profile) as multiples of count × demand_share; absent: count all day"),
        Field("decline_share", .number(min: 0, max: 0.95), default: "0", "Share of offers a courier declines: the order stays open and is offered again at the next run"),
        Field("shift_length", .distribution(.duration), "Shift length: at its end a courier logs off (after the trip in hand) and a replacement logs on at a random point of the city; absent: on duty for the whole run"),
    ])

    static func cpu(_ types: [(String, String)]) -> ObjectSchema {
        // The first two types of each service are required; later ones default to the second's CPU.
        ObjectSchema("CPU demand per request type (one core busy for the drawn time)",
                     types.enumerated().map { i, t in
                         i < 2 ? Field(t.0, .distribution(.duration), required: true, t.1)
                               : Field(t.0, .distribution(.duration), default: .derived("as \(types[1].0)"), t.1) })
    }

    static func service(_ description: String, _ types: [(String, String)]) -> ObjectSchema {
        ObjectSchema(description, [
            Field("min", .integer(min: 1, max: 100_000), required: true, "HPA minReplicas (per region)"),
            Field("max", .integer(min: 1, max: 100_000), required: true, "HPA maxReplicas (per region)"),
            Field("target_cpu", .percentage, required: true, "HPA target average CPU utilisation"),
            Field("initial", .integer(min: 1, max: 100_000), default: .derived("min"), "Replicas at time 0 (ready)"),
            Field("cores", .integer(min: 1, max: 256), default: "2", "Cores (CPU request) per replica: a c-server FIFO queue"),
            Field("cpu", .object(cpu(types)), required: true, "CPU demand per request type"),
            Field("startup", .duration, default: "20s", "Pod start-up (scheduling, image, process start) before it runs"),
            Field("readiness", .duration, default: "10s", "After start-up, until the readiness probe passes and it takes traffic"),
            Field("timeout", .duration, default: "5s", "A request still queued this long after it arrived fails (and any request to a dead replica)"),
            Field("retries", .integer(min: 0, max: 10), default: "0", "Client retries of a failed call (timeout, no backend, dead replica), each through the balancer again"),
            Field("retry_backoff", .duration, default: "100ms", "Backoff before retry k: retry_backoff × 2^(k-1), full jitter"),
            Field("scale_on", .object(scaleOn), "Metrics the HPA scales on besides CPU (the largest proposal wins)"),
            Field("behavior", .object(behavior), "HPA spec.behavior (absent: the controller's legacy normalization, as before)"),
            Field("circuit_breaker", .object(circuitBreaker), "Client-side circuit breaker on calls to this service (resilience4j); absent: none"),
            Field("retry_budget", .object(retryBudget), "Client retry budget (Finagle RetryBudget): retries capped at a share of requests; absent: every retry allowed"),
            Field("drop_abandoned", .boolean, default: "true", "A replica drops a queued call whose client has given up (deadline propagation, e.g. gRPC deadlines); false: it serves it anyway, wasting the work (what makes a retry storm amplify an overload)"),
            Field("limit_req", .object(limitReq), "Rate limit at the balancer (NGINX limit_req, nodelay): requests above rate + burst are refused with 503; absent: none"),
        ])
    }

    static let scaleOn = ObjectSchema("HPA metrics besides CPU (autoscaling/v2)", [
        Field("lag_per_pod", .number(min: 1, max: 1e12), "Consumer-group lag per pod, records: an External metric with an AverageValue target (KEDA's Kafka scaler lagThreshold); consumers only (location_service, matching_service)"),
        Field("rps_per_pod", .number(min: 0.001, max: 1e9), "Requests per second per pod routed by the pool's balancer: a Pods metric with an AverageValue target"),
    ])

    static let scalingPolicy = ObjectSchema("One rate limit (HPAScalingPolicy)", [
        Field("type", .enumeration(["pods", "percent"]), required: true, "Pods: at most `value` pods per period; percent: `value` % of the replicas at the period's start"),
        Field("value", .integer(min: 1, max: 100_000), required: true, "Pods or percent"),
        Field("period", .duration(min: "1s"), required: true, "Look-back period (1 s to 30 min)"),
    ])

    static let scalingRules = ObjectSchema("Rules for one direction (HPAScalingRules; absent keys take the API defaults)", [
        Field("stabilization_window", .duration, "stabilizationWindowSeconds (API default: 0 up, the controller's 5 min down)"),
        Field("select_policy", .enumeration(["max", "min", "disabled"]), "selectPolicy (API default max)"),
        Field("policies", .array(.object(scalingPolicy)), "policies (API default up: 4 pods or 100 % per 15 s; down: 100 % per 15 s)"),
    ])

    static let behavior = ObjectSchema("HPA spec.behavior", [
        Field("scale_up", .object(scalingRules), "scaleUp"),
        Field("scale_down", .object(scalingRules), "scaleDown"),
    ])

    static let services = ObjectSchema("The service pools", [
        Field("order_service", .object(service("Orders and menus", [("place_order", "POST /orders"), ("menu_view", "GET /restaurants/{id}/menu"),
                                                                   ("order_status", "GET /orders/{id}"), ("order_history", "GET /orders?since=")])),
              required: true, "order_service"),
        Field("location_service", .object(service("Courier locations", [("location_update", "POST /location (API)"),
                                                                         ("location_consume", "consume one location_updates record, GEOADD")])),
              required: true, "location_service"),
        Field("matching_service", .object(service("Matching", [("order_event", "consume one order_events record"),
                                                              ("match_batch", "one matching run, per open order")])),
              required: true, "matching_service"),
    ])

    static let healthCheck = ObjectSchema("Active health checks (HAProxy semantics)", [
        Field("path", .string, default: "/health", "Probe path"),
        Field("interval", .duration(min: "100ms"), default: "10s", "Between probes"),
        Field("timeout", .duration, default: .derived("the interval"), "A probe without answer this long fails"),
        Field("rise", .integer(min: 1, max: 100), default: "2", "Passes to enter rotation"),
        Field("fall", .integer(min: 1, max: 100), default: "3", "Failures to leave rotation"),
    ])

    static let loadBalancer = ObjectSchema("The load balancer", [
        Field("algorithm", .enumeration(["least_connections", "round_robin", "random"]), default: "least_connections", "Balancing policy"),
        Field("health_check", .object(healthCheck), "Active health checks"),
        Field("sticky_sessions", .boolean, default: "false", "Session affinity (cookie): a customer's or courier's requests go to the replica of its session while that replica is in rotation"),
        Field("session_ttl", .duration, default: "1h", "A session cookie expires this long after its last use"),
    ])

    /// One tier; `ttl` and `capacity` defaults differ by tier (L1 5 min and 10,000 entries,
    /// L2 1 h). They are not shown in `capsim schema` yet (`shown: nil`) only so that this
    /// change leaves its output byte-identical; showing them is a one-word change.
    static func tier(ttl: FieldDefault? = nil, capacity: FieldDefault? = nil) -> ObjectSchema {
        ObjectSchema("One cache tier", [
            Field("ttl", .positiveDuration(), default: ttl, "Time to live of entries written to this tier"),
            Field("latency", .distribution(.duration), required: true, "Time to read this tier"),
            Field("capacity", .integer(min: 0, max: 10_000_000), default: capacity, "Entries per replica (L1 only)"),
        ])
    }

    static let cache = ObjectSchema("The menu cache hierarchy", [
        Field("l1", .object(tier(ttl: FieldDefault(value: "5min", shown: nil), capacity: FieldDefault(value: "10000", shown: nil))),
              required: true, "In-process cache per order_service replica"),
        Field("l2", .object(l2Tier(ttl: FieldDefault(value: "1h", shown: nil))), required: true, "Shared Redis per region"),
        Field("l3", .object(tier()), required: true, "The database (a read replica); its ttl is ignored"),
    ])

    static let database = ObjectSchema("The orders database", [
        Field("shards", .integer(min: 1, max: 4096), default: "16", "Hash partitions of orders by order_id (MODULUS n)"),
        Field("time_partitions", .enumeration(["monthly", "none"]), default: "monthly", "Range partitions by created_at"),
        Field("epoch", .string, default: "2024-01-01", "Calendar date of simulated time 0 (for the monthly partitions)"),
        Field("read_replicas", .integer(min: 0, max: 100), default: "1", "Read replicas per region (menu loads, order reads and history queries go to them; 0: to the primary)"),
        Field("replication_lag", .distribution(.duration), default: "0s", "Per write: commit on the primary to applied on a replica (replicas in other regions add the one-way trip)"),
        Field("connections_per_shard", .integer(min: 1, max: 100_000), default: "100", "Connection limit per shard; writes beyond it queue"),
        Field("replication", .enumeration(["async", "sync"]), default: "async",
              "How a shard primary acknowledges a commit (PostgreSQL synchronous_commit): async at once (a failover loses what the promoted standby had not applied); sync (remote_apply, one synchronous standby per shard) once the standby has applied it, so each commit waits one replication_lag draw and a failover loses nothing"),
        Field("write_latency", .distribution(.duration), required: true, "Time a write holds its shard connection"),
        Field("read_latency", .distribution(.duration), "Read latency (default: cache.l3.latency)"),
        Field("shard_key", .enumeration(["order_id", "restaurant", "customer"]), default: "order_id",
              "Hash key of the shards (the shard is carried in the order id, as in Instagram's ID scheme, so reads by order id find it); customer: a history query touches one shard"),
        Field("cpu", .object(databaseCPU), "Each shard primary and read replica as a server with cores and a service time per query kind (absent: unlimited, a write holds its connection for write_latency)"),
        Field("round_trips", .integer(min: 1, max: 100), "Round trips of a write transaction, during all of which it holds its connection (a cross-region writer pays each); absent: the connection is held only on the primary"),
    ])

    static let databaseCPU = ObjectSchema("Database servers' CPU (PostgreSQL: one backend per connection, running on one core at a time)", [
        Field("cores", .integer(min: 1, max: 1024), required: true, "Cores of each shard primary: a FIFO c-server queue"),
        Field("replica_cores", .integer(min: 1, max: 1024), default: .derived("cores"), "Cores of each read replica (one per shard per region per `read_replicas`)"),
        Field("insert", .distribution(.duration), required: true, "CPU per INSERT (place_order)"),
        Field("update", .distribution(.duration), required: true, "CPU per status UPDATE"),
        Field("keyed_read", .distribution(.duration), required: true, "CPU per keyed read (order status, menu load)"),
        Field("range_scan", .distribution(.duration), required: true, "CPU per month partition of a history range scan"),
    ])

    static let topic = ObjectSchema("One topic", [
        Field("partitions", .integer(min: 1, max: 100_000), required: true, "Partitions"),
        Field("replication", .integer(min: 1, max: 16), default: "3", "Replication factor (acks=all waits for every in-sync follower)"),
    ])

    static let kafka = ObjectSchema("Kafka", [
        Field("order_events", .object(topic), required: true, "Orders placed (key: order_id), consumed by matching_service"),
        Field("location_updates", .object(topic), required: true, "Courier pings (key: courier_id), consumed by location_service"),
        Field("produce_latency", .distribution(.duration), default: "2ms", "Leader append and one follower's fetch: acks=all waits for the slowest follower"),
        Field("rebalance_pause", .duration, default: "3s", "A consumer group stops consuming this long on every membership change"),
        Field("session_timeout", .duration, default: "45s", "A crashed consumer is noticed by the group this long after its crash (session.timeout.ms); a scaled-down one leaves at once"),
        Field("brokers", .object(kafkaBrokers), "The brokers of each region's cluster (absent: no brokers, acks=all as produce_latency alone)"),
        Field("consumer", .object(kafkaConsumer), "How consumers poll (batched: many records per request; off by default)"),
    ])

    static let matching = ObjectSchema("Matching", [
        Field("policy", .enumeration(["greedy", "batched"]), default: "batched", "Greedy nearest courier per order, or periodic exact batch assignment"),
        Field("interval", .duration(min: "100ms"), default: "30s", "Batch interval (greedy: retry interval for unmatched orders)"),
        Field("radius", .distance(min: "1m", max: "1000km"), default: "2.7km", "Couriers farther from the restaurant are not candidates"),
        Field("bundle_size", .integer(min: 1, max: 8), default: "1", "Orders per courier trip (same restaurant)"),
        Field("cancel_after", .duration, default: "15min", "An order not matched this long after it was placed is cancelled (with dispatch_hold: after it was released)"),
        Field("candidates", .integer(min: 0, max: 100_000), default: "0", "Only the k nearest idle couriers within the radius are candidates for an order (batched and greedy); 0: every courier in the radius (greedy: 16)"),
        Field("dispatch_hold", .object(dispatchHold), "Hold an order back until its food is nearly ready (matching_delay then runs from the order's release)"),
        Field("split", .enumeration(["none", "by_cell"]), default: "none", "batched: none, one matching_service request per run; by_cell, the run split by its restaurants' geohash cells into one part per ready replica, each matched when its CPU is done (a courier claimed by the first part to finish)"),
        Field("expand", .object(expandSearch), "batched: widen the search radius of an order left unmatched (expanding-radius dispatch; off by default)"),
        Field("bundle_ready_window", .duration, default: "5min",
              "With bundle_size > 1: an order joins a same-restaurant bundle only if its food is ready within this long of the bundle's earliest-ready order (Platform BundlingPolicy.readyWindow)"),
    ])

    static let dispatchHold = ObjectSchema("Dispatch hold: an order is offered only from ready − estimated travel − margin", [
        Field("enabled", .boolean, default: "false", "Hold orders (false: offer each as soon as it is open)"),
        Field("margin", .duration, default: "1min", "Offer this long before the estimated courier would have to leave (covers the batch interval and the answer)"),
        Field("bundling", .enumeration(["ready_window", "oldest_first"]), default: "ready_window",
              "With bundle_size > 1: ready_window, bundles as without the hold (by bundle_ready_window); oldest_first, the oldest order seeds a bundle and is handed over first, and a younger one joins last only if its food is ready no later than the oldest's (within bundle_ready_window) and its click-to-door stays within the oldest's"),
        Field("offer_to_estimate", .boolean, default: "false",
              "With matching.expand: a released order whose nearest idle courier (the hold's estimate) is beyond matching.radius is offered at once as far as that courier (false: the radius widens from matching.radius one step per expand.after)"),
    ])
}
