import Platform

/// Knobs of an MDRP replay. Every duration is in whole minutes because the replay runs on a
/// whole-minute grid (see `MDRPReplay`): MDRP travel times are whole minutes, so keeping
/// every other duration whole keeps every event, and every time written, an integer.
///
/// Defaults and why:
/// - `batchIntervalMinutes = 2`: Swiggy's production cadence ("every two minutes", Swiggy CTO
///   Dale Vaz, Purple Quarter interview, 2022). Grubhub's own rolling horizon optimises every
///   5 min; Meituan every 30-60 s, which a whole-minute grid cannot express below 1. Configurable; `capsim replay mdrp` exposes it.
/// - `releaseHorizonMinutes = 10`: an order is shown to the dispatcher at
///   max(placement, ready - 10 min), the 10-minute assignment horizon of the Grubhub
///   re-implementation in idea-iitd/FoodMatch (`GrubHub/include/constants.cpp`).
///   Without it a batch, which must match as many orders as it can, sends couriers to wait
///   half an hour at restaurants whose food is far from ready. `nil` releases at placement.
///   The same rule applies to every policy, so a comparison isolates the matching.
/// - `maxBundleSize = 3` (Uber Eats triple batching, FoodMatch `max_o_count = 3`) and
///   `bundleReadyWindowMinutes = 5` (Platform `BundlingPolicy` default), bundled policy only.
/// - radii unlimited: an MDRP instance has a fixed fleet and no rejection, so any courier may
///   serve any order; a finite radius leaves orders in sparse areas undelivered for good.
/// - `lookaheadMinutes = 0`: batches consider idle couriers only. With a positive value a
///   courier finishing its current trip within that many minutes is offered too (as
///   Deliveroo's Frank and Swiggy's dispatcher do, per Deliveroo's rider pages and Swiggy's
///   CTO) and, if matched, leaves for the next
///   restaurant straight from its last drop-off.
/// - `overloadWindowFactor = 3`, `ignoreSunkWaiting = true` (batched policies): under
///   overload a maximum-cardinality matcher must leave orders out, and it leaves out the
///   costliest rows. With the Platform's food-waiting cost those are the oldest orders, which
///   then starve: in the overloaded 5o100t100s1p100 instance an order waited 745 min with
///   neither guard. Ignoring the wait already incurred (it is the same for every courier)
///   and offering only the oldest 3 x couriers orders bounds that (max 315 min) and, on that
///   instance, delivers every order with a better mean than either guard alone (factor 1:
///   strict first-come-first-served, 82 min mean; factor 3: 52 min). Measured on the shared
///   instances (README.md); both configurable.
public struct MDRPReplayOptions: Sendable, Equatable {
    public var batchIntervalMinutes: Int
    public var releaseHorizonMinutes: Int?
    public var maxBundleSize: Int
    public var bundleReadyWindowMinutes: Int
    /// Greedy search starts at this radius and doubles (Platform `GreedyMatcher`).
    public var greedyInitialRadiusMeters: Double
    /// `nil`: unlimited (the instance's bounding-box diagonal).
    public var greedyMaxRadiusMeters: Double?
    /// `nil`: unlimited.
    public var batchRadiusMeters: Double?
    public var lookaheadMinutes: Int
    public var costWeights: CostWeights
    /// Batched policies: when more orders are open than `overloadWindowFactor` times the
    /// couriers available, offer the batch only that many of the oldest orders (bundles, for
    /// the bundled policy); `nil` offers every open order (see `MDRPReplayModel.offeredOrders`).
    public var overloadWindowFactor: Int?
    /// Batched policies: show the matcher max(ready, now) as each order's ready time. The
    /// planned pickup is unchanged (the courier arrives after now anyway); only the cost's
    /// food-waiting term stops counting the wait already incurred, which is the same for
    /// every courier and only makes old orders look expensive to serve.
    public var ignoreSunkWaiting: Bool

