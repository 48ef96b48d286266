import Foundation
import SimCore

/// A validated, typed scenario: what the models are built from.
public struct ScenarioConfig: Sendable {
    public enum Warmup: Sendable, Equatable {
        case fixed(SimTime)
        /// Detect the end of the transient with MSER-5.
        case auto
    }

    public enum ModelKind: String, Sendable { case queueing, platform }

    public var name: String
    public var description: String
    public var seed: UInt64
    public var model: ModelKind
    public var duration: SimTime?
    public var warmup: Warmup
    public var replications: Int
    public var reportInterval: SimTime
    /// `limits.max_events`: most events over all replications, checked before a run.
    public var maxEvents: Double
    /// `limits.max_memory`: most memory per replication, in MB.
    public var maxMemoryMB: Double
    public var slos: [SLOConfig]
    public var queueing: QueueingConfig?
    /// The merged document, for the platform model's own decoding and for the report's
    /// copy of the resolved scenario.
    public var document: ConfigNode
    /// The scenario file it came from.
    public var file: String

    /// Loads, merges, overrides, validates and decodes a scenario file.
    ///
    /// - Throws: `ScenarioErrors` listing every problem, each with file, line, key path and fix.
    public static func load(path: String, overrides: [String] = []) throws(ScenarioErrors) -> ScenarioConfig {
        let tree = try ScenarioLoader.load(path: path, overrides: overrides)
        return try decode(tree, file: path)
    }

    /// The longest scenario name: a folder name may hold 255 bytes on common file systems,
    /// and the report writer may add a suffix.
    public static let maxNameBytes = 128

