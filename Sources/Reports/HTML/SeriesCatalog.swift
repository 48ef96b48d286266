/// The naming convention the report's charts rely on: a model names its time series (and
/// latency metrics) by these patterns, and the HTML report charts whatever exists.
///
/// | pattern | chart |
/// | --- | --- |
/// | `<metric>[@<region>].<stat>`, stat ∈ p50 p90 p95 p99 p99.9 mean max min | one chart per metric over time, a line per region and statistic (e.g. `place_order@eu.latency.p99`, `server.wait.mean`) |
/// | `<service>[@<region>].replicas[.max]`, `….replicas.ready[.min]` | replicas over time per service: pods (time-weighted mean, per-interval max) and ready pods (mean, per-interval min); the configured `services.<service>.min`/`max` of the resolved scenario (or counters `<service>.min_replicas` / `<service>.max_replicas`) drawn |
/// | `<metric>[@<region>].throughput` | completed requests per second over time, a line per region |
/// | `<service>[@<region>].cpu` | CPU utilisation of every service in one chart (unit `ratio` shows as %) |
/// | `kafka.<topic>.lag[.max]` | consumer lag of every topic (time-weighted mean and per-interval max) |
/// | `cache.<tier>.hit_ratio` | hit ratio of every cache tier in one chart |
/// | `<station>.queue_length` | queue length of every station in one chart |
/// | anything else | a chart of its own |
///
/// The region is the `@<region>` suffix of the first dotted component that has one; it is
/// removed from the metric name when series are grouped, so `place_order@eu.latency` and
/// `place_order@us.latency` share the chart `place_order.latency`.
public enum SeriesCatalog {
    public enum Role: Sendable, Equatable {
        case statistic(metric: String, region: String?, stat: String)
        /// `variant`: `total` (mean pods), `max` (per-interval max of pods), `ready` (mean
        /// ready pods), `ready_min` (per-interval min of ready pods).
        case replicas(service: String, region: String?, variant: String)
        case cpu(service: String, region: String?)
        /// `variant`: `mean` or `max`.
        case kafkaLag(topic: String, variant: String)
        case throughput(metric: String, region: String?)
        case cacheHitRatio(tier: String)
        case queueLength(station: String)
        case other
    }

    /// Statistic suffixes of series, longest first so `p99.9` wins over `9`-less `p99`.
    public static let statistics = ["p99.9", "p50", "p90", "p95", "p99", "mean", "max", "min"]
    /// The order lines of one metric are drawn and listed in.
    static let statisticOrder = ["p50", "p90", "p95", "p99", "p99.9", "mean", "min", "max"]

    public static func role(of name: String) -> Role {
        if name.hasPrefix("kafka."), name.hasSuffix(".lag"), name.count > 10 {
            return .kafkaLag(topic: String(name.dropFirst(6).dropLast(4)), variant: "mean")
        }
        if name.hasPrefix("kafka."), name.hasSuffix(".lag.max"), name.count > 14 {
            return .kafkaLag(topic: String(name.dropFirst(6).dropLast(8)), variant: "max")
        }
        for (suffix, variant) in [(".replicas.ready.min", "ready_min"), (".replicas.ready", "ready"), (".replicas.max", "max"), (".replicas", "total")]
        where name.hasSuffix(suffix) && name.count > suffix.count {
            let (service, region) = splitRegion(String(name.dropLast(suffix.count)))
            return .replicas(service: service, region: region, variant: variant)
        }
        if name.hasSuffix(".throughput"), name.count > 11 {
            let (metric, region) = splitRegion(String(name.dropLast(11)))
            return .throughput(metric: metric, region: region)
        }
        if name.hasPrefix("cache."), name.hasSuffix(".hit_ratio"), name.count > 16 {
            return .cacheHitRatio(tier: String(name.dropFirst(6).dropLast(10)))
        }
        if name.hasSuffix(".cpu"), name.count > 4 {
            let (service, region) = splitRegion(String(name.dropLast(4)))
            return .cpu(service: service, region: region)
        }
        if name.hasSuffix(".queue_length"), name.count > 13 {
            return .queueLength(station: String(name.dropLast(13)))
        }
        for s in statistics where name.hasSuffix("." + s) && name.count > s.count + 1 {
            let (metric, region) = splitRegion(String(name.dropLast(s.count + 1)))
            return .statistic(metric: metric, region: region, stat: s)
        }
        return .other
    }

    /// `place_order@eu.latency` → (`place_order.latency`, `eu`); names without `@` are unchanged.
    public static func splitRegion(_ name: String) -> (name: String, region: String?) {
        var parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for i in parts.indices {
            if let at = parts[i].firstIndex(of: "@") {
                let region = String(parts[i][parts[i].index(after: at)...])
                parts[i] = String(parts[i][..<at])
                return (parts.joined(separator: "."), region.isEmpty ? nil : region)
            }
        }
        return (name, nil)
    }
}
