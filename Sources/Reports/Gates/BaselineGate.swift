import SimCore

/// Compares a candidate run with a baseline run of the same scenario.
///
/// Two modes, because simulated latencies are a pure function of (code, scenario, seed):
///
/// - **exact**: the candidate replays the baseline's seed and replication count, so any
///   difference is a real change of the model, not noise. A figure fails when it got worse
///   by more than `tolerance × |baseline|` (plus `latencyFloor` for latencies). Use it for refactors and for changes
///   that must not move the numbers (or move them by a known small amount).
/// - **statistical**: for changes that alter the random draws (a new stream, another
///   sampling algorithm, events reordered), where exact equality is lost but the
///   distribution should hold. Replication i of both runs uses the same derived seed
///   (common random numbers); the gate computes the interval of the mean paired
///   difference (95 % family-wise, Bonferroni over the guarded figures) and fails only
///   when the whole interval lies beyond the tolerance.
///
/// Which figures are guarded: the mean, p50 and p99 of every latency metric of the baseline
/// (higher is worse) and every figure an SLO names (in the SLO's direction). Improvements
/// beyond the tolerance pass with a note, so the baseline can be ratcheted.
public struct BaselineGate: Sendable {
    public enum Mode: String, Sendable, CaseIterable { case exact, statistical }

    public struct Target: Sendable, Equatable {
        public var metric: String
        public var stat: String
        public var higherIsWorse: Bool
        public init(metric: String, stat: String, higherIsWorse: Bool) { self.metric = metric; self.stat = stat; self.higherIsWorse = higherIsWorse }
    }

    public var tolerance: Double
    /// An absolute allowance for latency statistics, in ms, added to the relative one: a
    /// p50 wait of a few microseconds (a point mass at zero) would otherwise fail on any
    /// change. Other figures (counters, levels) get no floor: their units vary.
    public var latencyFloor: Double

    public init(tolerance: Double, latencyFloor: Double = 0) { self.tolerance = tolerance; self.latencyFloor = latencyFloor }

    /// Latency statistics a baseline guards.
    public static let guardedLatencyStats = ["mean", "p50", "p99"]

    /// The figures to compare, in table order, then the SLO figures not already among them.
    public static func targets(baseline: FigureTable, objectives: [ResolvedObjective] = []) -> [Target] {
        var out: [Target] = []
        for f in baseline.figures where f.kind == .latency && guardedLatencyStats.contains(f.stat) {
            if (baseline.figure(f.metric, "count")?.value ?? 1) > 0 { out.append(Target(metric: f.metric, stat: f.stat, higherIsWorse: true)) }
        }
        for o in objectives {
            if let i = out.firstIndex(where: { $0.metric == o.metric && $0.stat == o.stat }) {
                out[i].higherIsWorse = o.isMax
            } else {
                out.append(Target(metric: o.metric, stat: o.stat, higherIsWorse: o.isMax))
            }
        }
        return out
    }

    func floor(_ f: Figure) -> Double { f.kind == .latency && f.stat != "count" ? latencyFloor : 0 }

    func allowed(_ base: Double, _ f: Figure) -> Double { tolerance * abs(base) + floor(f) }

    func allowance(_ f: Figure) -> String {
        let tol = Report.num(tolerance * 100) + " %"
        guard floor(f) > 0 else { return tol }
        return "\(tol) + \(Report.num(floor(f))) ms"
    }

    static func withUnit(_ x: Double, _ unit: String, signed: Bool = false) -> String {
        let s = (signed && x > 0 ? "+" : "") + Report.num(x)
        return unit.isEmpty ? s : "\(s) \(unit)"
    }

