import DequeModule
import Scenario
import SimCore

/// A network of c-server FIFO stations with probabilistic routing, driven by Poisson
/// (optionally rate-profiled) or renewal arrivals.
///
/// The validation model: M/M/c, M/D/1, M/G/1 and Jackson networks have closed forms the
/// tests compare against. Random streams, one per named component: `arrivals.<i>`,
/// `service.<station>`, `routing.<station>`.
///
/// The hot path (two events per customer visit) is kept lean for `scripts/bench`'s M/M/8
/// comparison with a C heap loop: stations live in a buffer the model owns (no
/// copy-on-write check per access), exponential draws call GSL directly with a mean kept
/// beside the rate, and a single station without routing records its sojourn once, the
/// network's sojourn being the same sample (see `sojournIsStations`).
public final class QueueingNetwork: EventHandler {
    enum Kind: UInt32 { case arrival = 0, departure = 1, profileStep = 2, warmupEnd = 3 }

    struct Station {
        var servers: Int
        var busy = 0
        var queue = Deque<Int32>()
        let routing: [(to: Int, probability: Double)]
        var wait = LatencyHistogram()
        var sojourn = LatencyHistogram()
        var served = 0
        var waited = 0
        var queueLength: TimeWeightedGauge
        var busyServers: TimeWeightedGauge
        var waitSeries: TimeSeries
        var queueSeries: GaugeSeries
    }

    struct Customer {
        var number: Int        // external arrival order, for warm-up by count
        var enteredSystem: SimTime
        var arrivedAtStation: SimTime
    }

    let config: QueueingConfig
    /// The stations, in `config.stations` order, in a buffer this model owns (freed in
    /// `deinit`): mutating a station through it checks no array uniqueness on every event.
    let stations: UnsafeMutableBufferPointer<Station>
    // Kept apart from `stations` so drawing a service time copies no enum payload and
    // retains nothing on the hot path.
    let services: [Distribution]
    /// The mean of each station's service time when it is exponential, else NaN: the draw
    /// is then `gsl_ran_exponential` with that mean, as `Distribution.sample` would make it.
    let exponentialService: [Double]
    let serviceStreams: [RandomHandle]
    let routingStreams: [RandomHandle]
    let arrivalStreams: [RandomHandle]
    /// Owns the streams the handles point into.
    let ownedStreams: [RandomStream]
    /// Current rate per second of each Poisson stream (0 for renewal streams), kept apart
    /// from `config` so the hot path copies no enum payload.
    var poissonRate: [Double]
    /// 1 / `poissonRate` (the exponential's mean), computed when the rate changes.
    var poissonMean: [Double]
    /// Start of the next profile step per stream (`.max` when none).
    var nextStep: [SimTime]
    let arrivalStation: [Int]
    let recordSojournSeries: Bool
    /// One station and no routing: every customer leaves the network where it leaves that
    /// station, at the same instant, having entered both at once, so its network sojourn is
    /// its station sojourn and is counted under the same rule. `network.sojourn` is then the
    /// station's histogram (identical state, recorded once instead of twice).
    let sojournIsStations: Bool
    /// Customers in the network, by slot (freed when they leave; `deinit` releases it).
    var customers = CustomerSlots<Customer>()
    var externalArrivals = 0
    var departedNetwork = 0
    var inSystem = 0
    let maxCustomers: Int
    /// `config.warmupCustomers`, read once per event: kept apart so the hot path loads one word.
    let warmupCustomers: Int
    var systemSojourn = LatencyHistogram()
    /// Mean time in the network per interval, by completion time: the output series that
    /// `warmup: auto` (MSER-5) inspects. Recorded from time 0 when `recordSeries` is set.
    public private(set) var sojournSeries: TimeSeries
    var profileIndex: [Int]
    let warmupTime: SimTime
    var statsFrom: SimTime

