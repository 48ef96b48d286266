import DequeModule
import Scenario
import SimCore

/// A network of c-server FIFO stations with probabilistic routing, driven by Poisson
/// (optionally rate-profiled) or renewal arrivals.
///
/// The validation model: M/M/c, M/D/1, M/G/1 and Jackson networks have closed forms the
/// tests compare against. Random streams, one per named component: `arrivals.<i>`,
/// `service.<station>`, `routing.<station>`.
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
    var stations: [Station]
    // Kept apart from `stations` so drawing a service time copies no enum payload and
    // retains nothing on the hot path.
    let services: [Distribution]
    let serviceStreams: [RandomHandle]
    let routingStreams: [RandomHandle]
    let arrivalStreams: [RandomHandle]
    /// Owns the streams the handles point into.
    let ownedStreams: [RandomStream]
    /// Current rate per second of each Poisson stream (0 for renewal streams), kept apart
    /// from `config` so the hot path copies no enum payload.
    var poissonRate: [Double]
    /// Start of the next profile step per stream (`.max` when none).
    var nextStep: [SimTime]
    let arrivalStation: [Int]
    let recordSojournSeries: Bool
    var customers: [Customer] = []
    var freeCustomers: [Int32] = []
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
        stations = config.stations.map { s in
            Station(servers: s.servers, routing: s.routing,
                    queueLength: TimeWeightedGauge(), busyServers: TimeWeightedGauge(),
                    waitSeries: TimeSeries(interval: interval), queueSeries: GaugeSeries(interval: interval))
        }
        services = config.stations.map(\.service)
        let service = config.stations.map { seeder.stream("service.\($0.name)") }
        let routing = config.stations.map { seeder.stream("routing.\($0.name)") }
        let arrival = config.arrivals.indices.map { seeder.stream("arrivals.\($0)") }
        ownedStreams = service + routing + arrival
        serviceStreams = service.map(\.handle)
        routingStreams = routing.map(\.handle)
        arrivalStreams = arrival.map(\.handle)
        arrivalStation = config.arrivals.map(\.station)
        poissonRate = config.arrivals.map { if case .poisson(let r, _) = $0.process { return r }; return 0 }
        nextStep = config.arrivals.map { if case .poisson(_, let p) = $0.process, let f = p.first { return f.at }; return .max }
        recordSojournSeries = recordSeries
        maxCustomers = config.customers ?? Int.max
        warmupCustomers = config.warmupCustomers
        profileIndex = Array(repeating: -1, count: config.arrivals.count)
        warmupTime = warmup
        statsFrom = warmup
        sojournSeries = TimeSeries(interval: interval, maxPoints: 4096)
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
    func scheduleArrival(_ i: Int, _ s: inout Scheduler, from: SimTime) {
        guard externalArrivals < maxCustomers else { return }
        let stream = arrivalStreams[i]
        let rate = poissonRate[i]
        if rate > 0 {
            let t = from + SimUnit.fromSeconds(Distribution.exponential(mean: 1 / rate).sample(stream))
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

    func newCustomer(_ c: Customer) -> Int32 {
        if let i = freeCustomers.popLast() { customers[Int(i)] = c; return i }
        customers.append(c)
        return Int32(customers.count - 1)
    }

    func counts(_ c: Customer) -> Bool { c.number >= warmupCustomers && c.enteredSystem >= statsFrom }

    func arrive(_ c: Int32, at k: Int, _ s: inout Scheduler) {
        customers[Int(c)].arrivedAtStation = s.now
        if stations[k].busy < stations[k].servers {
            startService(c, at: k, &s)
        } else {
            stations[k].queue.append(c)
            stations[k].queueLength.set(Double(stations[k].queue.count), at: s.now)
            stations[k].queueSeries.set(Double(stations[k].queue.count), at: s.now)
        }
    }

    func startService(_ c: Int32, at k: Int, _ s: inout Scheduler) {
        stations[k].busy += 1
        stations[k].busyServers.set(Double(stations[k].busy), at: s.now)
        let cust = customers[Int(c)]
        let w = s.now - cust.arrivedAtStation
        if counts(cust) {
            stations[k].wait.record(w)
            stations[k].waitSeries.record(SimUnit.seconds(w), at: s.now)
            if w > 0 { stations[k].waited += 1 }
        }
        let d = services[k].sampleTime(serviceStreams[k])
        s.schedule(after: d, kind: Kind.departure.rawValue, target: UInt32(k), payload: UInt64(UInt32(bitPattern: c)))
    }

    func depart(_ c: Int32, from k: Int, _ s: inout Scheduler) {
        let cust = customers[Int(c)]
        if counts(cust) {
            stations[k].sojourn.record(s.now - cust.arrivedAtStation)
            stations[k].served += 1
        }
        stations[k].busy -= 1
        if let next = stations[k].queue.popFirst() {
            stations[k].queueLength.set(Double(stations[k].queue.count), at: s.now)
            stations[k].queueSeries.set(Double(stations[k].queue.count), at: s.now)
            startService(next, at: k, &s)
        } else {
            stations[k].busyServers.set(Double(stations[k].busy), at: s.now)
        }
        // Route: one uniform draw per departure from the station's routing stream.
        var to = -1
        if !stations[k].routing.isEmpty {
            let u = routingStreams[k].uniform()
            var acc = 0.0
            for r in stations[k].routing {
                acc += r.probability
                if u < acc { to = r.to; break }
            }
        }
        if to >= 0 {
            arrive(c, at: to, &s)
        } else {
            if counts(cust) { systemSojourn.record(s.now - cust.enteredSystem) }
            if recordSojournSeries { sojournSeries.record(SimUnit.seconds(s.now - cust.enteredSystem), at: s.now) }
            departedNetwork += 1
            inSystem -= 1
            freeCustomers.append(c)
            if departedNetwork >= maxCustomers { s.requestStop() }
        }
    }

    /// The run's measurements, closed at the current time.
    public func metrics(at now: SimTime) -> RunMetrics {
        var m = RunMetrics()
        for (k, st) in stations.enumerated() {
            let name = config.stations[k].name
            m.latency("\(name).wait", st.wait)
            m.latency("\(name).sojourn", st.sojourn)
            m.counter("\(name).served", Double(st.served))
            m.counter("\(name).p_wait", st.wait.count == 0 ? 0 : Double(st.waited) / Double(st.wait.count))
            m.gauge("\(name).queue_length", mean: st.queueLength.mean(until: now), max: st.queueLength.max, unit: "customers")
            m.gauge("\(name).busy_servers", mean: st.busyServers.mean(until: now), max: st.busyServers.max, unit: "servers")
            m.gauge("\(name).utilization", mean: st.busyServers.mean(until: now) / Double(st.servers), max: st.busyServers.max / Double(st.servers), unit: "ratio")
            var qs = st.queueSeries
            qs.finish(at: now)
            m.addSeries("\(name).queue_length", unit: "customers", times: (0..<qs.count).map(qs.time(ofPoint:)), values: (0..<qs.count).map(qs.mean(ofPoint:)))
            let ws = st.waitSeries
            // An interval in which nobody finished waiting has no mean: NaN (charts skip it, CSV leaves it empty).
            m.addSeries("\(name).wait.mean", unit: "s", times: ws.points.indices.map(ws.time(ofPoint:)),
                        values: ws.points.map { $0.count == 0 ? .nan : $0.mean })
        }
        m.latency("network.sojourn", systemSojourn)
        m.counter("network.arrivals", Double(externalArrivals))
        m.counter("network.departures", Double(departedNetwork))
        m.counter("network.in_system", Double(inSystem))
        m.invariant("conservation", externalArrivals == departedNetwork + inSystem,
                    "arrivals \(externalArrivals) = departures \(departedNetwork) + in system \(inSystem)")
        m.simulatedTime = now
        m.warmupCut = warmupTime
        return m
    }
}