    /// Exact mode: each target's candidate figure against the baseline figure.
    public func exact(scenario: String, candidate: FigureTable, baseline: FigureTable, targets: [Target]) -> [GateCheck] {
        targets.compactMap { t in
            guard let b = baseline.figure(t.metric, t.stat) else { return nil }
            let label = b.label
            guard let c = candidate.figure(t.metric, t.stat) else {
                return GateCheck(scenario: scenario, kind: .baseline, name: "baseline \(label)", passed: false,
                                 message: "baseline: \(label) is in the baseline (\(b.formatted())) but missing from this run")
            }
            if !b.value.isFinite || !c.value.isFinite {
                // No data is never a pass: an empty figure on either side proves nothing.
                let side = !c.value.isFinite && !b.value.isFinite ? "either run" : !c.value.isFinite ? "this run" : "the baseline"
                return GateCheck(scenario: scenario, kind: .baseline, name: "baseline \(label)", passed: false,
                                 message: "baseline: \(label) = \(c.value.isFinite ? c.formatted() : "no data") vs \(b.value.isFinite ? b.formatted() : "no data")"
                                    + " — no data in \(side) (no samples after the warm-up), so the figure cannot be compared")
            }
            let delta = c.value - b.value
            let worse = t.higherIsWorse ? delta : -delta
            let limit = allowed(b.value, b)
            let ok = worse <= limit
            let rel = b.value != 0 ? " (\(delta >= 0 ? "+" : "")\(Report.num(delta / abs(b.value) * 100)) %)" : " (\(BaselineGate.withUnit(delta, c.unit, signed: true)))"
            var message = "baseline: \(label) = \(c.formatted()) vs \(b.formatted())\(rel), allowed \(t.higherIsWorse ? "+" : "−")\(allowance(b))"
            if !ok { message += " — regressed beyond the tolerance" }
            else if -worse > limit { message += " — improved beyond the tolerance; `capsim baseline` to ratchet" }
            return GateCheck(scenario: scenario, kind: .baseline, name: "baseline \(label)", passed: ok, message: message)
        }
    }

    /// Statistical mode: paired replications (replication i of both on the same seed).
    /// A target fails only when the interval of the mean difference lies entirely beyond the
    /// allowed change.
    ///
    /// The intervals are Bonferroni-adjusted over the scenario's targets (level
    /// 1 − 0.05/m for m figures), so an unchanged distribution fails the gate with
    /// probability at most 5 % in all, not 5 % per figure.
    public func paired(scenario: String, candidate: [FigureTable], baseline: [FigureTable], targets: [Target]) -> [GateCheck] {
        let level = 1 - 0.05 / Double(max(1, targets.count))
        let levelText = Report.num(level * 100) + " %"
        return targets.compactMap { t in
            let bs = baseline.compactMap { $0.figure(t.metric, t.stat) }
            guard let b0 = bs.first, bs.count == baseline.count else { return nil }
            let label = b0.label
            let cs = candidate.compactMap { $0.figure(t.metric, t.stat)?.value }
            guard cs.count == candidate.count, cs.count == bs.count else {
                return GateCheck(scenario: scenario, kind: .baseline, name: "baseline \(label)", passed: false,
                                 message: "baseline: \(label) is in the baseline but missing from some replications of this run")
            }
            let base = bs.map(\.value)
            guard let d = PairedDifference(baseline: base, candidate: cs, level: level) else {
                return GateCheck(scenario: scenario, kind: .baseline, name: "baseline \(label)", passed: false,
                                 message: "baseline: \(label) has no value in some replication")
            }
            let baseMean = base.reduce(0, +) / Double(base.count)
            let limit = allowed(baseMean, b0)
            let unit = b0.unit
            let fails = t.higherIsWorse ? d.lower > limit : d.upper < -limit
            let improved = t.higherIsWorse ? d.upper < -limit : d.lower > limit
            var message = "baseline (paired, \(d.n) replications): \(label) Δ = \(BaselineGate.withUnit(d.mean, unit, signed: true)), "
                + "\(levelText) CI [\(BaselineGate.withUnit(d.lower, "", signed: true)), \(BaselineGate.withUnit(d.upper, "", signed: true))]\(unit.isEmpty ? "" : " " + unit), "
                + "allowed \(t.higherIsWorse ? "+" : "−")\(BaselineGate.withUnit(limit, unit)) (\(allowance(b0)) of \(BaselineGate.withUnit(baseMean, unit)))"
            if fails { message += " — the whole interval lies beyond the tolerance" }
            else if improved { message += " — improved beyond the tolerance; `capsim baseline` to ratchet" }
            return GateCheck(scenario: scenario, kind: .baseline, name: "baseline \(label)", passed: !fails, message: message)
        }
    }
}
