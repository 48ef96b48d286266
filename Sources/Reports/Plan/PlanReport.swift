import SimCore

/// The capacity report of `capsim plan`: per demand level the cheapest configuration of
/// the varied resources for which every SLO holds, what it costs, what limits it and each
/// SLO's margin; the scenario-as-written's headroom; the sensitivity to its assumptions;
/// and how many runs the search took against a full grid.
public struct PlanReport: Sendable {
    /// One SLO at one configuration.
    public struct Margin: Sendable, Equatable {
        public var name: String
        public var limit: Double
        public var unit: String
        public var isMax: Bool
        /// The compared figure (upper bound for max:, lower for min:; the point value with one replication).
        public var bound: Double
        public var mean: Double
        public var halfWidth: Double
        /// Fraction of the limit left: positive holds, negative fails.
        public var margin: Double
        public var holds: Bool

        public init(_ v: SLOHolds.Verdict) {
            name = v.objective.objective.name; limit = v.objective.limit; unit = v.objective.unit; isMax = v.objective.isMax
            bound = v.bound; mean = v.mean; halfWidth = v.halfWidth; margin = v.margin; holds = v.holds
        }
    }

    /// What a configuration did at a level.
    public struct Outcome: Sendable, Equatable {
        public var holds: Bool
        public var costPerHour: Double
        public var costPerOrder: Double
        public var margins: [Margin]
        public init(_ e: PlanEvaluation) {
            holds = e.feasible; costPerHour = e.costPerHour; costPerOrder = e.costPerOrder; margins = e.verdicts.map(Margin.init)
        }
        /// The SLO with the smallest margin.
        public var binding: Margin? { margins.min { ($0.margin.isNaN ? -.infinity : $0.margin) < ($1.margin.isNaN ? -.infinity : $1.margin) } }
    }

    public struct Level: Sendable, Equatable {
        /// Peak-hour demand of this level, per hour.
        public var demand: Double
        public var feasible: Bool
        /// Resource values of the answer (the largest tried when infeasible).
        public var values: [Int]
        public var answer: Outcome
        /// The resource whose one step less fails (nil: all at their smallest value, or infeasible).
        public var limitingResource: String?
        /// What fails one step below the limiting resource.
        public var belowLimit: Outcome?
        public var fallback: String?
        public var evaluations: Int
        public var runs: Int
        /// The scenario as written at this demand.
        public var current: Outcome
        public init(demand: Double, result: PlanSearch.Result, resources: [PlanResource], current: PlanEvaluation) {
            self.demand = demand; feasible = result.feasible; values = result.values; answer = Outcome(result.evaluation)
            limitingResource = result.limitingResource.map { resources[$0].label }
            belowLimit = result.belowLimit.map(Outcome.init)
            fallback = result.fallback; evaluations = result.evaluations; runs = result.runs
            self.current = Outcome(current)
        }
    }

    /// The largest demand the scenario as written sustains.
    public struct Headroom: Sendable, Equatable {
        /// nil when it fails already at the smallest level tried.
        public var demand: Double?
        /// The smallest demand tried at which it fails (nil: it holds at every level).
        public var failsAt: Double?
        /// The SLO that fails there (with its bound and limit), and the resources the plan
        /// needs above the scenario's values at that demand.
        public var failingSLO: String?
        public var failingResources: [String]
        public init(demand: Double?, failsAt: Double?, failingSLO: String?, failingResources: [String]) {
            self.demand = demand; self.failsAt = failsAt; self.failingSLO = failingSLO; self.failingResources = failingResources
        }
    }

    public struct Sensitivity: Sendable, Equatable {
        public var input: String
        /// 0.75 or 1.25.
        public var factor: Double
        public var feasible: Bool
        public var values: [Int]
        public var costPerOrder: Double
        public var limitingResource: String?
        public var bindingSLO: String?
        public var runs: Int
        public init(input: String, factor: Double, result: PlanSearch.Result, resources: [PlanResource]) {
            self.input = input; self.factor = factor; feasible = result.feasible; values = result.values
            costPerOrder = result.evaluation.costPerOrder
            limitingResource = result.limitingResource.map { resources[$0].label }
            bindingSLO = Outcome(result.belowLimit ?? result.evaluation).binding?.name
            runs = result.runs
        }
    }