    public init(
        batchIntervalMinutes: Int = 2, releaseHorizonMinutes: Int? = 10, maxBundleSize: Int = 3,
        bundleReadyWindowMinutes: Int = 5, greedyInitialRadiusMeters: Double = 1000,
        greedyMaxRadiusMeters: Double? = nil, batchRadiusMeters: Double? = nil, lookaheadMinutes: Int = 0,
        costWeights: CostWeights = .default, overloadWindowFactor: Int? = 3, ignoreSunkWaiting: Bool = true
    ) {
        self.batchIntervalMinutes = batchIntervalMinutes
        self.releaseHorizonMinutes = releaseHorizonMinutes
        self.maxBundleSize = maxBundleSize
        self.bundleReadyWindowMinutes = bundleReadyWindowMinutes
        self.greedyInitialRadiusMeters = greedyInitialRadiusMeters
        self.greedyMaxRadiusMeters = greedyMaxRadiusMeters
        self.batchRadiusMeters = batchRadiusMeters
        self.lookaheadMinutes = lookaheadMinutes
        self.costWeights = costWeights
        self.overloadWindowFactor = overloadWindowFactor
        self.ignoreSunkWaiting = ignoreSunkWaiting
    }

    /// Throws a readable error for values the replay cannot run with.
    public func validate() throws {
        func bad(_ name: String, _ problem: String, _ fix: String) -> MDRPReplayError {
            .invalidOption(name: name, problem: problem, fix: fix)
        }
        // A week at most for every minute option: replay times then stay far inside Int64
        // nanoseconds (a week is 6e14 ns).
        let week = 10_080
        for (name, v) in [("batchIntervalMinutes", batchIntervalMinutes), ("releaseHorizonMinutes", releaseHorizonMinutes ?? 0),
                          ("bundleReadyWindowMinutes", bundleReadyWindowMinutes), ("lookaheadMinutes", lookaheadMinutes)] where v > week {
            throw bad(name, "\(v) minutes is above the limit of \(week) (a week)", "use at most \(week) minutes")
        }
        for (name, v) in [("greedyInitialRadiusMeters", greedyInitialRadiusMeters), ("greedyMaxRadiusMeters", greedyMaxRadiusMeters ?? 0),
                          ("batchRadiusMeters", batchRadiusMeters ?? 0)] where !(v <= 1e8) {
            throw bad(name, "\(v) m is not a distance up to 100000 km", "use metres up to 100000000")
        }
        if let f = overloadWindowFactor, f > 1000 {
            throw bad("overloadWindowFactor", "\(f) is above the limit of 1000", "use 1 to 1000, or nil")
        }
        if batchIntervalMinutes < 1 {
            throw bad("batchIntervalMinutes", "\(batchIntervalMinutes) is below 1",
                      "use a whole number of minutes >= 1 (the replay runs on whole minutes)")
        }
        if let h = releaseHorizonMinutes, h < 0 {
            throw bad("releaseHorizonMinutes", "\(h) is negative", "use minutes >= 0, or nil to release at placement")
        }
        if maxBundleSize < 1 || maxBundleSize > 8 {
            throw bad("maxBundleSize", "\(maxBundleSize) is outside 1...8",
                      "use 1 to 8 (drop-off sequences are found exhaustively, which is limited to 8)")
        }
        if bundleReadyWindowMinutes < 0 {
            throw bad("bundleReadyWindowMinutes", "\(bundleReadyWindowMinutes) is negative", "use minutes >= 0")
        }
        if !(greedyInitialRadiusMeters > 0) || !greedyInitialRadiusMeters.isFinite {
            throw bad("greedyInitialRadiusMeters", "\(greedyInitialRadiusMeters) is not a positive distance", "use metres > 0")
        }
        if let r = greedyMaxRadiusMeters, !(r >= greedyInitialRadiusMeters) {
            throw bad("greedyMaxRadiusMeters", "\(r) is below the initial radius", "use at least greedyInitialRadiusMeters, or nil")
        }
        if let r = batchRadiusMeters, !(r >= 0) {
            throw bad("batchRadiusMeters", "\(r) is negative", "use metres >= 0, or nil for unlimited")
        }
        if let f = overloadWindowFactor, f < 1 {
            throw bad("overloadWindowFactor", "\(f) is below 1", "use 1 or more, or nil to offer every open order")
        }
        if lookaheadMinutes < 0 {
            throw bad("lookaheadMinutes", "\(lookaheadMinutes) is negative", "use minutes >= 0")
        }
    }
}

/// Errors of `MDRPReplay` and `MDRPSolutionWriter` other than malformed input files
/// (those are `DataFileError`).
public enum MDRPReplayError: Error, CustomStringConvertible, Equatable {
    case invalidOption(name: String, problem: String, fix: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidOption(name, problem, fix): return "option \(name): \(problem)\nFix: \(fix)"
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)\nFix: check that the directory is writable"
        }
    }
}
