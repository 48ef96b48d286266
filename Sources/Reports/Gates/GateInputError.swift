/// A gate that cannot be evaluated because its input is wrong (exit code 2): an SLO names
/// a metric the report does not have, a statistic the metric does not have, a limit in the
/// wrong unit, or a baseline that is missing or unreadable.
public enum GateInputError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownMetric(objective: String, metric: String, location: String, suggestion: String?, known: [String])
    case unsupportedStat(objective: String, metric: String, kind: Figure.Kind, stat: String, allowed: [String], location: String)
    case limitUnit(objective: String, metric: String, unit: String, location: String)
    case noLimit(objective: String, location: String)
    case baseline(String)

    public var description: String {
        switch self {
        case let .unknownMetric(objective, metric, location, suggestion, known):
            let hint = suggestion.map { "did you mean '\($0)'? " } ?? ""
            let list = known.count <= 12 ? known.joined(separator: ", ") : known.prefix(12).joined(separator: ", ") + ", … (\(known.count) in all)"
            return "\(where_(location))SLO '\(objective)': the report has no metric '\(metric)'; \(hint)metrics: \(list)"
        case let .unsupportedStat(objective, metric, kind, stat, allowed, location):
            return "\(where_(location))SLO '\(objective)': '\(metric)' is a \(kind.rawValue) and has no statistic '\(stat)'; use stat: \(allowed.joined(separator: ", "))"
        case let .limitUnit(objective, metric, unit, location):
            return "\(where_(location))SLO '\(objective)': the limit is a duration but '\(metric)' is measured in \(unit.isEmpty ? "plain numbers" : unit); write a plain number"
        case let .noLimit(objective, location):
            return "\(where_(location))SLO '\(objective)' has neither max nor min; add e.g. max: 250ms"
        case let .baseline(message):
            return message
        }
    }

    private func where_(_ location: String) -> String { location.isEmpty ? "" : location + ": " }
}
