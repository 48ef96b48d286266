import Platform
import Scenario
import SimCore

/// Demand (see README.md in this folder): per city the daily profile, the Poisson order, menu
/// view and history view arrivals, the restaurants and customers they pick, and trace-driven
/// orders. Owns those random streams and its arrival events; creates orders in `Orders`.
///
/// What an arrival leads to (a request through the services) is the caller's: `handle`
/// returns the arrival, the caller submits it, then calls `scheduleNext(after:)`.
final class Demand {
    enum Kind: UInt32 { case orderArrival, menuArrival, historyArrival, profileStep, traceOrder }

    /// What an arrival event brings (`none`: a stale arrival or a profile step).
    enum Arrival {
        case none
        /// A new order in slot `slot` (a trace order when `traced`).
        case order(city: Int, slot: Int, traced: Bool)
        /// A menu view by `customer` of the menu `menuKey(city:popularity:)` names. The
        /// popularity draw's search is left to the caller, to run after it has started
        /// loading the customer's session: both are cache misses at national scale, and they
        /// overlap.
        case menuView(city: Int, popularity: Double, customer: Int32)
        case history(city: Int, customer: Int32)
    }

    private struct City {
        var restaurants: [DispatchPosition]
        var zipf: ZipfSampler
        let orderStream: RandomStream
        let menuStream: RandomStream
        let placeStream: RandomStream
        let prepStream: RandomStream
        let historyStream: RandomStream
        var profileHour = 0
        /// The rate multiplier of the current sub-hourly window (`demand.burst`; 1 without).
        var burst = 1.0
        /// The region's local clock minus UTC (`regions.<r>.utc_offset`).
        var utcOffset: SimTime = 0
        /// Per restaurant, when each of its kitchen's places frees (`kitchen_capacity`; empty
        /// until the restaurant's first order).
        var kitchens: [[SimTime]] = []
        var generation: UInt64 = 0
        /// Global id of the city's first customer.
        var firstCustomer = 0
        var customers = 1
    }

    private let config: PlatformConfig
    private let orders: Orders
    private var cities: [City] = []
    private var customerCount = 0
    /// Recorded orders replacing the Poisson orders (`demand.trace`), and where each trace
    /// restaurant was placed: (city, index into that city's restaurants), filled on first use.
    private let trace: OrderTrace?
    private var traceRestaurantSlot: [(city: Int32, index: Int32)] = []
    private var traceNext = 0
    private(set) var menuViews = 0
    /// No arrival from here on (the run's `demand.drain` period).
    private var endsAt = SimTime.max

    init(config: PlatformConfig, orders: Orders, trace: OrderTrace?) {
        self.config = config
        self.orders = orders
        self.trace = trace
        traceRestaurantSlot = Array(repeating: (-1, -1), count: trace?.restaurants.count ?? 0)
    }

    /// Customers of all cities (one sticky-session id each on order_service).
    var customers: Int { customerCount }

    /// Adds region `r`'s city: its restaurants drawn from `geo` over the city's geography
    /// (`CityGeography`: the city disc, or its metro discs by share). Not `build`: the city
    /// holds no restaurant and draws nothing, but its customers keep their ids (another
    /// region's logical process owns it, `parallel_regions`).
    func addCity(_ r: Int, geo: RandomStream, seeder: StreamSeeder, build: Bool = true) {
        let region = config.regions[r]
        let geography = CityGeography(region)
        let nRest = build ? max(1, Int((Double(config.restaurantCount) * region.demandShare).rounded())) : 0
        let restaurants = (0..<nRest).map { _ in geography.position(geo) }
        var city = City(restaurants: restaurants, zipf: ZipfSampler(count: nRest, exponent: config.zipfExponent),
                        orderStream: seeder.stream("orders.\(region.name)"), menuStream: seeder.stream("menus.\(region.name)"),
                        placeStream: seeder.stream("places.\(region.name)"), prepStream: seeder.stream("prep.\(region.name)"),
                        historyStream: seeder.stream("history.\(region.name)"))
        city.utcOffset = region.utcOffset
        if config.kitchenCapacity > 0 { city.kitchens = Array(repeating: [], count: nRest) }
        city.firstCustomer = customerCount
        city.customers = max(1, Int((Double(config.customers) * region.demandShare).rounded()))
        customerCount += city.customers
        cities.append(city)
    }

    @inline(__always) func restaurant(city c: Int, _ i: Int) -> DispatchPosition { cities[c].restaurants[i] }

    /// A preparation time drawn for an order of city `c`.
    func prepTime(city c: Int) -> SimTime { config.prepTime.sampleTime(cities[c].prepStream) }

