/// The whole scenario format. `PlatformSchema` (the delivery platform sections) and
/// `QueueingSchema` (the queueing-network model) add their sections here.
public enum ScenarioSchema {
    public static var root: ObjectSchema {
        ObjectSchema("A capsim scenario: one what-if, run with `capsim run FILE`.",
                     [
                        Field("name", .string, required: true, "Scenario name; names the report folder reports/<name>/"),
                        Field("description", .string, "What this scenario asks"),
                        Field("extends", .string, "A base scenario file (relative path) this one deep-merges over"),
                        Field("seed", .integer(min: 0, max: Int64.max), default: "1", "Master random seed; every named stream derives from it"),
                        Field("model", .enumeration(["queueing", "platform"]), default: .derived("platform if the platform sections are present, else queueing"),
                              "Which model to build"),
                        Field("duration", .duration, "Simulated time to run (required unless queueing.customers is set)"),
                        Field("warmup", .either([.duration, .enumeration(["auto"])]), default: "0s",
                              "Initial period excluded from statistics; `auto` detects it with MSER-5"),
                        Field("replications", .integer(min: 1, max: 1_000), default: "1", "Independent runs with derived seeds, merged"),
                        Field("report", .object(reportSchema), "Report options"),
                        Field("limits", .object(limitsSchema), "Work limits checked before the run starts"),
                        Field("slos", .array(.object(sloSchema)), "Service-level objectives checked by `capsim check`"),
                        Field("queueing", .object(QueueingSchema.queueing), "A network of queueing stations (validation and teaching model)"),
                     ] + PlatformSchema.sections + CostsSchema.sections)
    }

    static let reportSchema = ObjectSchema("Report options", [
        Field("interval", .duration(min: "1s"), default: "1min", "Width of a time-series interval in charts and CSV"),
    ])

    static let limitsSchema = ObjectSchema("Work limits: a scenario whose estimated events or memory exceed them is refused before it starts, with the estimate", [
        Field("max_events", .integer(min: 1, max: 1_000_000_000_000), default: "2000000000", "Most events over all replications (the default is about half an hour of one core)"),
        Field("max_memory", .integer(min: 1, max: 1_048_576), default: "2048", "Most memory per replication, in MB"),
    ])

    static let sloSchema = ObjectSchema("One objective: a metric's statistic must stay under (or over) a limit", exclusive: [["max", "min"]], [
        Field("metric", .string, required: true, "Metric name, e.g. place_order.latency, or with the statistic: place_order.latency.p99"),
        Field("stat", .enumeration(["mean", "p50", "p90", "p95", "p99", "p99.9", "max", "count", "ratio"]), default: .value("p99", shown: "p99 (or the suffix of metric)"),
              "Which statistic of the metric"),
        Field("max", .either([.duration, .number()]), "Upper limit (a duration for latencies)"),
        Field("min", .either([.duration, .number()]), "Lower limit"),
        Field("region", .string, "Only this region's figure"),
        Field("name", .string, "A label for reports and JUnit"),
    ])
}