    public var scenarioName: String
    public var scenarioFile: String
    public var model: String
    public var seed: UInt64
    public var replications: Int
    /// One-sided confidence of the SLO bounds, e.g. 0.95.
    public var confidence: Double
    public var currency: String
    /// What a demand level counts (`orders/h`, `arrivals/h`) and how it maps onto the scenario.
    public var demandUnit: String
    public var demandNote: String
    public var resources: [PlanResource]
    /// The scenario's own value of each resource (nil when it does not set one).
    public var currentValues: [Int?]
    /// The scenario's own peak-hour demand.
    public var currentDemand: Double
    public var levels: [Level]
    public var headroom: Headroom
    /// The sensitivity base: the plan at the scenario's own demand.
    public var sensitivityBase: Double?
    public var sensitivity: [Sensitivity]
    /// Simulation runs the whole command took (search, headroom, sensitivity).
    public var runs: Int
    /// Runs a full grid of the levels × every resource combination × replications would take.
    public var fullGridRuns: Int
    public var notes: [String]

    public init(scenarioName: String, scenarioFile: String, model: String, seed: UInt64, replications: Int, confidence: Double,
                currency: String, demandUnit: String, demandNote: String, resources: [PlanResource], currentValues: [Int?],
                currentDemand: Double, levels: [Level], headroom: Headroom, sensitivityBase: Double?, sensitivity: [Sensitivity],
                runs: Int, notes: [String]) {
        self.scenarioName = scenarioName; self.scenarioFile = scenarioFile; self.model = model; self.seed = seed
        self.replications = replications; self.confidence = confidence; self.currency = currency; self.demandUnit = demandUnit
        self.demandNote = demandNote; self.resources = resources; self.currentValues = currentValues; self.currentDemand = currentDemand
        self.levels = levels; self.headroom = headroom; self.sensitivityBase = sensitivityBase
        self.sensitivity = PlanReport.ranked(sensitivity, base: levels.first { $0.demand == sensitivityBase }?.answer.costPerOrder)
        self.runs = runs; self.notes = notes
        fullGridRuns = levels.count * resources.map(\.values.count).reduce(1, *) * replications
    }

    /// Largest effect first: by the larger |cost per order − base| of an input's two rows
    /// (infeasible rows rank first), then by input name, then factor.
    static func ranked(_ rows: [Sensitivity], base: Double?) -> [Sensitivity] {
        func effect(_ input: String) -> Double {
            let mine = rows.filter { $0.input == input }
            if mine.contains(where: { !$0.feasible }) { return .infinity }
            guard let base, base.isFinite else { return 0 }
            return mine.map { abs($0.costPerOrder - base) }.filter(\.isFinite).max() ?? 0
        }
        return rows.sorted { a, b in
            let ea = effect(a.input), eb = effect(b.input)
            if ea != eb { return ea > eb }
            if a.input != b.input { return a.input < b.input }
            return a.factor < b.factor
        }
    }

    /// `order_service.replicas=3, couriers.count=9000`.
    public func configuration(_ values: [Int]) -> String {
        zip(resources, values).map { "\($0.label)=\($1)" }.joined(separator: ", ")
    }

    /// `place_order@us_east p99 bound 61.2 ms > 50 ms`.
    public static func describe(_ m: Margin) -> String {
        let u = m.unit.isEmpty ? "" : " " + m.unit
        return "\(m.name): bound \(Report.num(m.bound))\(u) \(m.holds ? (m.isMax ? "≤" : "≥") : (m.isMax ? ">" : "<")) \(Report.num(m.limit))\(u)"
    }
}
