import DequeModule
import Platform
import Scenario
import SimCore

/// The seed's delivery platform end to end (see README.md in this folder for what is and
/// is not modelled). One `EventHandler`, dispatching on `Kind`; every decision the Platform
/// module covers (balancing, health, autoscaling, caching, partitioning, geo search,
/// matching) is made by the Platform code.
public final class PlatformSimulation: EventHandler {
    enum Kind: UInt32 {
        case orderArrival, menuArrival, profileStep, ping, cpuDone, stage, dbDone, requestFailed
        case courierStep, cancelCheck, matchTick, hpaTick, podReady, healthPoll, crash, crashRate
        case rebalanceDone, sample, warmupEnd, traceOrder
        case submitRequest, historyArrival, pickedUp, shiftEnd, consumerTimeout, queueTimeout
    }

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

    struct Shard {
        var busy = 0
        var queue = Deque<Int32>()
        var writes = 0
        var waited = 0
        var maxQueue = 0
    }

    struct StreamRNG: RandomNumberGenerator {
        let stream: RandomStream
        mutating func next() -> UInt64 { UInt64(stream.next32()) << 32 | UInt64(stream.next32()) }
    }

    let scenario: ScenarioConfig
    let config: PlatformConfig
    let warmup: SimTime
    let interval: SimTime
    var cities: [City] = []
    let couriers = SlotStore<Courier>(reservingCapacity: 1024)
    let orders = SlotStore<Order>(reservingCapacity: 1024)
    var freeOrders: [Int32] = []
    var ordersCreated = 0
    let requests = SlotStore<Request>(reservingCapacity: 4096)
    var freeRequests: [Int32] = []
    /// Built once in `init` and never changed afterwards (regions do not gain or lose pools,
    /// topics or caches during a run).
    let pools: [ServicePool]
    /// Pool index per (region, service), -1 for a region that is down.
    var poolOf: [[Int]] = []
    /// Pool serving city c's service s at `c * 3 + s` (its failover region's when down), and
    /// the client's round trip to the serving region per city: flat, for the hot paths.
    var servingPools: [Int] = []
    var servingRTT: [SimTime] = []
    /// Region of each pool (reading `pools[p].region` would retain the pool).
    var poolRegions: [Int] = []
    /// Topics: index region * 2 + (0 order_events, 1 location_updates); nil when down.
    let topics: [KafkaTopic?]
    let caches: [CacheHierarchy<Int, Int>?]
    var shards: [Shard] = []
    let sharding: PostgresHashPartitioning
    let months: MonthlyRangePartitioning
    var monthWrites: [Int: Int] = [:]
    var batchMatchers: [BatchMatcher] = []
    var greedy: GreedyMatcher
    let travel: HaversineTravelModel
    let service: ServiceDurations
    var lbRNG: StreamRNG
    let kafkaStream: RandomStream
    let dbStream: RandomStream
    let cacheStream: RandomStream
    let crashStream: RandomStream
    let pingStream: RandomStream
    let retryStream: RandomStream
    let shiftStream: RandomStream
    let lagStream: RandomStream
    var podBuffer: [HPAPod] = []
    var probeBuffer: [HealthProbe] = []
    var transitionBuffer: [HealthTransition] = []
    var dispatchOrders: [DispatchOrder] = []
    var dispatchCouriers: [DispatchCourier] = []

    // Measurements.
    var clickToDoor = LatencyHistogram()
    var matchingDelay = LatencyHistogram()
    var foodWait = LatencyHistogram()
    var dbWrite = LatencyHistogram()
    var produceAck = LatencyHistogram()
    var placed = 0
    var delivered = 0
    var cancelled = 0
    var rejected = 0
    var crossRegionWrites = 0
    var bundleViolations = 0
    var duplicateConsumption = 0
    var matchRuns = 0
    var pings = 0
    var menuViews = 0
    var statusReads = 0
    var staleReads = 0
    var historyQueries = 0
    var historyPartitions = 0
    var statusWrites = 0
    var shiftsEnded = 0
    /// Client calls answered by another region's pools (a city whose region is down).
    var crossRegionCalls = 0
    /// Reads sent to the primary from another region (no read replicas).
    var crossRegionReads = 0
    var queueTokens: UInt32 = 0

    /// Recorded orders replacing the Poisson orders (`demand.trace`), and where each trace
    /// restaurant was placed: (city, index into that city's restaurants), filled on first use.
    let trace: OrderTrace?
    var traceRestaurantSlot: [(city: Int32, index: Int32)] = []
    var traceNext = 0

