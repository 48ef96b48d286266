import SimCore

/// The `costs:` section. Prices are plain numbers in `currency`; the report computes cost per
/// hour and per order from them (`Reports.CostBreakdown` reads the section from the resolved
/// scenario, so a report.json alone is enough to recompute it), so only the currency is kept
/// here. Decoding checks what the schema cannot: service and station names exist, and a
/// cross-region price comes with its bytes-per-call assumption.
public struct CostsConfig: Sendable, Equatable {
    public var currency: String

    /// The section of `document`, or nil when it has none. Problems go to `errors`.
    public static func decode(_ document: ConfigNode, errors: inout [ScenarioError]) -> CostsConfig? {
        guard let c = document["costs"] else { return nil }
        let r = SchemaReader(document, ScenarioSchema.root, mismatches: DecodeMismatches()).object("costs")
        checkNames(c["services"], known: document["services"]?.entries?.map(\.key) ?? [], section: "services",
                   what: "service", errors: &errors)
        checkNames(c["stations"], known: document["queueing"]?["stations"]?.entries?.map(\.key) ?? [], section: "stations",
                   what: "queueing station", errors: &errors)
        if c["cross_region_gb"] != nil && c["bytes_per_cross_region_call"] == nil {
            errors.append(ScenarioError(c["cross_region_gb"]?.location ?? c.location, path: "costs.cross_region_gb",
                                        "a price per GB needs a traffic volume, and the model counts cross-region calls, not bytes",
                                        fix: "add `bytes_per_cross_region_call: 2000` (an assumption; say so in a comment) or drop cross_region_gb"))
        }
        if r.int("brokers_per_region") > 0 && c["broker_hour"] == nil {
            errors.append(ScenarioError(c["brokers_per_region"]?.location ?? c.location, path: "costs.brokers_per_region",
                                        "brokers are counted but have no price", fix: "add `broker_hour:` or drop brokers_per_region"))
        }
        return CostsConfig(currency: r.string("currency"))
    }

    /// Each key of `costs.<section>` must name one of `known` (services or stations).
    private static func checkNames(_ priced: ConfigNode?, known: [String], section: String, what: String, errors: inout [ScenarioError]) {
        for e in priced?.entries ?? [] where !known.contains(e.key) {
            let hint = Suggest.closest(e.key, among: known).map { "did you mean '\($0)'? " } ?? ""
            errors.append(ScenarioError(e.keyLocation, path: "costs.\(section).\(e.key)", "the scenario has no \(what) '\(e.key)'",
                                        fix: "\(hint)\(section): \(known.joined(separator: ", "))"))
        }
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
        let r = SchemaReader(document, ScenarioSchema.root, mismatches: DecodeMismatches()).object("plan")
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
        return PlanConfig(assumptions: out, vary: (r.given("vary")?.items ?? []).compactMap(\.stringValue), demand: r.optional("demand", \.stringValue),
                          steps: r.optional("steps", \.intValue), replications: r.optional("replications", \.intValue))
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