    /// When the food of an order placed at `now` at restaurant `r` of city `c` is ready: the
    /// drawn preparation time, started when the kitchen has a free place. With
    /// `kitchen_capacity` n each kitchen is an n-server FIFO queue (orders start in placement
    /// order on the place that frees first), so prep time grows when a kitchen is busy.
    func readyTime(city c: Int, restaurant r: Int, now: SimTime) -> SimTime {
        let prep = prepTime(city: c)
        let n = config.kitchenCapacity
        guard n > 0 else { return now + prep }
        while r >= cities[c].kitchens.count { cities[c].kitchens.append([]) }  // traced restaurants
        if cities[c].kitchens[r].count < n {
            cities[c].kitchens[r].append(now + prep)
            return now + prep
        }
        var first = 0
        for i in 1..<n where cities[c].kitchens[r][i] < cities[c].kitchens[r][first] { first = i }
        let ready = max(now, cities[c].kitchens[r][first]) + prep
        cities[c].kitchens[r][first] = ready
        return ready
    }

    /// No order, menu or history arrival from `t` on (`demand.drain`).
    func stop(at t: SimTime) { endsAt = t }

    /// City `c`'s first arrivals and profile step.
    func start(city c: Int, _ s: inout Scheduler) {
        cities[c].profileHour = profileHour(c, at: 0)
        cities[c].burst = burstFactor(c, at: 0)
        scheduleArrivals(c, &s)
        s.schedule(at: nextStep(c, after: 0), kind: ComponentID.demand.kind(Kind.profileStep.rawValue), target: UInt32(c))
    }

    /// One of this component's events: the arrival it brings.
    func handle(_ e: Event, _ s: inout Scheduler) -> Arrival {
        let c = Int(e.target)
        switch Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped {
        case .orderArrival:
            guard e.payload == cities[c].generation else { return .none }
            return newOrder(c, s.now)
        case .menuArrival:
            guard e.payload == cities[c].generation else { return .none }
            menuViews += 1
            // The stream's draws in their order (popularity, then customer); only the
            // popularity's search waits (`menuKey`).
            let u = cities[c].menuStream.uniform()
            let who = customer(c, cities[c].menuStream)
            return .menuView(city: c, popularity: u, customer: who)
        case .historyArrival:
            guard e.payload == cities[c].generation else { return .none }
            return .history(city: c, customer: customer(c, cities[c].historyStream))
        case .profileStep:
            // Piecewise-constant rate: by memorylessness, redraw both streams from the change.
            cities[c].generation &+= 1
            cities[c].profileHour = profileHour(c, at: s.now)
            cities[c].burst = burstFactor(c, at: s.now)
            scheduleArrivals(c, &s)
            s.schedule(at: nextStep(c, after: s.now), kind: ComponentID.demand.kind(Kind.profileStep.rawValue), target: UInt32(c))
            return .none
        case .traceOrder:
            return placeTraceOrder(Int(e.payload), s.now)
        }
    }

    /// The menu a menu view's popularity draw `u` picks in city `c`: the city's index and the
    /// restaurant's popularity rank (`ZipfSampler.rank`).
    @inline(__always) func menuKey(city c: Int, popularity u: Double) -> Int { c << 32 | cities[c].zipf.rank(u) }

    /// After the caller submitted `arrival`: the next arrival of its kind.
    func scheduleNext(after arrival: Arrival, _ s: inout Scheduler) {
        switch arrival {
        case .none: break
        case .order(let c, _, let traced): if traced { scheduleTraceOrder(&s) } else { scheduleOrder(c, &s) }
        case .menuView(let c, _, _): scheduleMenu(c, &s)
        case .history(let c, _): scheduleHistory(c, &s)
        }
    }

    // MARK: Poisson arrivals

    /// City `c`'s clock at simulated time `t`: `start_at` plus its UTC offset (its own
    /// local time), so each region runs the daily profile at its local hour.
    @inline(__always) private func localClock(_ c: Int, _ t: SimTime) -> SimTime {
        config.profileStart + cities[c].utcOffset + t
    }