    public init(scenario: ScenarioConfig, config: PlatformConfig, seed: UInt64, trace: OrderTrace? = nil) {
        self.scenario = scenario
        self.trace = trace
        traceRestaurantSlot = Array(repeating: (-1, -1), count: trace?.restaurants.count ?? 0)
        self.config = config
        if case .fixed(let w) = scenario.warmup { warmup = w } else { warmup = 0 }
        interval = scenario.reportInterval
        let seeder = StreamSeeder(masterSeed: seed)
        travel = HaversineTravelModel(metersPerSecond: config.courierSpeed)
        service = ServiceDurations(pickup: config.pickupService, dropoff: config.dropoffService)
        let bundling = config.bundleSize > 1
            ? BundlingPolicy(maxOrders: config.bundleSize, sequencing: config.bundleSize <= 8 ? .exhaustive : .nearestNeighbour) : .off
        let policy = BatchPolicy(interval: config.matchingInterval, radiusMeters: config.matchingRadius, service: service, bundling: bundling)
        greedy = GreedyMatcher(initialRadiusMeters: min(1000, max(1, config.matchingRadius)), maxRadiusMeters: max(1, config.matchingRadius),
                               candidateLimit: 16, service: service)
        sharding = PostgresHashPartitioning.uniform(count: config.shards)
        months = MonthlyRangePartitioning(epoch: CivilDate(year: config.epoch.year, month: config.epoch.month, day: config.epoch.day))
        shards = Array(repeating: Shard(), count: config.shards)
        lbRNG = StreamRNG(stream: seeder.stream("lb"))
        kafkaStream = seeder.stream("kafka")
        dbStream = seeder.stream("db")
        cacheStream = seeder.stream("cache")
        crashStream = seeder.stream("crashes")
        pingStream = seeder.stream("pings")
        retryStream = seeder.stream("retries")
        shiftStream = seeder.stream("shifts")
        lagStream = seeder.stream("replication")

        let hc = HealthCheckConfig.haproxy(path: config.healthPath, interval: config.healthInterval, rise: config.healthRise,
                                           fall: config.healthFall, timeout: config.healthTimeout)
        let algorithm = LoadBalancingAlgorithm(rawValue: config.lbAlgorithm) ?? .leastConnections
        var customerCount = 0
        var pools: [ServicePool] = [], topics: [KafkaTopic?] = [], caches: [CacheHierarchy<Int, Int>?] = []
        for (r, region) in config.regions.enumerated() {
            // The city: restaurants and couriers spread over a disc around the centre.
            let geo = seeder.stream("city.\(region.name)")
            let centre = DispatchPosition(longitude: region.longitude, latitude: region.latitude)
            let nRest = max(1, Int((Double(config.restaurantCount) * region.demandShare).rounded()))
            let restaurants = (0..<nRest).map { _ in Self.offset(centre, uniformDiscOf: region.cityRadius, geo) }
            cities.append(City(restaurants: restaurants, zipf: ZipfSampler(count: nRest, exponent: config.zipfExponent),
                               orderStream: seeder.stream("orders.\(region.name)"), menuStream: seeder.stream("menus.\(region.name)"),
                               placeStream: seeder.stream("places.\(region.name)"), prepStream: seeder.stream("prep.\(region.name)"),
                               historyStream: seeder.stream("history.\(region.name)")))
            cities[r].firstCustomer = customerCount
            cities[r].customers = max(1, Int((Double(config.customers) * region.demandShare).rounded()))
            customerCount += cities[r].customers
            let nCour = max(0, Int((Double(config.courierCount) * region.demandShare).rounded()))
            for _ in 0..<nCour {
                let p = Self.offset(centre, uniformDiscOf: region.cityRadius, geo)
                cities[r].couriers.append(couriers.count)
                couriers.append(Courier(city: Int32(r), position: p, known: p))
            }
            batchMatchers.append(BatchMatcher(policy: policy))
            // The region's infrastructure, unless it is down.
            var row = [-1, -1, -1]
            if !region.down {
                for s in 0..<3 {
                    row[s] = pools.count
                    pools.append(ServicePool(service: s, region: r, regionName: region.name, config: config.services[s],
                                             balancer: algorithm.makeBalancer(), health: HealthChecker(config: hc), seeder: seeder,
                                             series: interval))
                }
                topics.append(KafkaTopic(name: "order_events", partitions: config.orderEvents.partitions, replication: config.orderEvents.replication,
                                         series: interval))
                topics.append(KafkaTopic(name: "location_updates", partitions: config.locationUpdates.partitions,
                                         replication: config.locationUpdates.replication, series: interval))
                caches.append(CacheHierarchy<Int, Int>(configuration: CacheHierarchyConfiguration(
                    l1Capacity: config.l1Capacity, l1TTL: config.l1TTL, l2TTL: config.l2TTL), replicas: 0))
            } else {
                topics.append(nil); topics.append(nil); caches.append(nil)
            }
            poolOf.append(row)
        }
        self.pools = pools
        self.topics = topics
        self.caches = caches
        poolRegions = pools.map(\.region)
        for region in config.regions {
            for s in 0..<3 { servingPools.append(poolOf[region.servedBy][s]) }
            servingRTT.append(region.rtt[region.servedBy])
        }
        if config.stickySessions {
            // order_service pools keep a cookie per customer, location_service pools one per courier.
            for pool in pools where pool.service != 2 {
                pool.enableSessions(count: pool.service == 0 ? customerCount : couriers.count, ttl: config.sessionTTL)
            }
        }
    }