    public init(config: QueueingConfig, seeder: StreamSeeder, warmup: SimTime, interval: SimTime, recordSeries: Bool = false) {
        self.config = config
        stations = .allocate(capacity: config.stations.count)
        _ = stations.initialize(from: config.stations.map { s in
            Station(servers: s.servers, routing: s.routing,
                    queueLength: TimeWeightedGauge(), busyServers: TimeWeightedGauge(),
                    waitSeries: TimeSeries(interval: interval), queueSeries: GaugeSeries(interval: interval))
        })
        services = config.stations.map(\.service)
        exponentialService = services.map { if case .exponential(let mean) = $0 { return mean }; return .nan }
        let service = config.stations.map { seeder.stream("service.\($0.name)") }
        let routing = config.stations.map { seeder.stream("routing.\($0.name)") }
        let arrival = config.arrivals.indices.map { seeder.stream("arrivals.\($0)") }
        ownedStreams = service + routing + arrival
        serviceStreams = service.map(\.handle)
        routingStreams = routing.map(\.handle)
        arrivalStreams = arrival.map(\.handle)
        arrivalStation = config.arrivals.map(\.station)
        poissonRate = config.arrivals.map { if case .poisson(let r, _) = $0.process { return r }; return 0 }
        poissonMean = poissonRate.map { 1 / $0 }
        nextStep = config.arrivals.map { if case .poisson(_, let p) = $0.process, let f = p.first { return f.at }; return .max }
        recordSojournSeries = recordSeries
        sojournIsStations = config.stations.count == 1 && config.stations[0].routing.isEmpty
        maxCustomers = config.customers ?? Int.max
        warmupCustomers = config.warmupCustomers
        profileIndex = Array(repeating: -1, count: config.arrivals.count)
        warmupTime = warmup
        statsFrom = warmup
        sojournSeries = TimeSeries(interval: interval, maxPoints: 4096)
    }

    deinit {
        customers.deallocate()
        stations.baseAddress?.deinitialize(count: stations.count)
        stations.deallocate()
    }

    /// Schedules the first arrivals and the warm-up cut.
    public func start(_ s: inout Scheduler) {
        for i in config.arrivals.indices {
            if case .poisson(_, let profile) = config.arrivals[i].process, let first = profile.first, first.at > 0 {
                s.schedule(at: first.at, kind: Kind.profileStep.rawValue, target: UInt32(i))
            }
            scheduleArrival(i, &s, from: 0)
        }
        if warmupTime > 0 { s.schedule(at: warmupTime, kind: Kind.warmupEnd.rawValue) }
    }

    /// Next arrival of stream `i` after `from`. Poisson with a piecewise-constant rate is
    /// exact: by memorylessness, a draw that crosses a rate change is discarded and redrawn
    /// from the change (the `profileStep` event), so no thinning is needed.
    @inline(__always)
    func scheduleArrival(_ i: Int, _ s: inout Scheduler, from: SimTime) {
        guard externalArrivals < maxCustomers else { return }
        let stream = arrivalStreams[i]
        if poissonRate[i] > 0 {
            let t = from + Distribution.exponential(mean: poissonMean[i]).sampleTime(stream)
            if t >= nextStep[i] { return } // the step event redraws
            s.schedule(at: t, kind: Kind.arrival.rawValue, target: UInt32(i))
        } else if case .renewal(let d) = config.arrivals[i].process {
            s.schedule(at: from + d.sampleTime(stream), kind: Kind.arrival.rawValue, target: UInt32(i))
        }
    }

