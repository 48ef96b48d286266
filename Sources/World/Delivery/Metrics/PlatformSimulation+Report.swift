import Platform
import Scenario
import SimCore

extension PlatformSimulation {
    /// The run's measurements, invariants and advisor findings, closed at `now`.
    public func metrics(at now: SimTime) -> RunMetrics {
        var m = RunMetrics()
        let regions = config.regions
        for (c, city) in measurements.cities.enumerated() {
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
        let endpointSeries = measurements.endpointSeries
        for (c, region) in regions.enumerated() where c < measurements.cities.count {
            for (k, endpoint) in ["place_order", "menu_view", "order_status", "order_history", "location_update"].enumerated() {
                MetricsFormat.addLatencySeries(&m, "\(endpoint)@\(region.name)", endpointSeries.isEmpty ? nil : endpointSeries[c * 5 + k])
            }
        }
        m.markers = measurements.markers
        m.latency("click_to_door", measurements.clickToDoor)
        reportCensored(&m, now: now)
        m.latency("matching_delay", measurements.matchingDelay)
        m.latency("courier.wait_for_food", measurements.foodWait)
        reportRegionOrderLatencies(&m)
        m.latency("db.write", database.writeLatency)
        m.latency("kafka.order_events.produce", measurements.produceAck)
        measurements.stages.report(into: &m, regions: regions.map(\.name))

        let inFlight = orders.inFlight()
        let placed = orders.placed, delivered = orders.delivered, cancelled = orders.cancelled
        let pools = services.pools
        m.counter("orders.placed", Double(placed))
        m.counter("orders.delivered", Double(delivered))
        m.counter("orders.cancelled", Double(cancelled))
        m.counter("orders.in_flight", Double(inFlight))
        m.counter("orders.rejected", Double(orders.rejected))
        m.counter("orders.cancel_ratio", placed == 0 ? 0 : Double(cancelled) / Double(placed))
        m.counter("db.cross_region_writes", Double(database.crossRegionWrites))
        m.counter("cross_region.client_calls", Double(measurements.crossRegionCalls))
        m.counter("db.cross_region_reads", Double(database.crossRegionReads))
        m.counter("menu_views", Double(demand.menuViews))
        m.counter("location_pings", Double(couriers.pings))
        m.counter("matching.runs", Double(matching.matchRuns))
        if config.declineShare > 0 { m.counter("matching.declined", Double(matching.declined)) }
        if config.expand.enabled { m.counter("matching.expanded", Double(matching.expanded)) }
        reportMatchSplit(&m)
        if !config.staffing.isEmpty { m.counter("couriers.on_duty", Double(couriers.onDuty)) }
        m.counter("requests.retries", Double(pools.reduce(0) { $0 + $1.retries }))
        m.counter("couriers.shifts_ended", Double(couriers.shiftsEnded))
        couriers.reportHours(into: &m, regions: regions.map(\.name), at: now)
        m.counter("orders.slots", Double(orders.slots))

        // Services.
        for (p, pool) in pools.enumerated() { pool.report(into: &m, at: now, scaleEvents: autoscaler.scaleEvents(p)) }
        reportFaults(&m)
        reportPolling(into: &m)
        reportLoops(into: &m, at: now)

        kafka.report(into: &m, regions: regions, at: now)
        kafka.reportBrokers(into: &m, regions: regions, at: now)
        caches.reportNodes(into: &m, regions: regions, at: now)
        caches.report(into: &m, regions: regions)
        database.report(into: &m)
        channel.report(into: &m)
        database.reportCapacity(into: &m, at: now)

        // Invariants.
        m.invariant("order_conservation", placed == delivered + cancelled + inFlight,
                    "placed \(placed) = delivered \(delivered) + cancelled \(cancelled) + in flight \(inFlight)")
        let locationOK = kafka.offsetsWithinProduced
        m.invariant("kafka_at_most_once", orders.duplicateConsumption == 0 && locationOK,
                    "order_events records consumed twice: \(orders.duplicateConsumption); committed offsets within produced: \(locationOK)")
        m.invariant("courier_bundle", couriers.bundleViolations == 0,
                    "assignments to a courier already on a trip or beyond bundle_size \(config.bundleSize): \(couriers.bundleViolations)")
        kafka.checkBrokerPromise(into: &m, regions: regions)

        advise(&m)
        findOffCPUConsumers(&m, at: now)
        m.simulatedTime = now
        m.warmupCut = warmup
        return m
    }

    /// The advisor's findings, in a fixed order (each component adds its own).
    func advise(_ m: inout RunMetrics) {
        let regions = config.regions
        let pools = services.pools, cities = measurements.cities
        let placed = orders.placed, cancelled = orders.cancelled
        kafka.findCappedConsumers(&m, regions: regions)
        caches.findL1SlowerThanL2(&m)
        autoscaler.findPinnedAtMax(&m, pools: pools)
        autoscaler.findOverProvisioned(&m, pools: pools)
        stickyWatch.find(&m, pools: pools)
        database.findShardSkew(&m)
        kafka.findPartitionSkew(&m, regions: regions)
        database.findConnectionWaits(&m)
        database.findHotShard(&m)
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
        Self.findCancellations(&m, cancelled: cancelled, placed: placed, cancelAfter: config.cancelAfter)
    }

    /// Also for the sums over the regions' logical processes of a parallel run (`RegionReport`).
    static func findCancellations(_ m: inout RunMetrics, cancelled: Int, placed: Int, cancelAfter: SimTime) {
        if placed > 0, Double(cancelled) / Double(placed) > 0.02 {
            m.findings.append(("warning", "cancellations", "\(cancelled) of \(placed) orders (\(MetricsFormat.fmt(100 * Double(cancelled) / Double(placed)))%) were cancelled unmatched after \(SimUnit.seconds(cancelAfter)) s"))
        }
    }
}
