import Foundation
import SimCore

/// Reads a distribution written in a scenario:
///
/// ```yaml
/// service: 250ms                                   # constant
/// service: { exponential: { mean: 1s } }           # or { rate: 60/min }
/// service: { uniform: { min: 1s, max: 3s } }
/// service: { normal: { mean: 5s, sd: 1s } }         # truncated at zero
/// service: { lognormal: { median: 8ms, sigma: 0.5 } }  # or { mean: 8ms, cv: 0.6 }
/// service: { gamma: { shape: 2.15, scale: 8.2min } }   # or { shape: 2.15, mean: 17.6min }
/// service: { weibull: { shape: 1.5, scale: 3s } }
/// service: { pareto: { alpha: 2.5, minimum: 1s } }
/// service: { empirical: { values: [1s, 2s, 2s, 5s] } }
/// service: { cdf: { points: [[0s, 0], [2s, 0.5], [10s, 1]] } }   # piecewise-linear CDF
/// ```
///
/// Duration-valued parameters are converted to seconds; samples are then seconds.
public enum DistributionParser {
    public static let kinds = ["constant", "uniform", "exponential", "normal", "lognormal", "gamma", "weibull", "pareto", "empirical", "cdf"]

    static let parameters: [String: [String]] = [
        "constant": ["value"], "uniform": ["min", "max"], "exponential": ["mean", "rate"],
        "normal": ["mean", "sd"], "lognormal": ["median", "sigma", "mean", "cv"],
        "gamma": ["shape", "scale", "mean"], "weibull": ["shape", "scale"], "pareto": ["alpha", "minimum"],
        "empirical": ["values"], "cdf": ["points"],
    ]

    public static func parse(_ node: ConfigNode, unit: DistributionUnit, path: String) -> Result<Distribution, ScenarioErrors> {
        func err(_ n: ConfigNode, _ p: String, _ m: String, _ fix: String) -> Result<Distribution, ScenarioErrors> {
            .failure(ScenarioErrors([ScenarioError(n.location, path: p, m, fix: fix)]))
        }
        if let s = node.scalar {
            switch value(s, unit) {
            case .success(let v): return .success(.constant(v))
            case .failure(let e): return err(node, path, e.message, e.fix)
            }
        }
        guard let entries = node.entries, entries.count == 1 else {
            return err(node, path, "a distribution is one kind with its parameters, found \(node.kindName)",
                       "write e.g. { exponential: { mean: \(unit == .duration ? "1s" : "2") } } or a constant")
        }
        let kind = entries[0].key
        let p = path + "." + kind
        guard let allowed = parameters[kind] else {
            let hint = Suggest.closest(kind, among: kinds).map { "did you mean '\($0)'? " } ?? ""
            return .failure(ScenarioErrors([ScenarioError(entries[0].keyLocation, path: p, "unknown distribution '\(kind)'",
                                                          fix: "\(hint)use one of: \(kinds.joined(separator: ", "))")]))
        }
        let body = entries[0].node
        guard let params = body.entries else {
            return err(body, p, "the parameters of '\(kind)' must be a mapping", "write { \(kind): { \(allowed.joined(separator: ": …, ")): … } }")
        }
        var errors: [ScenarioError] = []
        for e in params where !allowed.contains(e.key) {
            let hint = Suggest.closest(e.key, among: allowed).map { "did you mean '\($0)'? " } ?? ""
            errors.append(ScenarioError(e.keyLocation, path: p + "." + e.key, "unknown parameter '\(e.key)' of \(kind)",
                                        fix: "\(hint)\(kind) takes: \(allowed.joined(separator: ", "))"))
        }
        if !errors.isEmpty { return .failure(ScenarioErrors(errors)) }
        let reader = ParamReader(node: body, path: p, unit: unit)
        let result = build(kind, reader)
        if !reader.errors.isEmpty { return .failure(ScenarioErrors(reader.errors)) }
        guard let d = result else {
            return err(body, p, "the parameters of '\(kind)' are incomplete", "give \(usage[kind] ?? allowed.joined(separator: ", "))")
        }
        // The models use means (HPA, advisor, capacity estimates) and turn draws into Int64
        // nanoseconds: a mean that is infinite or beyond ten years cannot be simulated.
        let limit = unit == .duration ? SimUnit.seconds(Units.maxDuration) : 1e12
        let m = mean(d)
        guard m.isFinite, m <= limit else {
            let shown = unit == .duration ? (m.isFinite ? DurationFormat.short(SimUnit.fromSeconds(m)) : "infinite") : (m.isFinite ? String(m) : "infinite")
            return err(body, p, "the mean of this \(kind) distribution is \(shown), above the limit of \(unit == .duration ? "3650d" : "1e12")",
                       "use parameters whose mean is finite and at most \(unit == .duration ? "3650d" : "1e12")")
        }
        // Draws become Int64 nanoseconds and are added to the clock: a draw beyond ten years
        // must be practically impossible (probability below 1e-12), not only rare.
        if unit == .duration, !(tail(d) <= limit) {
            let shown = tail(d).isFinite ? DurationFormat.short(SimUnit.fromSeconds(tail(d))) : "infinite"
            return err(body, p, "one draw in 10^12 of this \(kind) distribution exceeds \(shown), above the limit of 3650d",
                       "use a smaller scale or a thinner tail (smaller sigma, larger shape or alpha)")
        }
        return .success(d)
    }

