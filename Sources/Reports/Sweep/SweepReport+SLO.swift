/// What a planner reads first in a sweep: each SLO at every point, and how far the first
/// parameter can go with every SLO still met.
extension SweepReport {
    /// Per curve (the other parameters' combination): the largest value of the first
    /// parameter up to which every point meets every SLO, and the first value that does not.
    public var sloLimits: [(curve: String, lastMet: String?, firstFailed: String?, failing: [String])] {
        guard let first = axes.first, !objectives.isEmpty else { return [] }
        return curveGroups.map { g in
            var lastMet: String?
            var firstFailed: String?
            var failing: [String] = []
            for m in g.members {
                let p = points[m]
                let bad = objectives.filter { !$0.evaluate(p.figures).passed }
                if bad.isEmpty && p.invariantsHold { lastMet = first.values[p.indices[0]]; continue }
                firstFailed = first.values[p.indices[0]]
                failing = bad.map { "\($0.label) \($0.limitText)" } + (p.invariantsHold ? [] : ["invariants"])
                break
            }
            return (g.label.isEmpty ? "—" : g.label, lastMet, firstFailed, failing)
        }
    }

    /// Sentence per curve: `largest rate meeting every SLO: 16000/h (first miss at 20000/h: …)`.
    public var sloLimitLines: [String] {
        guard let first = axes.first else { return [] }
        return sloLimits.map { l in
            let prefix = l.curve == "—" ? "" : "\(l.curve): "
            guard let met = l.lastMet else {
                return prefix + "no value of \(first.path) meets every SLO (at \(l.firstFailed ?? "?"): \(l.failing.joined(separator: ", ")) not met)"
            }
            if let f = l.firstFailed {
                return prefix + "largest \(first.path) meeting every SLO: \(met) (at \(f): \(l.failing.joined(separator: ", ")) not met)"
            }
            return prefix + "every swept \(first.path) meets every SLO (up to \(met))"
        }
    }

    /// One row per point: the parameters, then each SLO's figure and verdict.
    var sloTable: (headers: [String], rows: [[String]], classes: [String?]) {
        let headers = axes.map(\.path) + objectives.map { "\($0.label) \($0.limitText)" }
        var rows: [[String]] = [], classes: [String?] = []
        for p in points {
            let evals = objectives.map { $0.evaluate(p.figures) }
            rows.append(zip(axes, p.indices).map { $0.values[$1] }
                        + zip(objectives, evals).map { (o, e) in "\(o.formatted(e.value)) \(e.verdict == .pass ? "✓" : e.verdict == .fail ? "✗" : "no data")" })
            classes.append(evals.allSatisfy(\.passed) ? "pass" : "fail")
        }
        return (headers, rows, classes)
    }

    /// Whether a figure is one an SLO names.
    public func isSLOMetric(_ metric: String) -> Bool { objectives.contains { $0.metric == metric } }

    /// Figures whose knees are listed: what the SLOs name, then latency p99s; never one row
    /// per Kafka partition or per shard.
    public var kneeFigures: [(metric: String, stat: String, kind: Figure.Kind)] {
        let all = chartedFigures.filter { !$0.metric.contains(".partition.") && !$0.metric.hasPrefix("db.shard.") }
        let slo = all.filter { f in objectives.contains { $0.metric == f.metric && $0.stat == f.stat } }
        let p99 = all.filter { f in f.kind == .latency && f.stat == "p99" && !slo.contains { $0.metric == f.metric && $0.stat == f.stat } }
        return slo + p99
    }
}
