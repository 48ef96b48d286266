import SimCore

/// What a run's resources cost: per resource, the quantity held (time-weighted where the
/// model varies it), its price and the cost per hour; in all, the cost per hour and per
/// delivered order, in the scenario's currency.
///
/// Computed from the report alone: the prices and the fixed resource counts (shards, read
/// replicas, partitions, couriers, servers) from the resolved scenario's `costs:` and
/// model sections, the varying ones from the report's figures (the time-weighted mean of
/// each `<service>@<region>.replicas` gauge, measured after the warm-up). So a report.json
/// on disk gives the same breakdown as the run that wrote it.
///
/// Cost per order = cost per hour × simulated hours ÷ orders delivered in the whole run
/// (`orders.delivered`, or `network.departures` for the queueing model): both over the
/// whole run. The replica level is the post-warm-up mean applied to the whole run, a close
/// approximation while the warm-up is short against the run.
public struct CostBreakdown: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// `order_service@us_east replicas`, `database shards`, `couriers`, ...
        public var resource: String
        /// Units held (mean over time for autoscaled pools).
        public var quantity: Double
        /// What one unit is: `replica`, `shard`, `GB/h`, ...
        public var unit: String
        /// Price per unit-hour (per GB for traffic).
        public var price: Double
        public var perHour: Double
    }

    public var currency: String
    public var lines: [Line]
    /// Resources the model holds but the `costs:` section gives no price for.
    public var unpriced: [String]
    public var perHour: Double
    public var hours: Double
    public var ordersDelivered: Double
    /// The counter the orders come from.
    public var ordersMetric: String
    /// NaN when no order was delivered.
    public var perOrder: Double { ordersDelivered > 0 ? perHour * hours / ordersDelivered : .nan }

    /// The breakdown of `report`, or nil when its scenario has no `costs:` section.
    public init?(report: Report) {
        self.init(resolved: report.header.resolvedScenario,
                  gauges: report.gauges.map { ($0.name, $0.gauge.mean) },
                  counters: report.counters.map { ($0.name, $0.value) },
                  simulatedSeconds: SimUnit.seconds(report.simulatedTime))
    }

    /// The breakdown from a resolved scenario and the run's gauge means and counters.
    public init?(resolved: JSONValue, gauges: [(String, Double)], counters: [(String, Double)], simulatedSeconds: Double) {
        guard let costs = resolved["costs"] else { return nil }
        currency = costs["currency"]?.stringValue ?? ""
        let h = simulatedSeconds / 3600
        hours = h
        var lines: [Line] = []
        var unpriced: [String] = []
        func add(_ resource: String, _ quantity: Double, _ unit: String, _ price: Double?) {
            guard let price else { if quantity > 0 { unpriced.append(resource) }; return }
            lines.append(Line(resource: resource, quantity: quantity, unit: unit, price: price, perHour: quantity * price))
        }
        func counter(_ name: String) -> Double? { counters.first { $0.0 == name }?.1 }

        if let stations = resolved["queueing"]?["stations"]?.objectValue {
            for (name, st) in stations {
                add("\(name) servers", st["servers"]?.doubleValue ?? 0, "server", costs["stations"]?[name]?["server_hour"]?.doubleValue)
            }
            ordersMetric = "network.departures"
        } else {
            ordersMetric = "orders.delivered"
        }

        // Services: one line per pool (service@region), from its time-weighted replica level.
        let services = resolved["services"]?.objectValue ?? []
        for (gauge, mean) in gauges.sorted(by: { $0.0 < $1.0 }) where gauge.hasSuffix(".replicas") {
            let pool = String(gauge.dropLast(".replicas".count))
            guard let at = pool.firstIndex(of: "@") else { continue }
            let service = String(pool[..<at])
            guard let svc = services.first(where: { $0.0 == service })?.1 else { continue }
            let cores = svc["cores"]?.doubleValue ?? CostBreakdown.defaultCores
            let price = costs["services"]?[service]?["replica_hour"]?.doubleValue ?? costs["vcpu_hour"]?.doubleValue.map { $0 * cores }
            add("\(pool) replicas", mean, "replica", price)
        }

        let regions = (resolved["regions"]?.objectValue ?? []).count
        if let db = resolved["database"] {
            add("database shards", db["shards"]?.doubleValue ?? CostBreakdown.defaultShards, "shard", costs["shard_hour"]?.doubleValue)
            let replicas = (db["read_replicas"]?.doubleValue ?? CostBreakdown.defaultReadReplicas) * Double(regions)
            add("database read replicas", replicas, "read replica", costs["read_replica_hour"]?.doubleValue)
        }
        if let kafka = resolved["kafka"]?.objectValue {
            // Each region runs its own cluster with every topic.
            let partitions = kafka.compactMap { $0.1["partitions"]?.doubleValue }.reduce(0, +) * Double(regions)
            let brokers = costs["brokers_per_region"]?.doubleValue ?? 0
            if brokers > 0 {
                add("kafka brokers", brokers * Double(regions), "broker", costs["broker_hour"]?.doubleValue)
            }
            // Priced brokers carry the partitions (provisioned Kafka); else price per partition.
            if costs["partition_hour"] != nil || brokers == 0 {
                add("kafka partitions", partitions, "partition", costs["partition_hour"]?.doubleValue)
            }
        }
        if let couriers = resolved["couriers"]?["count"]?.doubleValue {
            add("couriers", couriers, "courier", costs["courier_hour"]?.doubleValue)
        }
        let calls = ["cross_region.client_calls", "db.cross_region_writes", "db.cross_region_reads"].compactMap(counter)
        if !calls.isEmpty {
            let bytes = costs["bytes_per_cross_region_call"]?.doubleValue
            let gbPerHour = bytes.map { calls.reduce(0, +) * $0 / 1e9 / max(h, 1e-12) }
            if let gbPerHour { add("cross-region traffic", gbPerHour, "GB/h", costs["cross_region_gb"]?.doubleValue) }
            else if calls.reduce(0, +) > 0 { unpriced.append("cross-region traffic (no bytes_per_cross_region_call)") }
        }
        self.lines = lines
        self.unpriced = unpriced
        perHour = lines.reduce(0) { $0 + $1.perHour }
        ordersDelivered = counter(ordersMetric) ?? 0
    }

    /// The platform schema's defaults for keys a scenario may leave out (PlatformSchema:
    /// services.*.cores 2, database.shards 16, database.read_replicas 1).
    static let defaultCores = 2.0
    static let defaultShards = 16.0
    static let defaultReadReplicas = 1.0
}

extension Report {
    /// The run's costs, or nil when the scenario has no `costs:` section.
    public var costs: CostBreakdown? { CostBreakdown(report: self) }
}
