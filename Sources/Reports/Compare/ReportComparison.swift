import SimCore

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
    /// What differs between the two scenarios: the first thing a comparison shows.
    public var scenarioDiff: ScenarioDiff

    public init(a: ReportSnapshot, b: ReportSnapshot) {
        self.a = a
        self.b = b
        scenarioDiff = ScenarioDiff(a, b)
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

    /// Rows whose figures are equal on both sides (or have no data on either).
    public func isUnchanged(_ r: Row) -> Bool {
        switch (r.a, r.b) {
        case let (x?, y?): return x == y || (!x.isFinite && !y.isFinite)
        case (nil, nil): return true
        default: return false
        }
    }

    /// The moves to read first: significant ones (or, without significance, every change),
    /// largest relative change first; counts left out (they move with everything else).
    public var largestMoves: [Row] {
        let candidates = rows.filter { r in
            guard r.stat != "count", !isUnchanged(r), r.relative != nil else { return false }
            return method == "none" ? true : r.significance.isSignificant
        }
        let sorted = candidates.enumerated().sorted { x, y in
            let a = abs(x.element.relative ?? 0), b = abs(y.element.relative ?? 0)
            return a != b ? a > b : x.offset < y.offset
        }
        return Array(sorted.prefix(ReportComparison.movesShown).map(\.element))
    }

    static let movesShown = 15

    /// SLOs of either side: (name, A verdict and figure, B verdict and figure), report order.
    public var sloChanges: [(name: String, a: String, b: String, changed: Bool)] {
        var names: [String] = a.slos.map(\.name)
        for s in b.slos where !names.contains(s.name) { names.append(s.name) }
        func text(_ s: (name: String, verdict: String, value: Double, unit: String)?) -> String {
            guard let s else { return "—" }
            return s.value.isFinite ? "\(s.verdict) (\(DisplayUnit.readable(s.value, unit: s.unit)))" : s.verdict
        }
        return names.map { n in
            let sa = a.slos.first { $0.name == n }, sb = b.slos.first { $0.name == n }
            return (n, text(sa), text(sb), sa?.verdict != sb?.verdict)
        }
    }

    /// Finding codes with their count on each side, where the counts differ.
    public var findingChanges: [(code: String, a: Int, b: Int)] {
        var codes: [String] = a.findings.map(\.code)
        for f in b.findings where !codes.contains(f.code) { codes.append(f.code) }
        var seen: [String] = []
        return codes.compactMap { c in
            guard !seen.contains(c) else { return nil }
            seen.append(c)
            let na = a.findings.filter { $0.code == c }.count, nb = b.findings.filter { $0.code == c }.count
            return na == nb ? nil : (c, na, nb)
        }
    }

    /// The model note when the two reports come from different model versions.
    public var modelNote: String? {
        guard a.modelVersion != b.modelVersion else { return nil }
        return "The reports come from different models (A: model version \(a.modelVersion == 0 ? "unknown" : String(a.modelVersion)), "
            + "B: model version \(b.modelVersion == 0 ? "unknown" : String(b.modelVersion))): a difference may be the model's change, not the change under test."
    }

    /// Δ % with sensible precision: whole percents from 10 %, one decimal from 1 %, two
    /// significant digits below.
    public static func percent(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "—" }
        let p = x * 100, a = abs(p)
        let body: String
        if a == 0 { return "0 %" }
        if a >= 10 { body = DurationFormat.fixed(a, 0) } else if a >= 1 { body = DurationFormat.fixed(a, 1) } else { body = DurationFormat.significant(a, 2) }
        return (p > 0 ? "+" : "−") + body + " %"
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
