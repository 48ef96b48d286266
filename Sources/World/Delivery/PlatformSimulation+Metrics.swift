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
        m.latency("click_to_door", clickToDoor)
        m.latency("matching_delay", matchingDelay)
        m.latency("courier.wait_for_food", foodWait)
        m.latency("db.write", dbWrite)
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
        m.counter("db.cross_region_writes", Double(crossRegionWrites))
        m.counter("cross_region.client_calls", Double(crossRegionCalls))
        m.counter("db.cross_region_reads", Double(crossRegionReads))
        m.counter("menu_views", Double(menuViews))
        m.counter("location_pings", Double(pings))
        m.counter("matching.runs", Double(matchRuns))
        m.counter("requests.retries", Double(pools.reduce(0) { $0 + $1.retries }))
        m.counter("couriers.shifts_ended", Double(shiftsEnded))
        m.counter("orders.slots", Double(orders.count))

        // Services.
        for pool in pools {
            pool.advance(now)
            m.gauge("\(pool.name).replicas", mean: pool.replicasGauge.mean(until: now), max: pool.replicasGauge.max, unit: "replicas")
            m.counter("\(pool.name).replicas.min", Double(pool.minLive))
            m.gauge("\(pool.name).cpu", mean: pool.meanUtilisation, max: pool.cpuMax, unit: "ratio")
            m.counter("\(pool.name).timeouts", Double(pool.timeouts))
            m.counter("\(pool.name).crashes", Double(pool.crashes))
            m.counter("\(pool.name).scale_events", Double(pool.scaleEvents))
            m.counter("\(pool.name).retries", Double(pool.retries))
            m.gauge("\(pool.name).queue_length", mean: now > pool.warmupAt ? (pool.queuedIntegral - pool.queuedAtWarmup) / Double(now - pool.warmupAt) : 0,
                    max: Double(pool.maxQueued), unit: "requests")
            if !pool.sessionReplica.isEmpty {
                let routed = pool.stickyRouted + pool.balancerRouted
                m.counter("\(pool.name).sticky_share", routed == 0 ? 0 : Double(pool.stickyRouted) / Double(routed))
            }
            Self.addSeries(&m, "\(pool.name).replicas", unit: "replicas", pool.replicaSeries)
            Self.addSeries(&m, "\(pool.name).cpu", unit: "ratio", pool.cpuSeries)
            Self.addSeries(&m, "\(pool.name).queue_length", unit: "requests", pool.queueSeries)
        }

        // Kafka.
        for (t, topic) in topics.enumerated() {
            guard let topic else { continue }
            let label = "kafka.\(topic.name)@\(regions[t / 2].name)"
            m.gauge("\(label).lag", mean: topic.lagGauge.mean(until: now), max: topic.lagGauge.max, unit: "records")
            m.counter("\(label).max_partition_lag", Double(topic.maxPartitionLag.max() ?? 0))
            m.counter("\(label).rebalances", Double(topic.rebalances))
            m.counter("\(label).max_consumers", Double(topic.maxMembers))
            m.counter("\(label).produced", Double(topic.produced.reduce(0, +)))
            m.counter("\(label).paused_seconds", SimUnit.seconds(topic.pausedTime))
            Self.addSeries(&m, "\(label).lag", unit: "records", topic.lagSeries)
            let width = String(topic.partitions - 1).count
            for p in 0..<topic.partitions {
                let id = String(repeating: "0", count: width - String(p).count) + String(p)
                m.gauge("\(label).partition.\(id).lag", mean: topic.meanLag(p, until: now), max: Double(topic.maxPartitionLag[p]), unit: "records")
            }
        }

        // Caches.
        for (r, cache) in caches.enumerated() {
            guard let cache else { continue }
            let st = cache.statistics
            let n = regions[r].name
            let req = Double(max(1, st.requests))
            m.counter("cache.l1.hit_ratio@\(n)", Double(st.l1Hits) / req)
            m.counter("cache.l2.hit_ratio@\(n)", Double(st.l2Hits) / Double(max(1, st.requests - st.l1Hits)))
            m.counter("cache.l3.loads@\(n)", Double(st.l3Loads))
        }

        // Database.
        let writes = shards.map(\.writes)
        let meanWrites = Double(writes.reduce(0, +)) / Double(max(1, writes.count))
        let maxWrites = Double(writes.max() ?? 0)
        m.counter("db.shard.writes.max", maxWrites)
        m.counter("db.shard.writes.mean", meanWrites)
        m.counter("db.shard.skew", meanWrites > 0 ? maxWrites / meanWrites : 0)
        m.counter("db.connection_waits", Double(shards.reduce(0) { $0 + $1.waited }))
        m.counter("db.time_partitions_touched", Double(monthWrites.count))
        for (i, w) in writes.enumerated() { m.counter("db.shard.\(i).writes", Double(w)) }
        m.counter("db.status_writes", Double(statusWrites))
        m.counter("db.status_reads", Double(statusReads))
        m.counter("db.stale_reads", Double(staleReads))
        m.counter("db.stale_read_ratio", statusReads == 0 ? 0 : Double(staleReads) / Double(statusReads))
        m.counter("db.history_queries", Double(historyQueries))
        m.counter("db.partitions_per_history_query", historyQueries == 0 ? 0 : Double(historyPartitions) / Double(historyQueries))

        // Invariants.
        m.invariant("order_conservation", placed == delivered + cancelled + inFlight,
                    "placed \(placed) = delivered \(delivered) + cancelled \(cancelled) + in flight \(inFlight)")
        var locationOK = true
        for case let topic? in topics { for p in 0..<topic.partitions where topic.consumed[p] > topic.produced[p] { locationOK = false } }
        m.invariant("kafka_at_most_once", duplicateConsumption == 0 && locationOK,
                    "order_events records consumed twice: \(duplicateConsumption); committed offsets within produced: \(locationOK)")
        m.invariant("courier_bundle", bundleViolations == 0,
                    "assignments to a courier already on a trip or beyond bundle_size \(config.bundleSize): \(bundleViolations)")

        advise(&m, meanWrites: meanWrites, maxWrites: maxWrites)
        m.simulatedTime = now
        m.warmupCut = warmup
        return m
    }

    func advise(_ m: inout RunMetrics, meanWrites: Double, maxWrites: Double) {
        let regions = config.regions
        for (t, topic) in topics.enumerated() {
            guard let topic, topic.maxMembers > topic.partitions else { continue }
            let svc = t % 2 == 0 ? "matching_service" : "location_service"
            m.findings.append(("warning", "consumers_capped_by_partitions",
                               "\(svc)@\(regions[t / 2].name) reached \(topic.maxMembers) consumers for the \(topic.partitions) partitions of \(topic.name): \(topic.maxMembers - topic.partitions) sit idle; more replicas add no consuming capacity"))
        }
        let l1 = Self.meanOf(config.l1Latency), l2 = Self.meanOf(config.l2Latency)
        if l1 > l2 {
            m.findings.append(("warning", "l1_slower_than_l2",
                               "the L1 (local) cache latency \(Self.ms(l1)) exceeds the L2 (Redis) latency \(Self.ms(l2)): an L1 hit is slower than skipping L1, and every L1 miss pays both"))
        }
        for pool in pools where pool.syncsAtMax > 0 || pool.syncsWantingMore > 0 {
            m.findings.append(("warning", "pinned_at_max_replicas",
                               "\(pool.name) was at its max of \(pool.config.max) replicas at \(pool.syncsAtMax) of \(pool.syncs) HPA syncs; the HPA asked for up to \(pool.maxMetricDesired) (more than max at \(pool.syncsWantingMore) syncs)"))
        }
        for pool in pools where pool.syncs > 0 && pool.syncsAtMax == 0 {
            let util = pool.meanUtilisation
            if util < 0.2 * Double(pool.config.targetCPU) / 100, pool.maxMetricDesired <= pool.config.min {
                m.findings.append(("info", "over_provisioned",
                                   "\(pool.name) averaged \(Self.fmt(100 * util))% CPU against a \(pool.config.targetCPU)% target and never needed more than its min of \(pool.config.min) replicas"))
            }
        }
        if meanWrites > 0, maxWrites / meanWrites > 1.2 {
            m.findings.append(("info", "shard_skew", "the busiest of \(shards.count) shards took \(Int(maxWrites)) writes, \(Self.fmt(maxWrites / meanWrites))× the mean \(Self.fmt(meanWrites))"))
        }
        for (t, topic) in topics.enumerated() {
            guard let topic else { continue }
            let total = topic.produced.reduce(0, +)
            let mean = Double(total) / Double(topic.partitions)
            let mx = Double(topic.produced.max() ?? 0)
            if mean >= 20, mx / mean > 1.5 {
                m.findings.append(("info", "partition_skew", "\(topic.name)@\(regions[t / 2].name): busiest partition \(Int(mx)) records, \(Self.fmt(mx / mean))× the mean \(Self.fmt(mean))"))
            }
        }
        let waits = shards.reduce(0) { $0 + $1.waited }
        if waits > 0 {
            m.findings.append(("warning", "connection_limit_exceeded",
                               "\(waits) writes waited for one of the \(config.connectionsPerShard) connections of their shard (longest queue \(shards.map(\.maxQueue).max() ?? 0))"))
        }
        for (c, city) in cities.enumerated() {
            let target = Double(regions[c].latencyTarget)
            guard target > 0 else { continue }
            for (name, h) in [("place_order", city.placeOrder), ("menu_view", city.menuView), ("order_status", city.orderStatus),
                              ("order_history", city.orderHistory), ("location_update", city.locationUpdate)] where h.count > 0 {
                let p99 = h.percentile(99)
                if p99 > target {
                    m.findings.append(("error", "slo_at_risk", "\(name)@\(regions[c].name) p99 \(Self.ms(p99 / 1e9)) exceeds the region's latency target \(Self.ms(target / 1e9))"))
                } else if p99 > 0.8 * target {
                    m.findings.append(("warning", "slo_at_risk", "\(name)@\(regions[c].name) p99 \(Self.ms(p99 / 1e9)) is within 20% of the region's latency target \(Self.ms(target / 1e9))"))
                }
            }
        }
        if staleReads > 0 {
            let ratio = Double(staleReads) / Double(max(1, statusReads))
            m.findings.append((ratio > 0.01 ? "warning" : "info", "stale_reads",
                               "\(staleReads) of \(statusReads) order reads (\(Self.fmt(100 * ratio))%) found the replica behind the write the app had been told about (read \(Self.ms(SimUnit.seconds(config.statusReadDelay))) after the change, replication lag mean \(Self.ms(Self.meanOf(config.replicationLag))))"))
        }
        if historyQueries > 0 {
            let per = Double(historyPartitions) / Double(historyQueries)
            if per > Double(shards.count) {
                m.findings.append(("info", "history_fan_out",
                                   "each order-history query scanned \(Self.fmt(per)) partitions on average (\(Self.fmt(per / Double(shards.count))) months × \(shards.count) hash shards): created_at prunes months, but hashing by order_id cannot prune shards for a per-customer query"))
            }
        }
        for pool in pools where pool.retries > 0 {
            m.findings.append(("info", "retries", "\(pool.name): clients retried \(pool.retries) failed calls (up to \(pool.config.retries) each, backoff from \(Self.ms(SimUnit.seconds(pool.config.retryBackoff))))"))
        }
        for (t, topic) in topics.enumerated() {
            guard let topic, topic.pausedTime > 0 else { continue }
            m.findings.append(("info", "consumer_stall",
                               "\(topic.name)@\(regions[t / 2].name): the consumer group was paused \(Self.fmt(SimUnit.seconds(topic.pausedTime))) s in \(topic.rebalances) rebalances (pause \(Self.fmt(SimUnit.seconds(config.rebalancePause))) s; a crashed consumer is expelled after \(Self.fmt(SimUnit.seconds(config.sessionTimeout))) s); the largest partition lag was \(topic.maxPartitionLag.max() ?? 0) records"))
        }
        if placed > 0, Double(cancelled) / Double(placed) > 0.02 {
            m.findings.append(("warning", "cancellations", "\(cancelled) of \(placed) orders (\(Self.fmt(100 * Double(cancelled) / Double(placed)))%) were cancelled unmatched after \(SimUnit.seconds(config.cancelAfter)) s"))
        }
    }

    /// A bounded `TimeSeries` as a report series (each point's mean at its interval start).
    static func addSeries(_ m: inout RunMetrics, _ name: String, unit: String, _ series: TimeSeries) {
        m.addSeries(name, unit: unit, times: series.points.indices.map { series.time(ofPoint: $0) }, values: series.points.map(\.mean))
    }

    /// A distribution's mean, estimated from 20,000 draws of a fixed stream (deterministic).
    static func meanOf(_ d: Distribution) -> Double {
        if case .constant(let x) = d { return x }
        let stream = RandomStream(seed: 12345)
        var sum = 0.0
        for _ in 0..<20_000 { sum += d.sample(stream) }
        return sum / 20_000
    }

    static func ms(_ seconds: Double) -> String { fmt(seconds * 1000) + " ms" }
    static func fmt(_ x: Double) -> String { String(Double(Int((x * 100).rounded())) / 100) }
}