    public func handle(_ e: Event, _ s: inout Scheduler) {
        switch Kind(rawValue: e.kind).unsafelyUnwrapped {
        case .arrival:
            let i = Int(e.target)
            guard externalArrivals < maxCustomers else { return }
            let c = newCustomer(Customer(number: externalArrivals, enteredSystem: s.now, arrivedAtStation: s.now))
            externalArrivals += 1
            inSystem += 1
            arrive(c, at: arrivalStation[i], &s)
            scheduleArrival(i, &s, from: s.now)
        case .departure:
            depart(Int32(truncatingIfNeeded: e.payload), from: Int(e.target), &s)
        case .profileStep:
            let i = Int(e.target)
            guard case .poisson(let base, let profile) = config.arrivals[i].process else { return }
            profileIndex[i] += 1
            let k = profileIndex[i]
            poissonRate[i] = base * profile[k].multiplier
            poissonMean[i] = 1 / poissonRate[i]
            nextStep[i] = k + 1 < profile.count ? profile[k + 1].at : .max
            if k + 1 < profile.count { s.schedule(at: profile[k + 1].at, kind: Kind.profileStep.rawValue, target: UInt32(i)) }
            // Cancel the pending draw by construction: arrivals scheduled past the step were
            // never inserted, so draw afresh from now at the new rate.
            scheduleArrival(i, &s, from: s.now)
        case .warmupEnd:
            for k in stations.indices {
                stations[k].queueLength.reset(at: s.now)
                stations[k].busyServers.reset(at: s.now)
            }
        }
    }

    @inline(__always)
    func newCustomer(_ c: Customer) -> Int32 { customers.take(c) }

    @inline(__always)
    func counts(_ c: Customer) -> Bool { c.number >= warmupCustomers && c.enteredSystem >= statsFrom }

    func arrive(_ c: Int32, at k: Int, _ s: inout Scheduler) {
        customers[c].arrivedAtStation = s.now
        let st = stations.baseAddress.unsafelyUnwrapped + k
        if st.pointee.busy < st.pointee.servers {
            startService(c, at: k, &s)
        } else {
            st.pointee.queue.append(c)
            let length = Double(st.pointee.queue.count)
            st.pointee.queueLength.set(length, at: s.now)
            st.pointee.queueSeries.set(length, at: s.now)
        }
    }

    func startService(_ c: Int32, at k: Int, _ s: inout Scheduler) {
        let st = stations.baseAddress.unsafelyUnwrapped + k
        st.pointee.busy += 1
        st.pointee.busyServers.set(Double(st.pointee.busy), at: s.now)
        let cust = customers[c]
        let w = s.now - cust.arrivedAtStation
        if counts(cust) {
            st.pointee.wait.record(w)
            st.pointee.waitSeries.record(SimUnit.seconds(w), at: s.now)
            if w > 0 { st.pointee.waited += 1 }
        }
        let mean = exponentialService[k]
        let d = mean.isNaN ? services[k].sampleTime(serviceStreams[k])
                           : Distribution.exponential(mean: mean).sampleTime(serviceStreams[k])
        s.schedule(after: d, kind: Kind.departure.rawValue, target: UInt32(k), payload: UInt64(UInt32(bitPattern: c)))
    }

    func depart(_ c: Int32, from k: Int, _ s: inout Scheduler) {
        let cust = customers[c]
        let st = stations.baseAddress.unsafelyUnwrapped + k
        if counts(cust) {
            st.pointee.sojourn.record(s.now - cust.arrivedAtStation)
            st.pointee.served += 1
        }
        st.pointee.busy -= 1
        if let next = st.pointee.queue.popFirst() {
            let length = Double(st.pointee.queue.count)
            st.pointee.queueLength.set(length, at: s.now)
            st.pointee.queueSeries.set(length, at: s.now)
            startService(next, at: k, &s)
        } else {
            st.pointee.busyServers.set(Double(st.pointee.busy), at: s.now)
        }
        // Route: one uniform draw per departure from the station's routing stream.
        var to = -1
        if !st.pointee.routing.isEmpty {
            let u = routingStreams[k].uniform()
            var acc = 0.0
            for r in st.pointee.routing {
                acc += r.probability
                if u < acc { to = r.to; break }
            }
        }
        if to >= 0 {
            arrive(c, at: to, &s)
        } else {
            if counts(cust) && !sojournIsStations { systemSojourn.record(s.now - cust.enteredSystem) }
            if recordSojournSeries { sojournSeries.record(SimUnit.seconds(s.now - cust.enteredSystem), at: s.now) }
            departedNetwork += 1
            inSystem -= 1
            customers.release(c)
            if departedNetwork >= maxCustomers { s.requestStop() }
        }
    }
}