    /// A uniform point of the disc of `radius` metres around `centre` (equirectangular offset).
    static func offset(_ centre: DispatchPosition, uniformDiscOf radius: Double, _ stream: RandomStream) -> DispatchPosition {
        let d = radius * stream.uniform().squareRoot()
        let a = 2 * Double.pi * stream.uniform()
        return offset(centre, east: d * _cos(a), north: d * _sin(a))
    }

    static func offset(_ p: DispatchPosition, east: Double, north: Double) -> DispatchPosition {
        let lat = p.latitude + north / 111_320
        let lon = p.longitude + east / (111_320 * _cos(p.latitude * Double.pi / 180))
        return DispatchPosition(longitude: lon, latitude: max(-85, min(85, lat)))
    }

    // MARK: start

    public func start(_ s: inout Scheduler) {
        for p in pools.indices {
            let pool = pools[p]
            for _ in 0..<pool.config.initial {
                let r = pool.addPod(now: 0, startedAt: 0, readyAt: 0)
                onPodCreated(p, r)
                pool.markReady(r, now: 0)
            }
            schedulePoll(p, &s)
            if config.crashRates[pool.service] > 0 { scheduleCrash(p, &s) }
        }
        for r in config.regions.indices where !config.regions[r].down {
            rebalance(topic: r * 2, &s)
            rebalance(topic: r * 2 + 1, &s)
        }
        for c in cities.indices {
            cities[c].profileHour = profileHour(at: 0)
            scheduleArrivals(c, &s)
            let next = nextHourBoundary(after: 0)
            s.schedule(at: next, kind: Kind.profileStep.rawValue, target: UInt32(c))
            s.schedule(at: config.matchingInterval, kind: Kind.matchTick.rawValue, target: UInt32(c))
        }
        for k in couriers.indices {
            // Spread the first pings over one idle interval.
            let firstPing = SimTime(pingStream.uniform() * Double(config.pingIdle))
            s.schedule(at: firstPing, kind: Kind.ping.rawValue, target: UInt32(k))
            if let shift = config.shiftLength {
                // Shifts in progress at t = 0: a uniform point of a drawn shift is left.
                couriers[k].shiftEndsAt = SimTime(shiftStream.uniform() * Double(shift.sampleTime(shiftStream)))
                scheduleShiftEnd(k, before: firstPing, &s)
            }
        }
        scheduleTraceOrder(&s)
        s.schedule(at: 15 * SimUnit.second, kind: Kind.hpaTick.rawValue)
        s.schedule(at: interval, kind: Kind.sample.rawValue)
        for c in config.crashes {
            let p = poolOf[c.region][c.service]
            if p >= 0 { s.schedule(at: c.at, kind: Kind.crash.rawValue, target: UInt32(p), payload: UInt64(c.count)) }
        }
        if warmup > 0 { s.schedule(at: warmup, kind: Kind.warmupEnd.rawValue) }
    }

    func onPodCreated(_ p: Int, _ r: Int) {
        let pool = pools[p]
        if pool.service == 0, let cache = caches[pool.region] { pool.replicas[r].cacheSlot = cache.addReplica() }
    }

    // MARK: events

