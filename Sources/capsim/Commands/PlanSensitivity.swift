import Foundation
import Reports
import Scenario
import SimCore

/// Scaling a scenario input by a factor, for the sensitivity table of `capsim plan`.
enum PlanSensitivity {
    /// Distribution parameters that scale the values drawn (location and scale); shape
    /// parameters (sigma, shape, cv, alpha) and probabilities stay.
    static let scaledKeys: Set<String> = ["median", "mean", "scale", "min", "max", "minimum", "values", "sd", "constant"]

    /// The override that multiplies the input at `path` by `factor`: a scalar (number,
    /// duration, rate) keeps its unit; a distribution scales its location/scale parameters.
    ///
    /// - Throws: `CLIError.badInput` when the path names nothing or nothing scalable.
    static func override(_ config: ScenarioConfig, path: String, factor: Double) throws -> String {
        var node: ConfigNode? = config.document
        for k in path.split(separator: ".").map(String.init) {
            node = node.flatMap { n in n.items.map { list in Int(k).flatMap { list.indices.contains($0) ? list[$0] : nil } } ?? n[k] }
        }
        guard let node else {
            throw CLIError.badInput("\(config.file): plan assumption '\(path)' names no value of the scenario\n    fix: give a dotted key path that exists, e.g. restaurants.prep_time")
        }
        let scaled = scale(node.toJSONValue(), factor, inDistribution: false)
        guard let value = scaled, value != node.toJSONValue() else {
            throw CLIError.badInput("\(config.file): plan assumption '\(path)' is not a number, duration, rate or distribution that can be scaled\n    fix: name a numeric input such as services.order_service.cpu.place_order")
        }
        if case .string(let s) = value { return "\(path)=\(s)" }
        return "\(path)=\(value.serialized(sortedKeys: true))"
    }

    static func scale(_ v: JSONValue, _ f: Double, inDistribution: Bool) -> JSONValue? {
        switch v {
        case .integer(let i): return .number(Double(i) * f)
        case .number(let x): return .number(x * f)
        case .string(let s):
            guard let (x, unit) = SweepValues.numberAndUnit(s) else { return nil }
            return .string(PlanDemand.number(x * f) + unit)
        case .array(let items): return .array(items.map { scale($0, f, inDistribution: inDistribution) ?? $0 })
        case .object(let entries):
            // A distribution: { lognormal: { median: 10ms, sigma: 0.5 } }.
            return .object(entries.map { k, e in
                if case .object = e { return (k, scale(e, f, inDistribution: true) ?? e) }
                return (k, scaledKeys.contains(k) ? (scale(e, f, inDistribution: true) ?? e) : e)
            })
        default: return nil
        }
    }
}
