/// The combined report of a parameter sweep: every point's figures, each metric as a curve
/// against the first swept parameter (one curve per combination of the others), and the
/// knee of each curve (`KneeDetector`).
public struct SweepReport: Sendable {
    /// A swept parameter with its values and, when every value reads as a number (a rate,
    /// a duration, a plain number), their numeric positions for the x axis.
    public struct Axis: Sendable {
        public var path: String
        public var values: [String]
        /// Numeric value of each entry of `values`, or nil for a categorical axis (points
        /// are then placed at 0, 1, 2... in the order given).
        public var numeric: [Double]?
        /// The unit of `numeric` for the axis label (`per s`, `s`), empty when none.
        public var unit: String
        public init(path: String, values: [String], numeric: [Double]? = nil, unit: String = "") {
            self.path = path; self.values = values; self.numeric = numeric; self.unit = unit
        }
        /// x position of value `i`.
        public func x(_ i: Int) -> Double { numeric?[i] ?? Double(i) }
        public var label: String { unit.isEmpty ? path : "\(path) (\(unit))" }
    }

    public struct Point: Sendable {
        /// Value index per parameter (into `Axis.values`).
        public var indices: [Int]
        public var figures: FigureTable
        public var invariantsHold: Bool
        /// The scenario's SLOs evaluated at this point.
        public var checks: [GateCheck]
        /// The point's report folder, relative to the sweep folder.
        public var folder: String
        public init(indices: [Int], figures: FigureTable, invariantsHold: Bool, checks: [GateCheck] = [], folder: String) {
            self.indices = indices; self.figures = figures; self.invariantsHold = invariantsHold; self.checks = checks; self.folder = folder
        }
    }

    /// One line of a sweep chart: a figure against the first parameter, the other
    /// parameters held at the values in `label`.
    public struct Curve: Sendable {
        public var metric: String
        public var stat: String
        /// `other=value, ...`, or empty with a single parameter.
        public var label: String
        public var xs: [Double]
        public var ys: [Double]
        /// The points of the sweep the curve runs through, in x order.
        public var points: [Int]
        public var knee: KneeDetector.Knee?
    }

    public var scenarioName: String
    public var scenarioFile: String
    public var seed: UInt64
    public var replications: Int
    public var axes: [Axis]
    public var points: [Point]
    /// SLOs to draw as limit lines (resolved against the first point).
    public var objectives: [ResolvedObjective]

    public init(scenarioName: String, scenarioFile: String, seed: UInt64, replications: Int, axes: [Axis], points: [Point], objectives: [ResolvedObjective] = []) {
        self.scenarioName = scenarioName; self.scenarioFile = scenarioFile; self.seed = seed; self.replications = replications
        self.axes = axes; self.points = points; self.objectives = objectives
    }

    /// The override text of a point: `path=value, ...`.
    public func label(of p: Point) -> String {
        zip(axes, p.indices).map { "\($0.path)=\($0.values[$1])" }.joined(separator: ", ")
    }

    /// Every (metric, stat) a sweep charts, in table order: p50 and p99 of each latency
    /// metric with samples, the mean of each gauge, each counter.
    public var chartedFigures: [(metric: String, stat: String, kind: Figure.Kind)] {
        var out: [(String, String, Figure.Kind)] = []
        var seen = Set<String>()  // membership only; `out` keeps the order
        for p in points {
            for f in p.figures.figures {
                switch f.kind {
                case .latency where (f.stat == "p50" || f.stat == "p99") && (p.figures.figure(f.metric, "count")?.value ?? 0) > 0,
                     .gauge where f.stat == "mean", .counter:
                    if seen.insert(f.metric + "\u{1F}" + f.stat).inserted { out.append((f.metric, f.stat, f.kind)) }
                default: break
                }
            }
        }
        return FigureTable(figures: out.map { Figure(metric: $0.0, stat: $0.1, kind: $0.2, unit: "", value: 0) }).figures.map { ($0.metric, $0.stat, $0.kind) }
    }

    /// The curves of one figure: one per combination of the parameters after the first,
    /// in grid order, each with its knee.
    public func curves(_ metric: String, _ stat: String) -> [Curve] {
        guard let first = axes.first else { return [] }
        return curveGroups.map { g in
            let xs = g.members.map { first.x(points[$0].indices[0]) }
            let ys = g.members.map { points[$0].figures.figure(metric, stat)?.value ?? .nan }
            let hw = g.members.map { points[$0].figures.figure(metric, stat)?.interval?.halfWidth }
            return Curve(metric: metric, stat: stat, label: g.label, xs: xs, ys: ys, points: g.members,
                         knee: KneeDetector.knee(x: xs, y: ys, halfWidths: hw))
        }
    }

    /// The points grouped into curves: one per combination of the parameters after the first
    /// (in grid order), each curve's points sorted by the first parameter, and its label
    /// (`path=value, ...`, empty with one parameter).
    var curveGroups: [(label: String, members: [Int])] {
        guard let first = axes.first else { return [] }
        var groups: [(key: [Int], members: [Int])] = []
        for (i, p) in points.enumerated() {
            let key = Array(p.indices.dropFirst())
            if let g = groups.firstIndex(where: { $0.key == key }) { groups[g].members.append(i) } else { groups.append((key, [i])) }
        }
        return groups.map { g in
            let members = g.members.sorted { first.x(points[$0].indices[0]) < first.x(points[$1].indices[0]) }
            return (zip(axes.dropFirst(), g.key).map { "\($0.path)=\($0.values[$1])" }.joined(separator: ", "), members)
        }
    }
}