    /// A value a draw exceeds with probability below 1e-12 (a bound, not the exact quantile):
    /// 27.7 = −ln(1e-12); 7.04 is the standard normal's 1 − 1e-12 quantile.
    static func tail(_ d: Distribution) -> Double {
        switch d {
        case .constant(let c): return c
        case .uniform(_, let b): return b
        case .exponential(let m): return m * 27.7
        case .truncatedNormal(let m, let sd): return m + 7.04 * sd
        case .lognormal(let mu, let sigma): return Foundation.exp(mu + 7.04 * sigma)
        case .gamma(let k, let theta): return theta * (k + 7.04 * k.squareRoot() + 27.7)
        case .weibull(let k, let lambda): return lambda * Foundation.pow(27.7, 1 / k)
        case .pareto(let alpha, let xm): return xm * Foundation.pow(1e12, 1 / alpha)
        case .empirical(let vs): return vs.max() ?? 0
        case .cdfTable(let xs, _): return xs.last ?? 0
        }
    }

    /// The distribution's mean (infinite for a Pareto with alpha ≤ 1).
    static func mean(_ d: Distribution) -> Double {
        switch d {
        case .constant(let c): return c
        case .uniform(let a, let b): return (a + b) / 2
        case .exponential(let m): return m
        case .truncatedNormal(let m, let sd): return max(m, 0) + sd  // an upper bound, enough for a limit
        case .lognormal(let mu, let sigma): return Foundation.exp(mu + sigma * sigma / 2)
        case .gamma(let k, let theta): return k * theta
        case .weibull(let k, let lambda): return lambda * Foundation.tgamma(1 + 1 / k)
        case .pareto(let alpha, let xm): return alpha <= 1 ? .infinity : alpha * xm / (alpha - 1)
        case .empirical(let vs): return vs.reduce(0, +) / Double(vs.count)
        case .cdfTable(let xs, _): return xs.last ?? 0
        }
    }

    static let usage: [String: String] = [
        "exponential": "mean or rate", "lognormal": "median and sigma, or mean and cv", "gamma": "shape with scale or mean",
    ]

    static func build(_ kind: String, _ r: ParamReader) -> Distribution? {
        switch kind {
        case "constant": return r.value("value").map { .constant($0) }
        case "uniform":
            guard let a = r.value("min"), let b = r.value("max") else { return nil }
            if b < a { r.fail("max", "max is below min", "swap min and max"); return nil }
            return .uniform(low: a, high: b)
        case "exponential":
            if r.has("mean"), r.has("rate") { r.fail("rate", "give mean or rate, not both", "remove one"); return nil }
            if let m = r.positive("mean") { return .exponential(mean: m) }
            if let rate = r.rate("rate") { return .exponential(mean: 1 / rate) }
            return nil
        case "normal":
            guard let m = r.value("mean"), let sd = r.nonNegative("sd", plain: false) else { return nil }
            if sd > 0, m < -3 * sd { r.fail("mean", "the mean is more than 3 sd below zero; truncation at zero would reject almost every draw", "use a lognormal or gamma for small positive values"); return nil }
            return .truncatedNormal(mean: m, sd: sd)
        case "lognormal":
            if let med = r.positive("median") {
                guard let s = r.nonNegative("sigma", plain: true) else { return nil }
                if s > 4 { r.fail("sigma", "sigma \(s) is above the limit of 4 (a draw would span more than e^28 times the median)", "use sigma ≤ 4"); return nil }
                return .lognormal(median: med, sigma: s)
            }
            if let mean = r.positive("mean"), let cv = r.nonNegative("cv", plain: true) {
                if cv > 50 { r.fail("cv", "cv \(cv) is above the limit of 50", "use cv ≤ 50"); return nil }
                return .lognormal(mean: mean, cv: cv)
            }
            return nil
        case "gamma":
            guard let k = r.positive("shape", plain: true) else { return nil }
            if k < 1e-3 || k > 1e6 { r.fail("shape", "a gamma shape must be from 0.001 to 1000000", "use a shape in that range"); return nil }
            if let s = r.positive("scale") { return .gamma(shape: k, scale: s) }
            if let m = r.positive("mean") { return .gamma(shape: k, scale: m / k) }
            return nil
        case "weibull":
            guard let k = r.positive("shape", plain: true), let s = r.positive("scale") else { return nil }
            if k < 0.2 { r.fail("shape", "a Weibull shape below 0.2 gives draws beyond any run length", "use shape ≥ 0.2"); return nil }
            return .weibull(shape: k, scale: s)
        case "pareto":
            guard let a = r.positive("alpha", plain: true), let m = r.positive("minimum") else { return nil }
            if a <= 1 { r.fail("alpha", "with alpha \(a) ≤ 1 the Pareto mean is infinite, and the model needs a mean", "use alpha > 1 (e.g. 2.5)"); return nil }
            return .pareto(alpha: a, minimum: m)
        case "empirical":
            guard let list = r.list("values") else { return nil }
            let vs = list.compactMap { r.item($0, "values", plain: false) }
            guard vs.count == list.count else { return nil }
            if vs.isEmpty { r.fail("values", "the list of values is empty", "give at least one value"); return nil }
            return .empirical(vs)
        case "cdf":
            guard let list = r.list("points") else { return nil }
            var xs: [Double] = [], ps: [Double] = []
            for pt in list {
                guard let pair = pt.items, pair.count == 2, let x = r.item(pair[0], "points", plain: false), let p = r.item(pair[1], "points", plain: true) else {
                    r.errors.append(ScenarioError(pt.location, path: r.path + ".points", "each point is [value, cumulative probability]", fix: "write e.g. [2s, 0.5]"))
                    return nil
                }
                xs.append(x); ps.append(p)
            }
            guard !xs.isEmpty, zip(xs, xs.dropFirst()).allSatisfy({ $0 <= $1 }), zip(ps, ps.dropFirst()).allSatisfy({ $0 <= $1 }),
                  ps.allSatisfy({ $0 >= 0 && $0 <= 1 }), ps.last == 1 else {
                r.fail("points", "CDF points must increase in value and probability, with probabilities in [0, 1] ending at 1", "sort the points and end with probability 1")
                return nil
            }
            return .cdfTable(values: xs, probabilities: ps)
        default: return nil
        }
    }