    public func handle(_ e: Event, _ s: inout Scheduler) {
        switch Kind(rawValue: e.kind).unsafelyUnwrapped {
        case .orderArrival:
            let c = Int(e.target)
            guard e.payload == cities[c].generation else { return }
            newOrder(c, &s)
            scheduleOrder(c, &s)
        case .menuArrival:
            let c = Int(e.target)
            guard e.payload == cities[c].generation else { return }
            newMenuView(c, &s)
            scheduleMenu(c, &s)
        case .profileStep:
            // Piecewise-constant rate: by memorylessness, redraw both streams from the change.
            let c = Int(e.target)
            cities[c].generation &+= 1
            cities[c].profileHour = profileHour(at: s.now)
            scheduleArrivals(c, &s)
            s.schedule(at: nextHourBoundary(after: s.now), kind: Kind.profileStep.rawValue, target: UInt32(c))
        case .ping:
            let k = Int(e.target)
            if e.payload == couriers[k].pingGeneration { ping(k, &s) }
        case .cpuDone:
            cpuDone(Int32(truncatingIfNeeded: e.payload), &s)
        case .stage:
            advance(Int32(truncatingIfNeeded: e.payload), &s)
        case .dbDone:
            dbDone(shard: Int(e.target), Int32(truncatingIfNeeded: e.payload), &s)
        case .requestFailed:
            fail(Int32(truncatingIfNeeded: e.payload), timedOut: true, &s)
        case .courierStep:
            courierStep(Int(e.target), step: Int(e.payload), &s)
        case .cancelCheck:
            cancelDue(Int(e.target), &s)
        case .matchTick:
            matchTick(Int(e.target), &s)
            s.schedule(after: config.matchingInterval, kind: Kind.matchTick.rawValue, target: e.target)
        case .hpaTick:
            for p in pools.indices { autoscale(p, &s) }
            s.schedule(after: 15 * SimUnit.second, kind: Kind.hpaTick.rawValue)
        case .podReady:
            let p = Int(e.target), r = Int(e.payload)
            guard pools[p].replicas[r].state == .starting else { return }
            pools[p].markReady(r, now: s.now)
            schedulePoll(p, &s)
            membershipChanged(p, &s)
        case .healthPoll:
            let p = Int(e.target)
            guard e.time == pools[p].pollAt else { return }
            pools[p].pollAt = -1
            healthPoll(p, &s)
        case .crash:
            let p = Int(e.target)
            for _ in 0..<Int(e.payload) {
                guard let r = pools[p].replicas.indices.first(where: { pools[p].replicas[$0].state == .ready }) else { break }
                crash(p, r, &s)
            }
        case .crashRate:
            let p = Int(e.target)
            let ready = pools[p].replicas.indices.filter { pools[p].replicas[$0].state == .ready }
            if !ready.isEmpty { crash(p, ready[crashStream.integer(below: ready.count)], &s) }
            scheduleCrash(p, &s)
        case .submitRequest:
            let q = Int32(truncatingIfNeeded: e.payload)
            submit(q, pool: Int(requests[Int(q)].pool), &s)
        case .historyArrival:
            let c = Int(e.target)
            guard e.payload == cities[c].generation else { return }
            newHistoryView(c, &s)
            scheduleHistory(c, &s)
        case .pickedUp:
            pickedUp(Int(e.target), &s)
        case .shiftEnd:
            let k = Int(e.target)
            if e.payload == couriers[k].pingGeneration { shiftEnd(k, &s) }
        case .consumerTimeout:
            membershipChanged(Int(e.target), &s)
        case .queueTimeout:
            queueTimeout(Int32(truncatingIfNeeded: e.payload), token: UInt32(truncatingIfNeeded: e.payload >> 32), &s)
        case .traceOrder:
            placeTraceOrder(Int(e.payload), &s)
            scheduleTraceOrder(&s)
        case .rebalanceDone:
            let t = Int(e.target)
            if let topic = topics[t], topic.endRebalance(e.payload, now: s.now) {
                for part in 0..<topic.partitions { dispatch(topic: t, part, &s) }
            }
        case .sample:
            for pool in pools { pool.sample(s.now) }
            for case let topic? in topics { topic.lagSeries.record(Double(topic.lag), at: s.now - interval) }
            s.schedule(after: interval, kind: Kind.sample.rawValue)
        case .warmupEnd:
            for pool in pools {
                pool.replicasGauge.reset(at: s.now)
                pool.advance(s.now)
                pool.queuedAtWarmup = pool.queuedIntegral
                pool.busyAtWarmup = pool.busyIntegral
                pool.capacityAtWarmup = pool.capacityIntegral
                pool.warmupAt = s.now
            }
            for case let topic? in topics { topic.resetLagStatistics(at: s.now) }
        }
    }

}
