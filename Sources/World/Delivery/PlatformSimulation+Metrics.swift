import Platform
import Scenario
import SimCore

extension PlatformSimulation {
    /// The run's measurements, invariants and advisor findings, closed at `now`.
    public func metrics(at now: SimTime) -> RunMetrics {
        var m = RunMetrics()
        let regions = config.regions
        for (c, city) in cities.enumerated() {
            let n = regions[c].name
            m.latency("place_order@\(n).latency", city.placeOrder)
            m.latency("menu_view@\(n).latency", city.menuView)
            if config.statusReads { m.latency("order_status@\(n).latency", city.orderStatus) }
            if config.historyViewsPerOrder > 0 { m.latency("order_history@\(n).latency", city.orderHistory) }
            m.latency("location_update@\(n).latency", city.locationUpdate)
            m.counter("place_order@\(n).failed", Double(city.placeOrderFailed))
            m.counter("menu_view@\(n).failed", Double(city.menuFailed))
            m.counter("order_status@\(n).failed", Double(city.statusFailed))
            m.counter("order_history@\(n).failed", Double(city.historyFailed))
            m.counter("location_update@\(n).failed", Double(city.pingsFailed))
        }
        for (c, region) in regions.enumerated() where c < cities.count {
            for (k, endpoint) in ["place_order", "menu_view", "order_status", "order_history", "location_update"].enumerated() {
                MetricsFormat.addLatencySeries(&m, "\(endpoint)@\(region.name)", endpointSeries.isEmpty ? nil : endpointSeries[c * 5 + k])
            }
        }
        m.markers = markers
        m.latency("click_to_door", clickToDoor)
        m.latency("matching_delay", matchingDelay)
        m.latency("courier.wait_for_food", foodWait)
        m.latency("db.write", database.writeLatency)
        m.latency("kafka.order_events.produce", produceAck)

        var states = [Int](repeating: 0, count: 6)
        orders.forEach { states[Int($0.state.rawValue)] += 1 }
        let inFlight = states[Int(OrderState.pending.rawValue)] + states[Int(OrderState.assigned.rawValue)]
        m.counter("orders.placed", Double(placed))
        m.counter("orders.delivered", Double(delivered))
        m.counter("orders.cancelled", Double(cancelled))
        m.counter("orders.in_flight", Double(inFlight))
        m.counter("orders.rejected", Double(rejected))
        m.counter("orders.cancel_ratio", placed == 0 ? 0 : Double(cancelled) / Double(placed))
        m.counter("db.cross_region_writes", Double(database.crossRegionWrites))
        m.counter("cross_region.client_calls", Double(crossRegionCalls))
        m.counter("db.cross_region_reads", Double(database.crossRegionReads))
        m.counter("menu_views", Double(menuViews))
        m.counter("location_pings", Double(pings))
        m.counter("matching.runs", Double(matchRuns))
        m.counter("requests.retries", Double(pools.reduce(0) { $0 + $1.retries }))
        m.counter("couriers.shifts_ended", Double(shiftsEnded))
        m.counter("orders.slots", Double(orders.count))

        // Services.
        for (p, pool) in pools.enumerated() {
            pool.advance(now)
            m.gauge("\(pool.name).replicas", mean: pool.replicasGauge.mean(until: now), max: pool.replicasGauge.max, unit: "replicas")
            m.counter("\(pool.name).replicas.min", Double(pool.minLive))
            m.gauge("\(pool.name).cpu", mean: pool.meanUtilisation, max: pool.cpuMax, unit: "ratio")
            m.counter("\(pool.name).timeouts", Double(pool.timeouts))
            m.counter("\(pool.name).crashes", Double(pool.crashes))
            m.counter("\(pool.name).scale_events", Double(autoscaler.scaleEvents(p)))
            m.counter("\(pool.name).retries", Double(pool.retries))
            m.gauge("\(pool.name).queue_length", mean: now > pool.warmupAt ? (pool.queuedIntegral - pool.queuedAtWarmup) / Double(now - pool.warmupAt) : 0,
                    max: Double(pool.maxQueued), unit: "requests")
            if !pool.sessionReplica.isEmpty {
                let routed = pool.stickyRouted + pool.balancerRouted
                m.counter("\(pool.name).sticky_share", routed == 0 ? 0 : Double(pool.stickyRouted) / Double(routed))
            }
            MetricsFormat.addLevels(&m, "\(pool.name).replicas", unit: "replicas", &pool.podSeries, at: now, extreme: "max")
            MetricsFormat.addLevels(&m, "\(pool.name).replicas.ready", unit: "replicas", &pool.readySeries, at: now, extreme: "min")
            MetricsFormat.addSeries(&m, "\(pool.name).cpu", unit: "ratio", pool.cpuSeries)
            MetricsFormat.addSeries(&m, "\(pool.name).queue_length", unit: "requests", pool.queueSeries)
        }

        kafka.report(into: &m, regions: regions, at: now)
        caches.report(into: &m, regions: regions)
        database.report(into: &m)

        // Invariants.
        m.invariant("order_conservation", placed == delivered + cancelled + inFlight,
                    "placed \(placed) = delivered \(delivered) + cancelled \(cancelled) + in flight \(inFlight)")
        let locationOK = kafka.offsetsWithinProduced
        m.invariant("kafka_at_most_once", duplicateConsumption == 0 && locationOK,
                    "order_events records consumed twice: \(duplicateConsumption); committed offsets within produced: \(locationOK)")
        m.invariant("courier_bundle", bundleViolations == 0,
                    "assignments to a courier already on a trip or beyond bundle_size \(config.bundleSize): \(bundleViolations)")

        advise(&m)
        m.simulatedTime = now
        m.warmupCut = warmup
        return m
    }