    static func value(_ s: String, _ unit: DistributionUnit) -> Result<Double, UnitError> {
        switch unit {
        case .duration: return Units.duration(s).map { SimUnit.seconds($0) }
        case .number:
            guard let v = Double(s), v.isFinite else { return .failure(UnitError("'\(s)' is not a number", fix: "write a plain number")) }
            return .success(v)
        }
    }
}

/// Reads the parameters of one distribution, collecting errors.
final class ParamReader {
    let node: ConfigNode
    let path: String
    let unit: DistributionUnit
    var errors: [ScenarioError] = []

    init(node: ConfigNode, path: String, unit: DistributionUnit) { self.node = node; self.path = path; self.unit = unit }

    func has(_ k: String) -> Bool { node[k] != nil }

    func fail(_ k: String, _ m: String, _ fix: String) {
        errors.append(ScenarioError(node[k]?.location ?? node.location, path: path + "." + k, m, fix: fix))
    }

    func item(_ n: ConfigNode, _ k: String, plain: Bool) -> Double? {
        guard let s = n.scalar else { fail(k, "expected a value, found \(n.kindName)", "write a single value"); return nil }
        switch DistributionParser.value(s, plain ? .number : unit) {
        case .success(let v): return v
        case .failure(let e):
            errors.append(ScenarioError(n.location, path: path + "." + k, e.message, fix: e.fix))
            return nil
        }
    }

    func value(_ k: String, plain: Bool = false) -> Double? {
        guard let n = node[k] else { return nil }
        return item(n, k, plain: plain)
    }

    func positive(_ k: String, plain: Bool = false) -> Double? {
        guard let v = value(k, plain: plain) else { return nil }
        if v <= 0 { fail(k, "\(k) must be positive", "use a value > 0"); return nil }
        return v
    }

    func nonNegative(_ k: String, plain: Bool) -> Double? {
        guard let v = value(k, plain: plain) else { return nil }
        if v < 0 { fail(k, "\(k) cannot be negative", "use a value ≥ 0"); return nil }
        return v
    }

    /// A rate: "60/min" for duration distributions (per second), a plain number otherwise.
    func rate(_ k: String) -> Double? {
        guard let n = node[k], let s = n.scalar else { return nil }
        if unit == .number { return positive(k, plain: true) }
        switch Units.rate(s) {
        case .success(let r) where r > 0: return r
        case .success: fail(k, "the rate must be positive", "use a value > 0"); return nil
        case .failure(let e): errors.append(ScenarioError(n.location, path: path + "." + k, e.message, fix: e.fix)); return nil
        }
    }

    func list(_ k: String) -> [ConfigNode]? {
        guard let n = node[k] else { return nil }
        guard let items = n.items else { fail(k, "expected a list, found \(n.kindName)", "write [a, b, c]"); return nil }
        if items.count > SchemaType.maxListItems {
            fail(k, "the list has \(items.count) items, more than the limit of \(SchemaType.maxListItems)", "give at most \(SchemaType.maxListItems) items")
            return nil
        }
        return items
    }
}
