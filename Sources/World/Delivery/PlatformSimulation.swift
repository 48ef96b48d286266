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
        case orderArrival, menuArrival, profileStep, ping, cpuDone, stage, requestFailed
        case courierStep, cancelCheck, matchTick, podReady, healthPoll
        case sample, warmupEnd, traceOrder
        case submitRequest, historyArrival, pickedUp, shiftEnd, consumerTimeout, queueTimeout
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
    /// The components this simulation is made of (see Sources/World/README.md).
    let kafka: KafkaCluster
    let database: OrdersDatabase
    let caches: MenuCaches
    let failures: Failures
    let autoscaler = Autoscaler()
    var batchMatchers: [BatchMatcher] = []
    var greedy: GreedyMatcher
    let travel: HaversineTravelModel
    let service: ServiceDurations
    var lbRNG: StreamRNG
    let pingStream: RandomStream
    let retryStream: RandomStream
    let shiftStream: RandomStream
    var probeBuffer: [HealthProbe] = []
    var transitionBuffer: [HealthTransition] = []
    var dispatchOrders: [DispatchOrder] = []
    var dispatchCouriers: [DispatchCourier] = []

    // Measurements.
    var clickToDoor = LatencyHistogram()
    var matchingDelay = LatencyHistogram()
    var foodWait = LatencyHistogram()
    var produceAck = LatencyHistogram()
    var placed = 0
    var delivered = 0
    var cancelled = 0
    var rejected = 0
    /// Incidents for the report's time charts (crashes, scale events, rebalances, failovers).
    var markers: [RunMetrics.Marker] = []
    /// Latency of each client endpoint per city over time (`city * 5 + RequestKind` for the
    /// five client kinds), warm-up included: the p50/p99 and throughput charts.
    var endpointSeries: [PercentileSeries] = []
    /// Interval of the level series (pods, lag) and of the latency series, from the run length.
    let levelInterval: SimTime
    let latencyInterval: SimTime
    var bundleViolations = 0
    var duplicateConsumption = 0
    var matchRuns = 0
    var pings = 0
    var menuViews = 0
    var shiftsEnded = 0
    /// Client calls answered by another region's pools (a city whose region is down).
    var crossRegionCalls = 0
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
        levelInterval = MetricsFormat.chartInterval(scenario.duration ?? SimUnit.hour, points: 360)
        latencyInterval = MetricsFormat.chartInterval(scenario.duration ?? SimUnit.hour, points: 120)
        let seeder = StreamSeeder(masterSeed: seed)
        travel = HaversineTravelModel(metersPerSecond: config.courierSpeed)
        service = ServiceDurations(pickup: config.pickupService, dropoff: config.dropoffService)
        let bundling = config.bundleSize > 1
            ? BundlingPolicy(maxOrders: config.bundleSize, sequencing: config.bundleSize <= 8 ? .exhaustive : .nearestNeighbour) : .off
        let policy = BatchPolicy(interval: config.matchingInterval, radiusMeters: config.matchingRadius, service: service, bundling: bundling)
        greedy = GreedyMatcher(initialRadiusMeters: min(1000, max(1, config.matchingRadius)), maxRadiusMeters: max(1, config.matchingRadius),
                               candidateLimit: 16, service: service)
        kafka = KafkaCluster(config: config, seeder: seeder, series: levelInterval)
        database = OrdersDatabase(config: config, seeder: seeder, warmup: warmup)
        caches = MenuCaches(config: config, seeder: seeder)
        lbRNG = StreamRNG(stream: seeder.stream("lb"))
        failures = Failures(config: config, seeder: seeder)
        pingStream = seeder.stream("pings")
        retryStream = seeder.stream("retries")
        shiftStream = seeder.stream("shifts")

        let hc = HealthCheckConfig.haproxy(path: config.healthPath, interval: config.healthInterval, rise: config.healthRise,
                                           fall: config.healthFall, timeout: config.healthTimeout)
        let algorithm = LoadBalancingAlgorithm(rawValue: config.lbAlgorithm) ?? .leastConnections
        var customerCount = 0
        var pools: [ServicePool] = []
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
                                             series: interval, levelSeries: levelInterval))
                    autoscaler.addPool(config.services[s])
                }
            }
            poolOf.append(row)
        }
        self.pools = pools
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
        endpointSeries = Array(repeating: PercentileSeries(interval: latencyInterval, maxPoints: 512), count: cities.count * 5)
        for region in config.regions where region.down {
            mark(0, "failover", "\(region.name) down: served by \(config.regions[region.servedBy].name)")
        }
        for p in pools.indices {
            let pool = pools[p]
            for _ in 0..<pool.config.initial {
                let r = pool.addPod(now: 0, startedAt: 0, readyAt: 0)
                onPodCreated(p, r)
                pool.markReady(r, now: 0)
            }
            schedulePoll(p, &s)
            if failures.crashesAtRandom(service: pool.service) { failures.scheduleRandomCrash(pool: p, service: pool.service, ready: pool.ready, &s) }
        }
        for r in config.regions.indices where !config.regions[r].down {
            rebalance(topic: KafkaCluster.topic(region: r, orderEvents: true), &s)
            rebalance(topic: KafkaCluster.topic(region: r, orderEvents: false), &s)
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
        autoscaler.start(&s)
        s.schedule(at: interval, kind: Kind.sample.rawValue)
        failures.scheduleGivenCrashes(poolOf: poolOf, &s)
        if warmup > 0 { s.schedule(at: warmup, kind: Kind.warmupEnd.rawValue) }
    }

    func onPodCreated(_ p: Int, _ r: Int) {
        let pool = pools[p]
        if pool.service == 0 { pool.replicas[r].cacheSlot = caches.addReplica(region: pool.region) }
    }

    // MARK: events

    /// Dispatches on the component in `e.kind`'s high bits (`ComponentID`), then on its kind.
    public func handle(_ e: Event, _ s: inout Scheduler) {
        switch e.kind >> 8 {
        case ComponentID.database.rawValue:
            writeCommitted(database.handle(e, &s), &s)
        case ComponentID.failures.rawValue:
            crashDue(failures.handle(e), &s)
        case ComponentID.autoscaler.rawValue:
            switch autoscaler.handle(e) {
            case .sync:
                for p in pools.indices { autoscale(p, &s) }
                autoscaler.scheduleNextSync(&s)
            }
        case ComponentID.kafka.rawValue:
            if let t = kafka.handle(e, s.now) {
                for part in 0..<kafka.partitions(t) { dispatch(topic: t, part, &s) }
            }
        default:
            handleCore(e, &s)
        }
    }

    /// The events not yet moved into a component of their own.
    func handleCore(_ e: Event, _ s: inout Scheduler) {
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
        case .requestFailed:
            fail(Int32(truncatingIfNeeded: e.payload), timedOut: true, &s)
        case .courierStep:
            courierStep(Int(e.target), step: Int(e.payload), &s)
        case .cancelCheck:
            cancelDue(Int(e.target), &s)
        case .matchTick:
            matchTick(Int(e.target), &s)
            s.schedule(after: config.matchingInterval, kind: Kind.matchTick.rawValue, target: e.target)
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
        case .sample:
            for pool in pools { pool.sample(s.now) }
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
            kafka.warmupEnded(s.now)
        }
    }

}
