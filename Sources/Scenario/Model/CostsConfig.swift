import SimCore

/// The typed `costs:` section. Prices are plain numbers in `currency`; the report computes
/// cost per hour and per order from them (`Reports.CostBreakdown`, which reads the same
/// section from the resolved scenario, so a report.json alone is enough to recompute it).
/// Decoding checks what the schema cannot: service and station names exist, and a
/// cross-region price comes with its bytes-per-call assumption.
public struct CostsConfig: Sendable, Equatable {
    public var currency: String
    public var vcpuHour: Double?
    public var replicaHour: [String: Double]
    public var shardHour: Double?
    public var readReplicaHour: Double?
    public var partitionHour: Double?
    public var brokerHour: Double?
    public var brokersPerRegion: Int
    public var courierHour: Double?
    public var crossRegionGB: Double?
    public var bytesPerCrossRegionCall: Double?
    public var serverHour: [String: Double]

    /// The section of `document`, or nil when it has none. Problems go to `errors`.
    public static func decode(_ document: ConfigNode, errors: inout [ScenarioError]) -> CostsConfig? {
        guard let c = document["costs"] else { return nil }
        var config = CostsConfig(
            currency: c["currency"]?.stringValue ?? "", vcpuHour: c["vcpu_hour"]?.doubleValue, replicaHour: [:],
            shardHour: c["shard_hour"]?.doubleValue, readReplicaHour: c["read_replica_hour"]?.doubleValue,
            partitionHour: c["partition_hour"]?.doubleValue, brokerHour: c["broker_hour"]?.doubleValue,
            brokersPerRegion: c["brokers_per_region"]?.intValue ?? 0, courierHour: c["courier_hour"]?.doubleValue,
            crossRegionGB: c["cross_region_gb"]?.doubleValue, bytesPerCrossRegionCall: c["bytes_per_cross_region_call"]?.doubleValue,
            serverHour: [:])
        let services = document["services"]?.entries?.map(\.key) ?? []
        for e in c["services"]?.entries ?? [] {
            if !services.contains(e.key) {
                let hint = Suggest.closest(e.key, among: services).map { "did you mean '\($0)'? " } ?? ""
                errors.append(ScenarioError(e.keyLocation, path: "costs.services.\(e.key)", "the scenario has no service '\(e.key)'",
                                            fix: "\(hint)services: \(services.joined(separator: ", "))"))
            }
            config.replicaHour[e.key] = e.node["replica_hour"]?.doubleValue
        }
        let stations = document["queueing"]?["stations"]?.entries?.map(\.key) ?? []
        for e in c["stations"]?.entries ?? [] {
            if !stations.contains(e.key) {
                let hint = Suggest.closest(e.key, among: stations).map { "did you mean '\($0)'? " } ?? ""
                errors.append(ScenarioError(e.keyLocation, path: "costs.stations.\(e.key)", "the scenario has no queueing station '\(e.key)'",
                                            fix: "\(hint)stations: \(stations.joined(separator: ", "))"))
            }
            config.serverHour[e.key] = e.node["server_hour"]?.doubleValue
        }
        if config.crossRegionGB != nil && config.bytesPerCrossRegionCall == nil {
            errors.append(ScenarioError(c["cross_region_gb"]?.location ?? c.location, path: "costs.cross_region_gb",
                                        "a price per GB needs a traffic volume, and the model counts cross-region calls, not bytes",
                                        fix: "add `bytes_per_cross_region_call: 2000` (an assumption; say so in a comment) or drop cross_region_gb"))
        }
        if config.brokersPerRegion > 0 && config.brokerHour == nil {
            errors.append(ScenarioError(c["brokers_per_region"]?.location ?? c.location, path: "costs.brokers_per_region",
                                        "brokers are counted but have no price", fix: "add `broker_hour:` or drop brokers_per_region"))
        }
        return config
    }
}

/// The typed `plan:` section.
public struct PlanConfig: Sendable, Equatable {
    /// Key paths of inputs the scenario marks as assumptions, in file order.
    public var assumptions: [String]
    public var vary: [String]
    public var demand: String?
    public var steps: Int?
    public var replications: Int?

    public static func decode(_ document: ConfigNode, errors: inout [ScenarioError]) -> PlanConfig? {
        guard let p = document["plan"] else { return nil }
        var out: [String] = []
        for item in p["assumptions"]?.items ?? [] {
            guard let path = item.stringValue else { continue }
            let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            var node: ConfigNode? = document
            for k in parts {
                node = node.flatMap { n in
                    if let list = n.items { return Int(k).flatMap { list.indices.contains($0) ? list[$0] : nil } }
                    return n[k]
                }
            }
            if node == nil || parts.contains(where: \.isEmpty) {
                errors.append(ScenarioError(item.location, path: "plan.assumptions", "'\(path)' names no value of this scenario",
                                            fix: "give a dotted key path that exists, e.g. restaurants.prep_time"))
            } else {
                out.append(path)
            }
        }
        return PlanConfig(assumptions: out, vary: (p["vary"]?.items ?? []).compactMap(\.stringValue), demand: p["demand"]?.stringValue,
                          steps: p["steps"]?.intValue, replications: p["replications"]?.intValue)
    }
}

extension ScenarioConfig {
    /// The `costs:` section, decoded (nil when absent). Validation already ran in `decode`.
    public var costs: CostsConfig? { var e: [ScenarioError] = []; return CostsConfig.decode(document, errors: &e) }
    /// The `plan:` section, decoded (nil when absent).
    public var plan: PlanConfig? { var e: [ScenarioError] = []; return PlanConfig.decode(document, errors: &e) }

    /// The hook `decode` calls: the cross-field checks of `costs:` and `plan:`.
    static func checkCostsAndPlan(_ tree: ConfigNode, errors: inout [ScenarioError]) {
        _ = CostsConfig.decode(tree, errors: &errors)
        _ = PlanConfig.decode(tree, errors: &errors)
    }
}
