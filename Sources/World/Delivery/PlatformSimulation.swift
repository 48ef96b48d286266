import Platform
import Scenario
import SimCore

/// The seed's delivery platform end to end (see README.md in this folder for what is and
/// is not modelled): the composition root of its components (Sources/World/README.md draws
/// who calls whom) and the event switch. Every decision the Platform module covers
/// (balancing, health, autoscaling, caching, partitioning, geo search, matching) is made by
/// the Platform code inside the components.
///
/// What is left here is wiring: where one component's event leads to work in another, the
/// lower component returns what is due and the `+Wiring` and `+Stages` extensions carry it on.
public final class PlatformSimulation: EventHandler {
    enum Kind: UInt32 { case warmupEnd }
    typealias Request = Services.Request
    typealias RequestKind = Services.RequestKind

    let scenario: ScenarioConfig
    let config: PlatformConfig
    let warmup: SimTime
    /// The components this simulation is made of (see Sources/World/README.md).
    let orders = Orders()
    let demand: Demand
    let couriers: Couriers
    let matching: Matching
    let services: Services
    let kafka: KafkaCluster
    /// Batched consumer polling (`kafka.consumer.batched`; idle otherwise).
    let polling: KafkaConsumerBatch
    /// The consuming pods' poll loops (`kafka.consumer.loops_per_pod`; unused at 0).
    let loops: ConsumerLoops
    let database: OrdersDatabase
    let caches: MenuCaches
    let faults: Faults
    let autoscaler = Autoscaler()
    /// Sticky sessions after each scale-out (the advisor's `sticky_sessions_after_scale_out`).
    let stickyWatch: StickyWatch
    let measurements: Measurements
    /// Everything that crosses regions (Regions/): each region is a logical process.
    let channel: CrossRegionChannel
    /// Per city: its region is down (its calls cross to the failover region).
    let cityDown: [Bool]
    /// `parallel_regions`: this instance is one region's logical process (`+LP`); nil: all regions.
    var regionLP: RegionLP?

    /// The service pools (read-only: tests look at replicas).
    var pools: [ServicePool] { services.pools }

    /// `onlyRegion`: build only that region's city (restaurants, couriers; the others keep
    /// their ids but hold nothing): one region's logical process of a parallel run.
    public init(scenario: ScenarioConfig, config: PlatformConfig, seed: UInt64, trace: OrderTrace? = nil, onlyRegion: Int? = nil) {
        self.scenario = scenario
        self.config = config
        channel = CrossRegionChannel(config: config)
        cityDown = config.regions.map(\.down)
        if case .fixed(let w) = scenario.warmup { warmup = w } else { warmup = 0 }
        let levelInterval = MetricsFormat.chartInterval(scenario.duration ?? SimUnit.hour, points: 360)
        let latencyInterval = MetricsFormat.chartInterval(scenario.duration ?? SimUnit.hour, points: 120)
        let seeder = StreamSeeder(masterSeed: seed)
        measurements = Measurements(cities: config.regions.count, warmup: warmup, latencyInterval: latencyInterval)
        demand = Demand(config: config, orders: orders, trace: trace)
        couriers = Couriers(config: config, seeder: seeder, measuredFrom: warmup)
        for r in config.regions.indices {
            // The city: restaurants and couriers spread over a disc around the centre.
            let geo = seeder.stream("city.\(config.regions[r].name)")
            demand.addCity(r, geo: geo, seeder: seeder, build: onlyRegion.map { $0 == r } ?? true)
            couriers.addCity(r, geo: geo, build: onlyRegion.map { $0 == r } ?? true)
        }
        matching = Matching(config: config, orders: orders, couriers: couriers, demand: demand, seeder: seeder)
        kafka = KafkaCluster(config: config, seeder: seeder, series: levelInterval)
        polling = KafkaConsumerBatch(settings: config.consumer, partitions: config.regions.flatMap {
            $0.down ? [0, 0] : [config.orderEvents.partitions, config.locationUpdates.partitions] })
        database = OrdersDatabase(config: config, seeder: seeder, warmup: warmup)
        database.stages = measurements.stages
        caches = MenuCaches(config: config, seeder: seeder)
        faults = Faults(config: config, seeder: seeder)
        services = Services(config: config, seeder: seeder, caches: caches, measurements: measurements,
                            interval: scenario.reportInterval, levelInterval: levelInterval)
        for pool in services.pools { autoscaler.addPool(pool.config) }
        stickyWatch = StickyWatch(pools: services.pools.count)
        if config.consumer.batched { services.pollCPU = config.consumer.batchCPU }
        loops = ConsumerLoops(perPod: config.consumer.batched ? config.consumer.loopsPerPod : 0, pools: services.pools.count,
                              partitions: config.regions.flatMap { $0.down ? [0, 0] : [config.orderEvents.partitions, config.locationUpdates.partitions] })
        if config.stickySessions {
            services.enableSessions(customers: demand.customers, couriers: couriers.count, ttl: config.sessionTTL)
        }
    }

    // MARK: start

