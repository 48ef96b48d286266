/// Two reports side by side: every figure of either, the difference, and whether the
/// difference is significant where replications allow.
///
/// Significance, in order of preference:
/// 1. **paired**: both sides carry replications.json with the same seed and count, so
///    replication i of each ran on the same derived seed; the interval of the mean paired
///    difference (`PairedDifference`) is the sharpest test.
/// 2. **Welch**: both figures have a confidence interval from ≥ 2 replications.
/// 3. otherwise none: one replication cannot tell a change from noise (unless both ran the
///    same seed and the model is unchanged, in which case any difference is real).
public struct ReportComparison: Sendable {
    public enum Significance: Sendable, Equatable {
        case unavailable
        /// The 95 % interval of the difference b − a, and how it was computed.
        case interval(low: Double, high: Double, method: String)

        public var isSignificant: Bool {
            if case .interval(let lo, let hi, _) = self { return lo > 0 || hi < 0 }
            return false
        }
    }

    public struct Row: Sendable {
        public var metric: String
        public var stat: String
        public var kind: Figure.Kind
        public var unit: String
        public var a: Double?
        public var b: Double?
        public var significance: Significance

        public var label: String { kind == .counter ? metric : "\(metric) \(stat)" }
        public var delta: Double? { a.flatMap { a in b.map { $0 - a } } }
        /// Δ / |a|, nil when a is zero or missing.
        public var relative: Double? { guard let a, let d = delta, a != 0 else { return nil }; return d / abs(a) }
        /// Latency statistics get worse as they grow; other figures have no direction.
        public var higherIsWorse: Bool? { kind == .latency && stat != "count" ? true : nil }
    }

    public var a: ReportSnapshot
    public var b: ReportSnapshot
    public var rows: [Row]
    /// How significance was judged for this pair: "paired", "Welch" or "none".
    public var method: String

    public init(a: ReportSnapshot, b: ReportSnapshot) {
        self.a = a
        self.b = b
        let paired: ([FigureTable], [FigureTable])? = {
            guard let ra = a.replicationFigures, let rb = b.replicationFigures, a.seed == b.seed, ra.count == rb.count, ra.count >= 2 else { return nil }
            return (ra, rb)
        }()
        let welch = a.replications >= 2 && b.replications >= 2
        method = paired != nil ? "paired" : welch ? "Welch" : "none"
        var keys: [(String, String, Figure.Kind, String)] = a.figures.figures.map { ($0.metric, $0.stat, $0.kind, $0.unit) }
        for f in b.figures.figures where a.figures.figure(f.metric, f.stat) == nil { keys.append((f.metric, f.stat, f.kind, f.unit)) }
        rows = keys.map { (metric, stat, kind, unit) in
            let fa = a.figures.figure(metric, stat), fb = b.figures.figure(metric, stat)
            var sig = Significance.unavailable
            if let (ra, rb) = paired, stat != "count" {
                let xa = ra.compactMap { $0.figure(metric, stat)?.value }, xb = rb.compactMap { $0.figure(metric, stat)?.value }
                if let d = PairedDifference(baseline: xa, candidate: xb) { sig = .interval(low: d.lower, high: d.upper, method: "paired") }
            } else if let ia = fa?.interval, let ib = fb?.interval, let w = WelchDifference(a: ia, b: ib) {
                sig = .interval(low: w.lower, high: w.upper, method: "Welch")
            }
            return Row(metric: metric, stat: stat, kind: kind, unit: unit, a: fa?.value, b: fb?.value, significance: sig)
        }
    }

    /// A sentence on how significance was judged, for both outputs.
    public var methodNote: String {
        switch method {
        case "paired": return "Significance: 95 % interval of the mean paired difference over \(a.replications) replications on common random numbers (same seed \(a.seed), replication i of both on the same derived seed)."
        case "Welch": return "Significance: Welch's 95 % interval of the difference of replication means (\(a.replications) and \(b.replications) replications, unpaired)."
        default:
            let same = a.seed == b.seed ? " Both ran seed \(a.seed): with an unchanged model any difference is a real one." : ""
            return "Significance: not available with a single replication on either side; rerun with --replications N.\(same)"
        }
    }
}
