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
    }

    enum RequestKind: UInt8 {
        case placeOrder, menuView, locationUpdate, locationConsume, orderEvent, matchBatch
        var service: Int { switch self { case .placeOrder, .menuView: 0; case .locationUpdate, .locationConsume: 1; case .orderEvent, .matchBatch: 2 } }
        var cpuType: Int { switch self { case .placeOrder, .locationUpdate, .orderEvent: 0; case .menuView, .locationConsume, .matchBatch: 1 } }
        var isConsumer: Bool { self == .locationConsume || self == .orderEvent }
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
        var partition: Int32 = -1
        var longitude: Double = 0
        var latitude: Double = 0
        var producedAt: SimTime = 0
        var units: Int = 1
    }

    enum OrderState: UInt8 { case placing, pending, assigned, delivered, cancelled, failed }

    struct Order {
        var city: Int32
        var restaurant: Int32
        var customer: DispatchPosition
        var placedAt: SimTime
        var readyAt: SimTime
        var state: OrderState = .placing
        var consumed: UInt8 = 0
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
    }

    struct City {
        var restaurants: [DispatchPosition]
        var zipf: ZipfSampler
        var couriers: [Int] = []
        var source = GeoSetCandidateSource()
        var open: [Int] = []
        var matchPending = false
        var profileHour = 0
        var generation: UInt64 = 0
        let orderStream: RandomStream
        let menuStream: RandomStream
        let placeStream: RandomStream
        let prepStream: RandomStream
        var placeOrder = LatencyHistogram()
        var menuView = LatencyHistogram()
        var locationUpdate = LatencyHistogram()
        var placeOrderFailed = 0
        var menuFailed = 0
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
    var couriers: [Courier] = []
    var orders: [Order] = []
    var requests: [Request] = []
    var freeRequests: [Int32] = []
    var pools: [ServicePool] = []
    /// Pool index per (region, service), -1 for a region that is down.
    var poolOf: [[Int]] = []
    /// Topics: index region * 2 + (0 order_events, 1 location_updates); nil when down.
    var topics: [KafkaTopic?] = []
    var caches: [CacheHierarchy<Int, Int>?] = []
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
    var sampleTimes: [SimTime] = []

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

        let hc = HealthCheckConfig.haproxy(path: config.healthPath, interval: config.healthInterval, rise: config.healthRise,
                                           fall: config.healthFall, timeout: config.healthTimeout)
        let algorithm = LoadBalancingAlgorithm(rawValue: config.lbAlgorithm) ?? .leastConnections
        for (r, region) in config.regions.enumerated() {
            // The city: restaurants and couriers spread over a disc around the centre.
            let geo = seeder.stream("city.\(region.name)")
            let centre = DispatchPosition(longitude: region.longitude, latitude: region.latitude)
            let nRest = max(1, Int((Double(config.restaurantCount) * region.demandShare).rounded()))
            let restaurants = (0..<nRest).map { _ in Self.offset(centre, uniformDiscOf: region.cityRadius, geo) }
            cities.append(City(restaurants: restaurants, zipf: ZipfSampler(count: nRest, exponent: config.zipfExponent),
                               orderStream: seeder.stream("orders.\(region.name)"), menuStream: seeder.stream("menus.\(region.name)"),
                               placeStream: seeder.stream("places.\(region.name)"), prepStream: seeder.stream("prep.\(region.name)")))
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
                                             balancer: algorithm.makeBalancer(), health: HealthChecker(config: hc), seeder: seeder))
                }
                topics.append(KafkaTopic(name: "order_events", partitions: config.orderEvents.partitions, replication: config.orderEvents.replication))
                topics.append(KafkaTopic(name: "location_updates", partitions: config.locationUpdates.partitions,
                                         replication: config.locationUpdates.replication))
                caches.append(CacheHierarchy<Int, Int>(configuration: CacheHierarchyConfiguration(
                    l1Capacity: config.l1Capacity, l1TTL: config.l1TTL, l2TTL: config.l2TTL), replicas: 0))
            } else {
                topics.append(nil); topics.append(nil); caches.append(nil)
            }
            poolOf.append(row)
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
            s.schedule(at: SimTime(pingStream.uniform() * Double(config.pingIdle)), kind: Kind.ping.rawValue, target: UInt32(k))
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

    // MARK: demand

    func profileHour(at t: SimTime) -> Int {
        Int(((config.profileStart + t) / SimUnit.hour) % SimTime(config.profile.count))
    }

    func nextHourBoundary(after t: SimTime) -> SimTime {
        let abs = config.profileStart + t
        return (abs / SimUnit.hour + 1) * SimUnit.hour - config.profileStart
    }

    func orderRate(_ c: Int) -> Double {
        config.ordersPerHour / 3600 * config.regions[c].demandShare * config.profile[cities[c].profileHour]
    }

    func scheduleArrivals(_ c: Int, _ s: inout Scheduler) {
        scheduleOrder(c, &s)
        scheduleMenu(c, &s)
    }

    func scheduleOrder(_ c: Int, _ s: inout Scheduler) {
        guard trace == nil else { return }
        let rate = orderRate(c)
        guard rate > 0 else { return }
        let dt = SimUnit.fromSeconds(-_log(cities[c].orderStream.uniformPositive()) / rate)
        s.schedule(after: dt, kind: Kind.orderArrival.rawValue, target: UInt32(c), payload: cities[c].generation)
    }

    func scheduleMenu(_ c: Int, _ s: inout Scheduler) {
        let rate = orderRate(c) * config.menuViewsPerOrder
        guard rate > 0 else { return }
        let dt = SimUnit.fromSeconds(-_log(cities[c].menuStream.uniformPositive()) / rate)
        s.schedule(after: dt, kind: Kind.menuArrival.rawValue, target: UInt32(c), payload: cities[c].generation)
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
            ping(Int(e.target), &s)
        case .cpuDone:
            cpuDone(Int32(truncatingIfNeeded: e.payload), &s)
        case .stage:
            advance(Int32(truncatingIfNeeded: e.payload), &s)
        case .dbDone:
            dbDone(shard: Int(e.target), Int32(truncatingIfNeeded: e.payload), &s)
        case .requestFailed:
            fail(Int32(truncatingIfNeeded: e.payload), timedOut: true, s.now)
        case .courierStep:
            courierStep(Int(e.target), step: Int(e.payload), &s)
        case .cancelCheck:
            let o = Int(e.payload)
            if orders[o].state == .pending {
                orders[o].state = .cancelled
                cancelled += 1
                let c = Int(orders[o].city)
                if let i = cities[c].open.firstIndex(of: o) { cities[c].open.remove(at: i) }
            }
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
            for case let topic? in topics { topic.lagSeries.append(Double(topic.lag)) }
            sampleTimes.append(s.now)
            s.schedule(after: interval, kind: Kind.sample.rawValue)
        case .warmupEnd:
            for pool in pools { pool.replicasGauge.reset(at: s.now) }
            for case let topic? in topics { topic.lagGauge.reset(at: s.now) }
        }
    }

    // MARK: requests

    func newRequest(_ r: Request) -> Int32 {
        if let i = freeRequests.popLast() { requests[Int(i)] = r; return i }
        requests.append(r)
        return Int32(requests.count - 1)
    }

    /// Sends a request through the pool's load balancer.
    func submit(_ q: Int32, pool p: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        requests[Int(q)].pool = Int32(p)
        guard let r = pool.balancer.choose(now: s.now, keyHash: 0, using: &lbRNG) else {
            pool.failed += 1
            fail(q, timedOut: false, s.now)
            return
        }
        pool.balancer.connectionOpened(r)
        requests[Int(q)].replica = Int32(r)
        if pool.replicas[r].state == .dead {
            // Routed to a crashed pod the health checks have not caught yet: no answer.
            s.schedule(after: pool.config.timeout, kind: Kind.requestFailed.rawValue, payload: UInt64(q))
            return
        }
        enqueue(q, p, r, &s)
    }

    func enqueue(_ q: Int32, _ p: Int, _ r: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        requests[Int(q)].arrived = s.now
        requests[Int(q)].replica = Int32(r)
        if pool.replicas[r].busy < pool.config.cores {
            startCPU(q, p, r, &s)
        } else {
            pool.replicas[r].queue.append(q)
        }
    }

    func startCPU(_ q: Int32, _ p: Int, _ r: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        pool.advance(s.now)
        pool.advanceReplica(r, s.now)
        pool.replicas[r].busy += 1
        pool.busyCores += 1
        let req = requests[Int(q)]
        var d = pool.config.cpu[req.kind.cpuType].sampleTime(pool.cpuStreams[req.kind.cpuType])
        if req.units > 1 { d *= SimTime(req.units) }
        s.schedule(after: d, kind: Kind.cpuDone.rawValue, target: UInt32(p), payload: UInt64(q))
    }

    func cpuDone(_ q: Int32, _ s: inout Scheduler) {
        let p = Int(requests[Int(q)].pool), r = Int(requests[Int(q)].replica)
        let pool = pools[p]
        if pool.replicas[r].state == .dead {
            lost(q, s.now, &s)
            return
        }
        pool.advance(s.now)
        pool.advanceReplica(r, s.now)
        pool.replicas[r].busy -= 1
        pool.busyCores -= 1
        while let next = pool.replicas[r].queue.popFirst() {
            let n = requests[Int(next)]
            if !n.kind.isConsumer && s.now - n.arrived > pool.config.timeout {
                pool.timeouts += 1
                fail(next, timedOut: true, s.now)
                continue
            }
            startCPU(next, p, r, &s)
            break
        }
        pool.retireIfIdle(r, now: s.now)
        requests[Int(q)].stage = 1
        advance(q, &s)
    }

    /// A request on a pod that crashed: consumers put their record back, API calls time out.
    func lost(_ q: Int32, _ now: SimTime, _ s: inout Scheduler) {
        let req = requests[Int(q)]
        if req.kind.isConsumer {
            let t = topicIndex(pool: Int(req.pool))
            topics[t]!.putBack(KafkaTopic.Record(key: Int32(req.subject), longitude: req.longitude, latitude: req.latitude,
                                                 producedAt: req.producedAt), Int(req.partition))
            freeRequests.append(q)
            dispatch(topic: t, Int(req.partition), &s)
        } else {
            let at = max(now, req.arrived + pools[Int(req.pool)].config.timeout)
            s.schedule(at: at, kind: Kind.requestFailed.rawValue, payload: UInt64(q))
        }
    }

    func topicIndex(pool p: Int) -> Int { pools[p].region * 2 + (pools[p].service == 2 ? 0 : 1) }

    /// The request failed (timeout, no backend, dead pod).
    func fail(_ q: Int32, timedOut: Bool, _ now: SimTime) {
        let req = requests[Int(q)]
        let pool = pools[Int(req.pool)]
        if req.viaBalancer && req.replica >= 0 {
            pool.balancer.connectionClosed(Int(req.replica), failed: true, now: now)
        }
        let c = Int(req.city)
        switch req.kind {
        case .placeOrder:
            orders[req.subject].state = .failed
            rejected += 1
            cities[c].placeOrderFailed += 1
        case .menuView: cities[c].menuFailed += 1
        case .locationUpdate: cities[c].pingsFailed += 1
        case .matchBatch: cities[c].matchPending = false
        case .orderEvent, .locationConsume: break
        }
        freeRequests.append(q)
    }

    /// The request's next step after its CPU (stage 1) and after each modelled latency.
    func advance(_ q: Int32, _ s: inout Scheduler) {
        let req = requests[Int(q)]
        let c = Int(req.city)
        let region = pools[Int(req.pool)].region
        switch req.kind {
        case .placeOrder:
            switch req.stage {
            case 1:
                // INSERT on the shard of hash(order_id), on the primary.
                let shard = sharding.partition(forInt8: Int64(req.subject + 1)) ?? 0
                if config.monthlyPartitions { monthWrites[months.monthOrdinal(at: s.now), default: 0] += 1 }
                shards[shard].writes += 1
                requests[Int(q)].arrived = s.now
                if shards[shard].busy < config.connectionsPerShard {
                    shards[shard].busy += 1
                    s.schedule(after: config.writeLatency.sampleTime(dbStream), kind: Kind.dbDone.rawValue, target: UInt32(shard), payload: UInt64(q))
                } else {
                    shards[shard].waited += 1
                    shards[shard].queue.append(q)
                    shards[shard].maxQueue = max(shards[shard].maxQueue, shards[shard].queue.count)
                }
            case 2:
                // acks=all: the leader waits for the slowest in-sync follower.
                let t = region * 2
                let topic = topics[t]!
                requests[Int(q)].partition = Int32(topic.partition(forKey: req.subject))
                requests[Int(q)].stage = 3
                requests[Int(q)].arrived = s.now
                s.schedule(after: acksAll(topic), kind: Kind.stage.rawValue, payload: UInt64(q))
            default:
                let topic = topics[region * 2]!
                if req.start >= warmup { produceAck.record(s.now - req.arrived) }
                let o = req.subject
                orders[o].state = .pending
                orders[o].placedAt = s.now
                orders[o].readyAt = orders[o].tracedReady >= 0 ? max(orders[o].tracedReady, s.now)
                    : s.now + config.prepTime.sampleTime(cities[c].prepStream)
                placed += 1
                topic.append(KafkaTopic.Record(key: Int32(o), longitude: 0, latitude: 0, producedAt: s.now), to: Int(req.partition), now: s.now)
                s.schedule(after: config.cancelAfter, kind: Kind.cancelCheck.rawValue, payload: UInt64(o))
                finish(q, &s)
                dispatch(topic: region * 2, Int(req.partition), &s)
            }
        case .menuView:
            let cache = caches[region]!
            let slot = pools[Int(req.pool)].replicas[Int(req.replica)].cacheSlot
            switch req.stage {
            case 1:
                switch cache.begin(req.subject, replica: slot, request: Int(q), now: s.now) {
                case .served:
                    requests[Int(q)].stage = 4
                    s.schedule(after: config.l1Latency.sampleTime(cacheStream), kind: Kind.stage.rawValue, payload: UInt64(q))
                default:
                    requests[Int(q)].stage = 2
                    s.schedule(after: config.l1Latency.sampleTime(cacheStream) + config.l2Latency.sampleTime(cacheStream),
                               kind: Kind.stage.rawValue, payload: UInt64(q))
                }
            case 2:
                switch cache.resumeAfterL2(req.subject, replica: slot, now: s.now) {
                case .served: finish(q, &s)
                default:
                    requests[Int(q)].stage = 3
                    s.schedule(after: config.readLatency.sampleTime(dbStream), kind: Kind.stage.rawValue, payload: UInt64(q))
                }
            case 3:
                _ = cache.complete(req.subject, replica: slot, loaded: req.subject, now: s.now)
                finish(q, &s)
            default:
                finish(q, &s)
            }
        case .locationUpdate:
            if req.stage == 1 {
                let topic = topics[region * 2 + 1]!
                requests[Int(q)].partition = Int32(topic.partition(forKey: req.subject))
                requests[Int(q)].stage = 2
                s.schedule(after: acksAll(topic), kind: Kind.stage.rawValue, payload: UInt64(q))
            } else {
                let t = region * 2 + 1
                topics[t]!.append(KafkaTopic.Record(key: Int32(req.subject), longitude: req.longitude, latitude: req.latitude, producedAt: s.now),
                                  to: Int(req.partition), now: s.now)
                finish(q, &s)
                dispatch(topic: t, Int(req.partition), &s)
            }
        case .locationConsume:
            let t = region * 2 + 1
            topics[t]!.commit(Int(req.partition), now: s.now)
            let k = req.subject
            let pos = DispatchPosition(longitude: req.longitude, latitude: req.latitude)
            couriers[k].known = pos
            if !couriers[k].onTrip {
                let cc = Int(couriers[k].city)
                _ = try? cities[cc].source.index.add(k, longitude: pos.longitude, latitude: pos.latitude)
                couriers[k].indexed = true
            }
            freeRequests.append(q)
            dispatch(topic: t, Int(req.partition), &s)
        case .orderEvent:
            let t = region * 2
            topics[t]!.commit(Int(req.partition), now: s.now)
            let o = req.subject
            orders[o].consumed &+= 1
            if orders[o].consumed > 1 { duplicateConsumption += 1 }
            if orders[o].state == .pending {
                let oc = Int(orders[o].city)
                cities[oc].open.append(o)
                if config.matchingPolicy == .greedy { greedyMatch(oc, o, s.now, &s) }
            }
            freeRequests.append(q)
            dispatch(topic: t, Int(req.partition), &s)
        case .matchBatch:
            cities[c].matchPending = false
            finish(q, &s)
            runMatching(c, s.now, &s)
        }
    }

    /// acks=all: the leader's append plus the slowest of (replication - 1) follower fetches.
    func acksAll(_ topic: KafkaTopic) -> SimTime {
        var worst = config.produceLatency.sampleTime(kafkaStream)
        if topic.replication > 1 {
            for _ in 1..<topic.replication { worst = max(worst, config.produceLatency.sampleTime(kafkaStream)) }
        }
        return worst
    }

    func dbDone(shard: Int, _ q: Int32, _ s: inout Scheduler) {
        if let next = shards[shard].queue.popFirst() {
            s.schedule(after: config.writeLatency.sampleTime(dbStream), kind: Kind.dbDone.rawValue, target: UInt32(shard), payload: UInt64(next))
        } else {
            shards[shard].busy -= 1
        }
        let req = requests[Int(q)]
        let region = pools[Int(req.pool)].region
        var back: SimTime = 0
        if region != config.primaryRegion {
            crossRegionWrites += 1
            back = config.regions[region].rtt[config.primaryRegion]
        }
        if req.start >= warmup { dbWrite.record(s.now - req.arrived + back) }
        requests[Int(q)].stage = 2
        s.schedule(after: back, kind: Kind.stage.rawValue, payload: UInt64(q))
    }

    /// The answer reaches the client: latency (plus the round trip when a failover region serves).
    func finish(_ q: Int32, _ s: inout Scheduler) {
        let req = requests[Int(q)]
        let pool = pools[Int(req.pool)]
        if req.viaBalancer { pool.balancer.connectionClosed(Int(req.replica), failed: false, now: s.now) }
        if req.start >= warmup {
            let c = Int(req.city)
            let lat = s.now - req.start + config.regions[c].rtt[pool.region]
            switch req.kind {
            case .placeOrder: cities[c].placeOrder.record(lat)
            case .menuView: cities[c].menuView.record(lat)
            case .locationUpdate: cities[c].locationUpdate.record(lat)
            default: break
            }
        }
        freeRequests.append(q)
    }

    func newOrder(_ c: Int, _ s: inout Scheduler) {
        let rest = cities[c].zipf.sample(cities[c].placeStream)
        let rp = cities[c].restaurants[rest]
        let d = config.deliveryRadius * cities[c].placeStream.uniform().squareRoot()
        let a = 2 * Double.pi * cities[c].placeStream.uniform()
        let customer = Self.offset(rp, east: d * _cos(a), north: d * _sin(a))
        let o = orders.count
        orders.append(Order(city: Int32(c), restaurant: Int32(rest), customer: customer, placedAt: s.now, readyAt: s.now))
        let q = newRequest(Request(kind: .placeOrder, city: Int32(c), pool: 0, start: s.now, subject: o))
        submit(q, pool: poolOf[config.regions[c].servedBy][0], &s)
    }

    // MARK: traced demand

    /// Schedules the trace's next order (orders are sorted by placement time; one pending
    /// event at a time keeps the queue small for long traces).
    func scheduleTraceOrder(_ s: inout Scheduler) {
        guard let trace, traceNext < trace.orders.count else { return }
        let i = traceNext
        traceNext += 1
        s.schedule(at: max(s.now, trace.orders[i].placedAt), kind: Kind.traceOrder.rawValue, payload: UInt64(i))
    }

    /// The city nearest to a position (equirectangular distance to each region's centre;
    /// ties to the lower index), among the regions that exist in this scenario.
    func nearestCity(_ p: DispatchPosition) -> Int {
        var best = 0, bestD = Double.infinity
        for (c, r) in config.regions.enumerated() {
            let dx = (p.x - r.longitude) * _cos(r.latitude * Double.pi / 180), dy = p.y - r.latitude
            let d = dx * dx + dy * dy
            if d < bestD { best = c; bestD = d }
        }
        return best
    }

    /// Places trace order `i`: the restaurant's own position when the trace gives one (the
    /// order belongs to the city nearest to it), else the customer's city and one of its
    /// generated restaurants chosen by a stable hash of the restaurant's key.
    func placeTraceOrder(_ i: Int, _ s: inout Scheduler) {
        guard let trace else { return }
        let t = trace.orders[i]
        let r = t.restaurantIndex
        var slot = traceRestaurantSlot[r]
        if slot.city < 0 {
            if let pos = trace.restaurants[r].position {
                let c = nearestCity(pos)
                cities[c].restaurants.append(pos)
                slot = (Int32(c), Int32(cities[c].restaurants.count - 1))
            } else {
                let c = nearestCity(t.customer)
                let n = UInt64(cities[c].zipf.cdf.count)  // the generated restaurants
                slot = (Int32(c), Int32(StreamSeeder.fnv1a(trace.restaurants[r].key) % max(1, n)))
            }
            traceRestaurantSlot[r] = slot
        }
        let c = Int(slot.city)
        let o = orders.count
        var order = Order(city: Int32(c), restaurant: slot.index, customer: t.customer, placedAt: s.now, readyAt: s.now)
        if let ready = t.readyAt { order.tracedReady = ready }
        orders.append(order)
        let q = newRequest(Request(kind: .placeOrder, city: Int32(c), pool: 0, start: s.now, subject: o))
        submit(q, pool: poolOf[config.regions[c].servedBy][0], &s)
    }

    func newMenuView(_ c: Int, _ s: inout Scheduler) {
        menuViews += 1
        let rest = cities[c].zipf.sample(cities[c].menuStream)
        let q = newRequest(Request(kind: .menuView, city: Int32(c), pool: 0, start: s.now, subject: c << 32 | rest))
        submit(q, pool: poolOf[config.regions[c].servedBy][0], &s)
    }

    // MARK: couriers

    func position(_ k: Int, at t: SimTime) -> DispatchPosition {
        let cr = couriers[k]
        guard cr.onTrip else { return cr.position }
        if t < cr.arrivalAt { return Self.lerp(cr.position, cr.restaurant, cr.departureAt, cr.arrivalAt, t) }
        if t < cr.pickupAt { return cr.restaurant }
        return Self.lerp(cr.restaurant, cr.end, cr.pickupAt, cr.completionAt, t)
    }

    static func lerp(_ a: DispatchPosition, _ b: DispatchPosition, _ t0: SimTime, _ t1: SimTime, _ t: SimTime) -> DispatchPosition {
        guard t1 > t0 else { return b }
        let f = min(1, max(0, Double(t - t0) / Double(t1 - t0)))
        return DispatchPosition(x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f)
    }

    func ping(_ k: Int, _ s: inout Scheduler) {
        pings += 1
        let c = Int(couriers[k].city)
        let p = position(k, at: s.now)
        let q = newRequest(Request(kind: .locationUpdate, city: Int32(c), pool: 0, start: s.now, subject: k,
                                   longitude: p.longitude, latitude: p.latitude))
        submit(q, pool: poolOf[config.regions[c].servedBy][1], &s)
        s.schedule(after: couriers[k].onTrip ? config.pingTrip : config.pingIdle, kind: Kind.ping.rawValue, target: UInt32(k))
    }

    func courierStep(_ k: Int, step: Int, _ s: inout Scheduler) {
        if step < couriers[k].orders.count {
            let o = couriers[k].orders[step]
            orders[o].state = .delivered
            delivered += 1
            if orders[o].placedAt >= warmup { clickToDoor.record(s.now - orders[o].placedAt) }
        } else {
            couriers[k].onTrip = false
            couriers[k].position = couriers[k].end
            couriers[k].orders.removeAll(keepingCapacity: true)
        }
    }

    // MARK: matching

    func matchTick(_ c: Int, _ s: inout Scheduler) {
        guard !cities[c].open.isEmpty, !cities[c].matchPending else { return }
        matchRuns += 1
        cities[c].matchPending = true
        let q = newRequest(Request(kind: .matchBatch, city: Int32(c), pool: 0, start: s.now, subject: c, units: max(1, cities[c].open.count)))
        submit(q, pool: poolOf[config.regions[c].servedBy][2], &s)
    }

    func runMatching(_ c: Int, _ now: SimTime, _ s: inout Scheduler) {
        if config.matchingPolicy == .greedy {
            let open = cities[c].open
            for o in open where orders[o].state == .pending { greedyMatch(c, o, now, &s) }
            return
        }
        dispatchOrders.removeAll(keepingCapacity: true)
        for o in cities[c].open where orders[o].state == .pending {
            let ord = orders[o]
            dispatchOrders.append(DispatchOrder(id: o, restaurantID: Int(ord.restaurant), restaurantPosition: cities[c].restaurants[Int(ord.restaurant)],
                                                customerPosition: ord.customer, placedAt: ord.placedAt, readyAt: ord.readyAt))
        }
        dispatchCouriers.removeAll(keepingCapacity: true)
        for k in cities[c].couriers where couriers[k].indexed && !couriers[k].onTrip {
            dispatchCouriers.append(DispatchCourier(id: k, position: couriers[k].known, availableAt: now))
        }
        guard !dispatchOrders.isEmpty, !dispatchCouriers.isEmpty else { return }
        let outcome = batchMatchers[c].match(orders: dispatchOrders, couriers: dispatchCouriers, now: now, travel: travel,
                                             candidates: cities[c].source)
        for a in outcome.assignments { assign(a, now, &s) }
        cities[c].open.removeAll { orders[$0].state != .pending }
    }

    func greedyMatch(_ c: Int, _ o: Int, _ now: SimTime, _ s: inout Scheduler) {
        let ord = orders[o]
        let d = DispatchOrder(id: o, restaurantID: Int(ord.restaurant), restaurantPosition: cities[c].restaurants[Int(ord.restaurant)],
                              customerPosition: ord.customer, placedAt: ord.placedAt, readyAt: ord.readyAt)
        if let a = greedy.match(order: d, now: now, travel: travel, candidates: cities[c].source) {
            assign(a, now, &s)
            if let i = cities[c].open.firstIndex(of: o) { cities[c].open.remove(at: i) }
        }
    }

    func assign(_ a: DispatchAssignment, _ now: SimTime, _ s: inout Scheduler) {
        let k = a.courierID
        let c = Int(couriers[k].city)
        if couriers[k].onTrip || a.orderIDs.count > config.bundleSize { bundleViolations += 1 }
        _ = cities[c].source.index.remove(k)
        couriers[k].indexed = false
        couriers[k].onTrip = true
        couriers[k].departureAt = a.departureAt
        couriers[k].arrivalAt = a.arrivalAt
        couriers[k].pickupAt = a.pickupAt
        couriers[k].completionAt = a.completionAt
        couriers[k].restaurant = cities[c].restaurants[a.restaurantID]
        couriers[k].end = orders[a.orderIDs[a.orderIDs.count - 1]].customer
        couriers[k].orders = a.orderIDs
        foodWait.record(max(0, a.pickupAt - a.arrivalAt))
        for (i, o) in a.orderIDs.enumerated() {
            orders[o].state = .assigned
            if orders[o].placedAt >= warmup { matchingDelay.record(now - orders[o].placedAt) }
            s.schedule(at: a.dropoffAt[i], kind: Kind.courierStep.rawValue, target: UInt32(k), payload: UInt64(i))
        }
        s.schedule(at: max(a.completionAt, a.dropoffAt.last ?? a.completionAt), kind: Kind.courierStep.rawValue, target: UInt32(k),
                   payload: UInt64(a.orderIDs.count))
    }

    // MARK: Kafka consumers

    func dispatch(topic t: Int, _ part: Int, _ s: inout Scheduler) {
        guard let topic = topics[t], !topic.paused, !topic.inFlight[part], topic.owner[part] >= 0,
              let record = topic.queues[part].first else { return }
        let region = t / 2
        let p = poolOf[region][t % 2 == 0 ? 2 : 1]
        let r = topic.owner[part]
        guard pools[p].replicas[r].state == .ready else { return }
        topic.queues[part].removeFirst()
        topic.inFlight[part] = true
        let kind: RequestKind = t % 2 == 0 ? .orderEvent : .locationConsume
        let q = newRequest(Request(kind: kind, city: Int32(region), pool: Int32(p), viaBalancer: false, start: s.now,
                                   subject: Int(record.key), partition: Int32(part), longitude: record.longitude,
                                   latitude: record.latitude, producedAt: record.producedAt))
        enqueue(q, p, r, &s)
    }

    func membershipChanged(_ p: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        guard pool.service != 0 else { return }
        rebalance(topic: pool.region * 2 + (pool.service == 2 ? 0 : 1), &s)
    }

    func rebalance(topic t: Int, _ s: inout Scheduler) {
        guard let topic = topics[t] else { return }
        let pool = pools[poolOf[t / 2][t % 2 == 0 ? 2 : 1]]
        var members: [Int] = []
        for r in pool.replicas.indices where pool.replicas[r].state == .ready { members.append(r) }
        let gen = topic.beginRebalance(members: members, now: s.now)
        s.schedule(after: s.now == 0 ? 0 : config.rebalancePause, kind: Kind.rebalanceDone.rawValue, target: UInt32(t), payload: gen)
    }

    // MARK: pods

    func autoscale(_ p: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        pool.hpaPods(now: s.now, into: &podBuffer)
        let d = pool.hpa.reconcile(now: s.now, currentReplicas: Int32(pool.desired), pods: podBuffer)
        pool.syncs += 1
        if let u = d.currentUtilization { pool.lastUtilization = Int(u) }
        if let m = d.metricDesiredReplicas {
            pool.maxMetricDesired = max(pool.maxMetricDesired, Int(m))
            if Int(m) > pool.config.max { pool.syncsWantingMore += 1 }
        }
        if d.rescaled {
            pool.scaleEvents += 1
            pool.desired = Int(d.desiredReplicas)
        }
        if pool.desired >= pool.config.max { pool.syncsAtMax += 1 }
        reconcilePods(p, &s)
    }

    /// The ReplicaSet: creates or deletes pods until the live count is the desired count.
    func reconcilePods(_ p: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        while pool.live < pool.desired {
            let startedAt = s.now + pool.config.startup
            let r = pool.addPod(now: s.now, startedAt: startedAt, readyAt: startedAt + pool.config.readiness)
            onPodCreated(p, r)
            s.schedule(at: startedAt + pool.config.readiness, kind: Kind.podReady.rawValue, target: UInt32(p), payload: UInt64(r))
        }
        var changed = false
        while pool.live > pool.desired {
            // Kubernetes deletes not-ready pods first, then the newest.
            var victim = -1
            for r in pool.replicas.indices.reversed() where pool.replicas[r].state == .starting { victim = r; break }
            if victim < 0 { for r in pool.replicas.indices.reversed() where pool.replicas[r].state == .ready { victim = r; break } }
            guard victim >= 0 else { break }
            if pool.leave(victim, now: s.now, crashed: false) { changed = true }
        }
        if changed { membershipChanged(p, &s) }
    }

    func crash(_ p: Int, _ r: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        _ = pool.leave(r, now: s.now, crashed: true)
        while let q = pool.replicas[r].queue.popFirst() { lost(q, s.now, &s) }
        membershipChanged(p, &s)
        reconcilePods(p, &s)  // the ReplicaSet replaces it
        schedulePoll(p, &s)
    }

    func scheduleCrash(_ p: Int, _ s: inout Scheduler) {
        let rate = config.crashRates[pools[p].service] * Double(max(1, pools[p].ready))
        s.schedule(after: SimUnit.fromSeconds(-_log(crashStream.uniformPositive()) / rate), kind: Kind.crashRate.rawValue, target: UInt32(p))
    }

    // MARK: health checks

    func schedulePoll(_ p: Int, _ s: inout Scheduler) {
        guard let t = pools[p].health.nextEventTime() else { return }
        let at = max(t, s.now)
        if pools[p].pollAt < 0 || at < pools[p].pollAt {
            pools[p].pollAt = at
            s.schedule(at: at, kind: Kind.healthPoll.rawValue, target: UInt32(p))
        }
    }

    func healthPoll(_ p: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        probeBuffer.removeAll(keepingCapacity: true)
        transitionBuffer.removeAll(keepingCapacity: true)
        pool.health.poll(now: s.now, probes: &probeBuffer, transitions: &transitionBuffer)
        for probe in probeBuffer where pool.replicas[probe.backend].state != .dead {
            // A live pod answers /health at once; a crashed one never does.
            if let tr = pool.health.report(probe, .success, now: s.now) { transitionBuffer.append(tr) }
        }
        for tr in transitionBuffer {
            let r = tr.backend
            if !tr.healthy {
                pool.balancer.setDown(r, true)
                if pool.replicas[r].state == .dead {
                    if pool.replicas[r].inBalancer { pool.balancer.removeBackend(r); pool.replicas[r].inBalancer = false }
                    pool.health.removeBackend(r)
                }
            } else {
                pool.balancer.setDown(r, false)
            }
        }
        schedulePoll(p, &s)
    }
}