    @inline(__always) private static func floorDiv(_ a: SimTime, _ b: SimTime) -> SimTime {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    private func profileHour(_ c: Int, at t: SimTime) -> Int {
        let n = SimTime(config.profile.count)
        return Int(((Self.floorDiv(localClock(c, t), SimUnit.hour) % n) + n) % n)
    }

    /// The next profile step of city `c` after `t`: its next local hour boundary, or the end
    /// of the hour's burst window when that comes first.
    private func nextStep(_ c: Int, after t: SimTime) -> SimTime {
        let clock = localClock(c, t)
        let hourStart = Self.floorDiv(clock, SimUnit.hour) * SimUnit.hour
        var next = hourStart + SimUnit.hour
        if hasBurst, clock < hourStart + config.burstWindow { next = hourStart + config.burstWindow }
        return next - config.profileStart - cities[c].utcOffset
    }

    private var hasBurst: Bool { config.burstWindow > 0 && config.burstFactor != 1 }

    /// `demand.burst`: the first `window` of each local hour runs at `factor` × the hour's
    /// rate and the rest of the hour slower, so the hour keeps its share of the day.
    private func burstFactor(_ c: Int, at t: SimTime) -> Double {
        guard hasBurst else { return 1 }
        let clock = localClock(c, t)
        let into = clock - Self.floorDiv(clock, SimUnit.hour) * SimUnit.hour
        let w = Double(config.burstWindow) / Double(SimUnit.hour)
        return into < config.burstWindow ? config.burstFactor : max(0, (1 - config.burstFactor * w) / (1 - w))
    }

    private func orderRate(_ c: Int) -> Double {
        config.ordersPerHour / 3600 * config.regions[c].demandShare * config.profile[cities[c].profileHour] * config.dayFactor * cities[c].burst
    }

    private func scheduleArrivals(_ c: Int, _ s: inout Scheduler) {
        scheduleOrder(c, &s)
        scheduleMenu(c, &s)
        scheduleHistory(c, &s)
    }

    private func scheduleOrder(_ c: Int, _ s: inout Scheduler) {
        guard trace == nil else { return }
        let rate = orderRate(c)
        guard rate > 0 else { return }
        let dt = SimUnit.fromSeconds(-_log(cities[c].orderStream.uniformPositive()) / rate)
        guard s.now + dt < endsAt else { return }
        s.schedule(after: dt, kind: ComponentID.demand.kind(Kind.orderArrival.rawValue), target: UInt32(c), payload: cities[c].generation)
    }

    private func scheduleMenu(_ c: Int, _ s: inout Scheduler) {
        let rate = orderRate(c) * config.menuViewsPerOrder
        guard rate > 0 else { return }
        let dt = SimUnit.fromSeconds(-_log(cities[c].menuStream.uniformPositive()) / rate)
        guard s.now + dt < endsAt else { return }
        s.schedule(after: dt, kind: ComponentID.demand.kind(Kind.menuArrival.rawValue), target: UInt32(c), payload: cities[c].generation)
    }

    private func scheduleHistory(_ c: Int, _ s: inout Scheduler) {
        let rate = orderRate(c) * config.historyViewsPerOrder
        guard rate > 0 else { return }
        let dt = SimUnit.fromSeconds(-_log(cities[c].historyStream.uniformPositive()) / rate)
        guard s.now + dt < endsAt else { return }
        s.schedule(after: dt, kind: ComponentID.demand.kind(Kind.historyArrival.rawValue), target: UInt32(c), payload: cities[c].generation)
    }

    /// A customer of city `c` (a global id: the sticky-session id on order_service).
    @inline(__always) private func customer(_ c: Int, _ stream: RandomStream) -> Int32 {
        Int32(cities[c].firstCustomer + stream.integer(below: cities[c].customers))
    }

    private func newOrder(_ c: Int, _ now: SimTime) -> Arrival {
        let rest = cities[c].zipf.sample(cities[c].placeStream)
        let rp = cities[c].restaurants[rest]
        let d = config.deliveryRadius * cities[c].placeStream.uniform().squareRoot()
        let a = 2 * Double.pi * cities[c].placeStream.uniform()
        let position = PlatformMath.offset(rp, east: d * _cos(a), north: d * _sin(a))
        let who = customer(c, cities[c].placeStream)
        let o = orders.create(customer: who, city: c, restaurant: Int32(rest), at: position, now: now)
        return .order(city: c, slot: o, traced: false)
    }

    // MARK: traced demand

    /// Schedules the trace's next order (orders are sorted by placement time; one pending
    /// event at a time keeps the queue small for long traces).
    func scheduleTraceOrder(_ s: inout Scheduler) {
        guard let trace, traceNext < trace.orders.count else { return }
        let i = traceNext
        traceNext += 1
        s.schedule(at: max(s.now, trace.orders[i].placedAt), kind: ComponentID.demand.kind(Kind.traceOrder.rawValue), payload: UInt64(i))
    }

    /// The city nearest to a position (equirectangular distance to each region's centre;
    /// ties to the lower index), among the regions that exist in this scenario.
    private func nearestCity(_ p: DispatchPosition) -> Int {
        var best = 0, bestD = Double.infinity
        for (c, r) in config.regions.enumerated() {
            let dx = (p.x - r.longitude) * _cos(r.latitude * Double.pi / 180), dy = p.y - r.latitude
            let d = dx * dx + dy * dy
            if d < bestD { best = c; bestD = d }
        }
        return best
    }

    /// Trace order `i`: the restaurant's own position when the trace gives one (the order
    /// belongs to the city nearest to it), else the customer's city and one of its generated
    /// restaurants chosen by a stable hash of the restaurant's key.
    private func placeTraceOrder(_ i: Int, _ now: SimTime) -> Arrival {
        guard let trace else { return .none }
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
        let who = customer(c, cities[c].placeStream)
        let o = orders.create(customer: who, city: c, restaurant: slot.index, at: t.customer, now: now, tracedReady: t.readyAt ?? -1)
        return .order(city: c, slot: o, traced: true)
    }
}