    /// Each event is tagged with the logical process it belongs to (`s.lp`, Regions/README.md):
    /// its region's, or the global one for what one call schedules over every region.
    public func start(_ s: inout Scheduler) {
        measurements.start()
        for region in config.regions where region.down {
            measurements.mark(0, "failover", "\(region.name) down: served by \(config.regions[region.servedBy].name)")
        }
        for p in services.pools.indices where owns(services.region(ofPool: p)) {
            s.lp = LogicalProcess.region(services.region(ofPool: p))
            let service = services.pools[p].service
            services.startPods(p, &s)
            if faults.crashesAtRandom(service: service) {
                faults.scheduleRandomCrash(pool: p, service: service, ready: services.pools[p].ready, &s)
            }
        }
        for r in config.regions.indices where !config.regions[r].down && owns(r) {
            s.lp = LogicalProcess.region(r)
            rebalance(topic: KafkaCluster.topic(region: r, orderEvents: true), &s)
            rebalance(topic: KafkaCluster.topic(region: r, orderEvents: false), &s)
        }
        for c in config.regions.indices where owns(c) {
            s.lp = LogicalProcess.region(c)
            demand.start(city: c, &s)
            matching.start(city: c, &s)
        }
        s.lp = LogicalProcess.global
        couriers.start(&s, city: regionLP?.region)
        if config.drain > 0, let d = scenario.duration { demand.stop(at: max(0, d - config.drain)) }
        demand.scheduleTraceOrder(&s)
        autoscaler.start(&s)
        services.startSampling(&s)
        faults.scheduleGivenCrashes(poolOf: ownPools, &s)
        faults.scheduleOutages(&s)
        s.lp = LogicalProcess.region(config.primaryRegion)
        Faults.scheduleShardFailures(config.faults, &s)
        s.lp = LogicalProcess.global
        Faults.schedulePartitions(config.faults, &s)
        if warmup > 0 { s.schedule(at: warmup, kind: ComponentID.core.kind(Kind.warmupEnd.rawValue)) }
    }

    // MARK: events

    /// Dispatches on the component in `e.kind`'s bits 8-15 (`ComponentID`), then on its kind.
    /// The scheduler has set `s.lp` to the event's LP; where the event's region is known
    /// better here (a courier's, a pool's) it is set again before any follow-up is scheduled.
    public func handle(_ e: Event, _ s: inout Scheduler) {
        switch (e.kind >> 8) & 0xFF {
        case ComponentID.services.rawValue:
            apply(services.handle(e, &s), &s)
        case ComponentID.couriers.rawValue:
            s.lp = LogicalProcess.region(couriers.city(of: e))
            switch couriers.handle(e, &s) {
            case .none: break
            case .ping(let k, let c, let p):
                submit(services.newRequest(Request(kind: .locationUpdate, city: Int32(c), pool: 0, start: s.now, subject: k,
                                                   longitude: p.longitude, latitude: p.latitude, session: Int32(k))),
                       pool: services.servingPool(c, 1), &s)
                couriers.schedulePing(k, &s)
            case .pickedUp(let k):
                // The trip's pick-up: every order of the bundle is picked up (a status write each).
                for o in couriers.orders(k) { writeStatus(o, &s) }
            case .delivered(let o):
                measurements.delivered(placedAt: orders.deliver(o), city: Int(orders[o].city), now: s.now)
                writeStatus(o, &s)
                orders.releaseIfDone(o)
            }
        case ComponentID.demand.rawValue:
            arrival(demand.handle(e, &s), &s)
        case ComponentID.database.rawValue:
            let committed = database.handle(e, &s)
            if committed >= 0 { writeCommitted(committed, &s) }
            if database.failoverDue { shardFailoverDue(&s) }
        case ComponentID.kafka.rawValue:
            if let t = kafka.handle(e, s.now) {
                for part in 0..<kafka.partitions(t) { dispatch(topic: t, part, &s) }
            }
        case ComponentID.matching.rawValue:
            if case .tick(let c, let units) = matching.handle(e, &s) {
                if units > 0 && config.matchingSplit && !matching.isGreedy {
                    submitMatchParts(c, &s)
                } else if units > 0 {
                    submit(services.newRequest(Request(kind: .matchBatch, city: Int32(c), pool: 0, start: s.now, subject: c, units: units)),
                           pool: services.servingPool(c, 2), &s)
                }
                matching.scheduleTick(city: c, &s)
            }
        case ComponentID.faults.rawValue:
            faultDue(faults.handle(e, &s), &s)
        case ComponentID.regions.rawValue:
            if regionLP != nil { deliveredFromLP(e, &s) } else { delivered(channel.handle(e), &s) }
        case ComponentID.polling.rawValue:
            fetchExpired(e, &s)
        case ComponentID.autoscaler.rawValue:
            switch autoscaler.handle(e) {
            case .sync:
                for p in services.pools.indices where owns(services.region(ofPool: p)) {
                    s.lp = LogicalProcess.region(services.region(ofPool: p))
                    autoscale(p, &s)
                }
                s.lp = LogicalProcess.global
                autoscaler.scheduleNextSync(&s)
            }
        default:
            // .warmupEnd, the only event of its own.
            services.warmupEnded(s.now)
            kafka.warmupEnded(s.now)
        }
    }
}