    public static func decode(_ tree: ConfigNode, file: String) throws(ScenarioErrors) -> ScenarioConfig {
        let schema = ScenarioSchema.root
        var errors = SchemaValidator.validate(tree, .object(schema))
        // The removed `failures:` section: an error that writes out its `faults:` replacement.
        if let removed = PlatformConfig.removedFailuresError(tree) { errors = errors.filter { $0.path != "failures" } + [removed] }
        if !errors.isEmpty { throw ScenarioErrors(errors) }
        // One walk of the document and the schema: absent keys take the schema's defaults.
        let mismatches = DecodeMismatches()
        let root = SchemaReader(tree, schema, mismatches: mismatches)
        let q = tree["queueing"].flatMap { QueueingConfig.decode(root.object("queueing"), at: $0.location, errors: &errors) }
        let platformPresent = PlatformSchema.sections.contains { tree[$0.name] != nil }
        let model = root.optional("model") { $0.stringValue.flatMap(ModelKind.init) } ?? (platformPresent ? .platform : .queueing)
        let limits = root.object("limits")
        var config = ScenarioConfig(
            name: root.string("name"),
            description: root.text("description"),
            seed: root.uint64("seed"),
            model: model,
            duration: root.optional("duration", \.durationValue),
            warmup: root.string("warmup") == "auto" ? .auto : .fixed(root.duration("warmup")),
            replications: root.int("replications"),
            reportInterval: root.object("report").duration("interval"),
            maxEvents: limits.double("max_events"),
            maxMemoryMB: limits.double("max_memory"),
            slos: root.items("slos").map(SLOConfig.decode),
            queueing: q,
            document: tree,
            file: file)
        if config.reportInterval <= 0 {
            errors.append(ScenarioError(tree["report"]?["interval"]?.location ?? tree.location, path: "report.interval",
                                        "the report interval must be positive", fix: "use e.g. 1min"))
        }
        var estimate: WorkEstimate?
        switch model {
        case .queueing:
            if let q { estimate = WorkEstimate.queueing(q, duration: config.duration) }
            if q == nil {
                errors.append(ScenarioError(tree.location, path: "queueing", "model 'queueing' needs a queueing section",
                                            fix: "add `queueing:` with stations and arrivals, or set `model: platform`"))
            } else if config.duration == nil && q?.customers == nil {
                errors.append(ScenarioError(tree.location, path: "duration", "the run has no end",
                                            fix: "add `duration: 1h` or `queueing.customers: 100000`"))
            }
        case .platform:
            // The cross-field checks (shares add to 1, one primary, known region names, ...).
            if let p = PlatformConfig.decode(tree, errors: &errors), let d = config.duration {
                estimate = WorkEstimate.platform(p, duration: d)
            }
            if config.warmup == .auto {
                errors.append(ScenarioError(tree["warmup"]?.location ?? tree.location, path: "warmup",
                                            "warmup: auto (MSER-5) is available for queueing scenarios only",
                                            fix: "give a fixed warm-up such as `warmup: 10min`"))
            }
            if config.duration == nil {
                errors.append(ScenarioError(tree.location, path: "duration", "a platform scenario needs a duration",
                                            fix: "add e.g. `duration: 2h`"))
            }
        }
        checkCostsAndPlan(tree, errors: &errors)
        if let d = config.duration, case .fixed(let w) = config.warmup, w >= d {
            errors.append(ScenarioError(tree["warmup"]?.location ?? tree.location, path: "warmup",
                                        "the warm-up (\(DurationFormat.short(w))) is not shorter than the run (\(DurationFormat.short(d)))",
                                        fix: "shorten warmup or lengthen duration"))
        }
        if config.name.isEmpty || config.name.contains("/") || config.name.hasPrefix(".") {
            errors.append(ScenarioError(tree["name"]?.location ?? tree.location, path: "name",
                                        "the name '\(config.name)' cannot name a report folder", fix: "use letters, digits, '-' and '_'"))
        }
        errors += mismatches.errors
        if errors.isEmpty, var estimate {
            estimate.events *= Double(config.replications)
            // Reported at the top of the file: the estimate comes from the whole scenario.
            if let e = WorkEstimate.check(estimate, maxEvents: config.maxEvents, maxMemoryMB: config.maxMemoryMB, at: tree.location) {
                errors.append(e)
            }
        }
        if config.name.utf8.count > maxNameBytes {
            errors.append(ScenarioError(tree["name"]?.location ?? tree.location, path: "name",
                                        "the name is \(config.name.utf8.count) bytes long, more than the limit of \(maxNameBytes) (it names the report folder)",
                                        fix: "use a name of at most \(maxNameBytes) bytes"))
        }
        if !errors.isEmpty { throw ScenarioErrors(errors) }
        config.name = config.name.trimmingCharacters(in: .whitespaces)
        return config
    }
}

/// One service-level objective.
public struct SLOConfig: Sendable, Equatable {
    public var name: String
    public var metric: String
    public var stat: String
    public var max: Quantity?
    public var min: Quantity?
    public var region: String?
    public var location: SourceLocation

    static let stats = ["mean", "p50", "p90", "p95", "p99", "p99.9", "max", "count", "ratio"]

    static func decode(_ n: SchemaReader) -> SLOConfig {
        var metric = n.string("metric")
        var stat = n.given("stat")?.stringValue
        if stat == nil {
            // "place_order.latency.p99" carries its statistic as a suffix.
            for s in stats.sorted(by: { $0.count > $1.count }) where metric.hasSuffix("." + s) {
                stat = s
                metric = String(metric.dropLast(s.count + 1))
                break
            }
        }
        // Neither given nor a suffix: the schema's default statistic.
        let st = stat ?? n.string("stat")
        let region = n.optional("region", \.stringValue)
        let label = n.optional("name", \.stringValue) ?? ([metric, st].joined(separator: ".") + (region.map { "@" + $0 } ?? ""))
        return SLOConfig(name: label, metric: metric, stat: st, max: n.optional("max", \.quantityValue), min: n.optional("min", \.quantityValue),
                         region: region, location: n.node?.location ?? SourceLocation(file: n.path, line: 0, column: 0))
    }
}