    /// The advisor's findings, in a fixed order (each component adds its own).
    func advise(_ m: inout RunMetrics) {
        let regions = config.regions
        kafka.findCappedConsumers(&m, regions: regions)
        caches.findL1SlowerThanL2(&m)
        autoscaler.findPinnedAtMax(&m, pools: pools)
        autoscaler.findOverProvisioned(&m, pools: pools)
        database.findShardSkew(&m)
        kafka.findPartitionSkew(&m, regions: regions)
        database.findConnectionWaits(&m)
        for (c, city) in cities.enumerated() {
            let target = Double(regions[c].latencyTarget)
            guard target > 0 else { continue }
            for (name, h) in [("place_order", city.placeOrder), ("menu_view", city.menuView), ("order_status", city.orderStatus),
                              ("order_history", city.orderHistory), ("location_update", city.locationUpdate)] where h.count > 0 {
                let p99 = h.percentile(99)
                if p99 > target {
                    m.findings.append(("error", "slo_at_risk", "\(name)@\(regions[c].name) p99 \(MetricsFormat.ms(p99 / 1e9)) exceeds the region's latency target \(MetricsFormat.ms(target / 1e9))"))
                } else if p99 > 0.8 * target {
                    m.findings.append(("warning", "slo_at_risk", "\(name)@\(regions[c].name) p99 \(MetricsFormat.ms(p99 / 1e9)) is within 20% of the region's latency target \(MetricsFormat.ms(target / 1e9))"))
                }
            }
        }
        // The cause behind a write endpoint's latency in a region without the primary.
        let primary = config.primaryRegion
        for (c, city) in cities.enumerated() where c != primary && city.placeOrder.count > 0 {
            let rtt = regions[c].rtt[primary]
            guard rtt > 0 else { continue }
            let target = regions[c].latencyTarget
            let over = target > 0 && city.placeOrder.percentile(99) > Double(target)
            m.findings.append((over ? "error" : "info", "cross_region_writes",
                               "place_order@\(regions[c].name): every order write crosses to the primary database in \(regions[primary].name) and pays the \(MetricsFormat.ms(SimUnit.seconds(rtt))) round trip"
                               + (target > 0 ? " (the region's latency target is \(MetricsFormat.ms(SimUnit.seconds(target))))" : "")))
        }
        database.findStaleReads(&m)
        database.findHistoryFanOut(&m)
        for pool in pools where pool.retries > 0 {
            m.findings.append(("info", "retries", "\(pool.name): clients retried \(pool.retries) failed calls (up to \(pool.config.retries) each, backoff from \(MetricsFormat.ms(SimUnit.seconds(pool.config.retryBackoff))))"))
        }
        kafka.findStalls(&m, regions: regions, sessionTimeout: config.sessionTimeout)
        if placed > 0, Double(cancelled) / Double(placed) > 0.02 {
            m.findings.append(("warning", "cancellations", "\(cancelled) of \(placed) orders (\(MetricsFormat.fmt(100 * Double(cancelled) / Double(placed)))%) were cancelled unmatched after \(SimUnit.seconds(config.cancelAfter)) s"))
        }
    }
}

extension PlatformSimulation {
    /// Records an incident for the report's charts; bounded, so a long run with a busy
    /// autoscaler cannot grow it without limit.
    func mark(_ time: SimTime, _ kind: String, _ label: String) {
        if markers.count < 2000 { markers.append(RunMetrics.Marker(time: time, kind: kind, label: label)) }
    }
}
