import SimCore

extension PlatformConfig {
    /// `matching.expand`: expanding-radius dispatch (off by default: `matching.radius` only).
    public struct ExpandSearch: Sendable, Equatable {
        public var enabled = false
        /// The radius grows once per `after` an order stays unmatched since its offer.
        public var after: SimTime = 60 * SimUnit.second
        /// Metres added at each growth, and the widest radius (metres).
        public var step = 2700.0
        public var maxRadius = 8100.0
        public init() {}
    }

    /// `matching.expand` into `config.expand` (and `matching.bundle_ready_window`, `matching.dispatch_hold.bundling` and `offer_to_estimate`). Refused with its file:line, the key and a fix:
    /// a `max_radius` not beyond `matching.radius` (the search would never widen).
    static func decodeExpand(_ config: inout PlatformConfig, matching: SchemaReader, errors: inout [ScenarioError]) {
        config.bundleReadyWindow = matching.duration("bundle_ready_window")
        config.holdBundlesOldestFirst = matching.object("dispatch_hold").choice("bundling", among: ["ready_window", "oldest_first"]) == 1
        config.holdOffersToEstimate = matching.object("dispatch_hold").bool("offer_to_estimate")
        let e = matching.object("expand")
        config.expand.enabled = e.bool("enabled")
        config.expand.after = e.duration("after")
        config.expand.step = e.distance("step")
        config.expand.maxRadius = e.distance("max_radius")
        if config.expand.enabled && config.expand.maxRadius <= config.matchingRadius,
           let node = e.given("max_radius") ?? matching.given("expand") {
            errors.append(ScenarioError(node.location, path: "matching.expand.max_radius",
                                        "max_radius \(expandKm(config.expand.maxRadius)) is not beyond matching.radius \(expandKm(config.matchingRadius)): the search would never widen",
                                        fix: "set max_radius above \(expandKm(config.matchingRadius)) (e.g. \(expandKm(config.matchingRadius * 3))) or leave expand off"))
        }
    }

    private static func expandKm(_ metres: Double) -> String { "\((metres).rounded() / 1000)km" }
}
