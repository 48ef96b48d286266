import SimCore

/// A rough upper estimate of the events and memory one replication of a scenario needs,
/// checked before a run starts so an absurd scenario (a billion orders an hour, a
/// ten-million-entry L1 cache on every replica) is an error with the estimate, not a
/// process that runs for hours or grows to gigabytes.
///
/// The per-item costs are rounded up from the baseline scenario (two simulated minutes:
/// 324,000 events for about 550 orders, 4,400 menu views and 75,000 location pings; the
/// estimate gives about 1.5 times that), so they overestimate rather than under.
/// Limits: `limits.max_events` over all replications and `limits.max_memory` in MB per
/// replication (defaults in `ScenarioSchema.limitsSchema`), both overridable in the scenario
/// or with `--set limits.max_events=…`.
public struct WorkEstimate: Sendable, Equatable {
    public var events: Double
    public var bytes: Double

    /// Events of a queueing network: three per station visit (arrival or routing, start,
    /// end), with the expected visits per customer from the traffic equations.
    static func queueing(_ q: QueueingConfig, duration: SimTime?) -> WorkEstimate {
        let visits = expectedVisits(q)
        var customers = 0.0
        if let d = duration {
            for a in q.arrivals {
                switch a.process {
                case .poisson(let rate, let profile):
                    let peak = max(1, profile.map(\.multiplier).max() ?? 1)
                    customers += rate * peak * SimUnit.seconds(d)
                case .renewal(let dist):
                    let m = DistributionParser.mean(dist)
                    customers += m > 0 ? SimUnit.seconds(d) / m : 1e18
                }
            }
        }
        if let c = q.customers { customers = customers == 0 ? Double(c) : min(customers, Double(c)) }
        let servers = q.stations.reduce(0.0) { $0 + Double($1.servers) }
        return WorkEstimate(events: customers * visits * 3, bytes: 64e6 + servers * 64)
    }

    /// Expected station visits per customer: the traffic equations v = e + vP (e: where
    /// customers enter, P: routing), solved by iteration. A network a customer never leaves
    /// (spectral radius of P at 1) gives a huge figure, and the work limit refuses it.
    static func expectedVisits(_ q: QueueingConfig) -> Double {
        let n = q.stations.count
        guard n > 0 else { return 1 }
        var entry = [Double](repeating: 0, count: n)
        for a in q.arrivals where a.station < n { entry[a.station] += 1 }
        let total = entry.reduce(0, +)
        guard total > 0 else { return Double(n) }
        entry = entry.map { $0 / total }
        var v = entry
        for _ in 0..<10_000 {
            var next = entry
            for (i, s) in q.stations.enumerated() {
                for r in s.routing where r.to < n { next[r.to] += v[i] * r.probability }
            }
            let change = zip(next, v).reduce(0.0) { max($0, abs($1.0 - $1.1)) }
            v = next
            if change < 1e-9 * max(1, v.reduce(0, +)) { return v.reduce(0, +) }
        }
        return max(v.reduce(0, +), 1e6)
    }

    /// Events and memory of the platform model over `duration`.
    static func platform(_ p: PlatformConfig, duration: SimTime) -> WorkEstimate {
        let seconds = SimUnit.seconds(duration)
        let peak = p.profile.max() ?? 1
        let orders = p.ordersPerHour / 3600 * peak * seconds
        let historyFanout = Double(p.shards) * (p.monthlyPartitions ? max(1, SimUnit.seconds(p.historyRange) / 2_592_000 + 1) : 1)
        var events = orders * (200 + p.menuViewsPerOrder * 10 + p.historyViewsPerOrder * (10 + 2 * historyFanout))
        // Idle pings from every courier, trip pings for about half an hour per order.
        events += Double(p.courierCount) * seconds / SimUnit.seconds(p.pingIdle) * 4
        events += orders * min(seconds, 1800) / SimUnit.seconds(p.pingTrip) * 4
        let regions = Double(p.regions.count)
        let maxReplicas = p.services.reduce(0.0) { $0 + Double($1.max) }
        events += regions * maxReplicas * seconds / SimUnit.seconds(p.healthInterval) * 3
        events += regions * seconds / SimUnit.seconds(p.matchingInterval) * 4
        events += p.crashRates.reduce(0, +) * regions * maxReplicas * seconds * 10

        var bytes = 64e6
        bytes += Double(p.customers) * 200 + Double(p.restaurantCount) * 400 + Double(p.courierCount) * 600
        bytes += regions * maxReplicas * 4096
        // Each order_service replica reserves its whole L1 up front (about 96 bytes an entry).
        let upRegions = Double(p.regions.filter { !$0.down }.count)
        bytes += upRegions * Double(p.services[0].max) * Double(p.l1Capacity) * 96
        bytes += regions * Double(p.orderEvents.partitions + p.locationUpdates.partitions) * 2048
        bytes += Double(p.shards) * 4096
        // Orders held for the run (slots are kept for the report) and open requests.
        bytes += orders * 400
        return WorkEstimate(events: events, bytes: bytes)
    }

    /// The error for a scenario over its limits, or nil.
    static func check(_ e: WorkEstimate, maxEvents: Double, maxMemoryMB: Double, at loc: SourceLocation) -> ScenarioError? {
        if e.events > maxEvents {
            return ScenarioError(loc, path: "limits.max_events",
                                 "this scenario needs about \(DurationFormat.significant(e.events, 2)) events (all replications), above the limit of \(DurationFormat.significant(maxEvents, 2)) (estimated from demand, couriers' pings, replicas' health checks and the duration)",
                                 fix: "shorten duration or reduce demand, couriers or ping rates; or raise the limit with `limits: { max_events: \(Int64(min(e.events * 1.2, 9e18))) }` if you mean it")
        }
        let mb = e.bytes / 1_048_576
        if mb > maxMemoryMB {
            return ScenarioError(loc, path: "limits.max_memory",
                                 "this scenario needs about \(Int64(min(mb, 9e15))) MB per replication, above the limit of \(Int64(maxMemoryMB)) MB (estimated from customers, restaurants, couriers, replicas × cache.l1.capacity, partitions and orders)",
                                 fix: "reduce cache.l1.capacity, services' max, customers, restaurants or couriers; or raise the limit with `limits: { max_memory: \(Int64(min(mb * 1.2, 9e15))) }` (MB) if the machine has it")
        }
        return nil
    }
}
