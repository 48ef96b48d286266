/// A service-level objective in report terms: the statistic of a metric must stay at or
/// under `max` (or at or over `min`). The CLI builds these from the scenario's `slos:`
/// (`SLOConfig`); Reports cannot see the scenario types, so the limit arrives as a plain
/// duration or number.
public struct Objective: Sendable, Equatable {
    public enum Limit: Sendable, Equatable {
        /// A duration in nanoseconds, converted to the metric's unit when checked.
        case duration(nanoseconds: Double)
        /// A number in the metric's report unit (ms for latency statistics).
        case number(Double)
    }

    /// Label in output and JUnit (the scenario's `name:`, or `metric.stat[@region]`).
    public var name: String
    public var metric: String
    public var stat: String
    public var max: Limit?
    public var min: Limit?
    /// Only this region's figure: resolved by the `@<region>` naming convention.
    public var region: String?
    /// Where the objective is written (file:line), for error messages.
    public var location: String

    public init(name: String, metric: String, stat: String, max: Limit? = nil, min: Limit? = nil, region: String? = nil, location: String = "") {
        self.name = name; self.metric = metric; self.stat = stat; self.max = max; self.min = min; self.region = region; self.location = location
    }

    /// The metric names this objective may mean, most specific first. With a region, the
    /// `@<region>` goes after the first dotted component (`place_order@eu.latency`), or at
    /// the end (`orders@eu`), or the region leads (`eu.place_order.latency`).
    public var candidateMetrics: [String] {
        guard let region, !region.isEmpty else { return [metric] }
        var out: [String] = []
        if let dot = metric.firstIndex(of: ".") {
            out.append(String(metric[..<dot]) + "@" + region + String(metric[dot...]))
        }
        out.append(metric + "@" + region)
        out.append(region + "." + metric)
        return out
    }
}
