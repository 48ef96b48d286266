import Foundation
import Scenario
import SimCore
import Testing

/// Each scenario default is written once, in the schema (`Field(default:)`), and the
/// decoders take it from there (`SchemaReader`). For every key with a value default (found
/// by walking `ScenarioSchema.root`, not from a list), a minimal scenario must decode to the
/// same configuration whether the key is left out or written as the schema's default text,
/// and to a different one when written with another valid value (so the decoder reads it).
@Suite struct ScenarioDefaultsTests {
    /// Only what the schema requires, plus one item of each list whose items have defaults.
    static let platform = """
        name: minimal
        duration: 1h
        regions:
          a: { primary: true, latency_target: 1s, demand_share: 0.5, center: { lon: 0, lat: 0 }, metros: [{ share: 1, radius: 1km }] }
          b: { latency_target: 1s, demand_share: 0.5, center: { lon: 1, lat: 1 } }
        demand: { orders_per_hour: 100/h }
        restaurants: { count: 10, prep_time: 10min }
        couriers: { count: 10 }
        services:
          order_service: { min: 1, max: 2, target_cpu: 70, cpu: { place_order: 10ms, menu_view: 5ms }, circuit_breaker: { failure_rate: 50 },
                           retry_budget: { percent: 20 }, limit_req: { rate: 100/s } }
          location_service: { min: 1, max: 2, target_cpu: 70, cpu: { location_update: 1ms, location_consume: 1ms }, circuit_breaker: { failure_rate: 50 },
                              retry_budget: { percent: 20 }, limit_req: { rate: 100/s } }
          matching_service: { min: 1, max: 2, target_cpu: 70, cpu: { order_event: 1ms, match_batch: 1ms }, circuit_breaker: { failure_rate: 50 },
                              retry_budget: { percent: 20 }, limit_req: { rate: 100/s } }
        cache: { l1: { latency: 0s }, l2: { latency: 1ms, nodes: { count: 3 } }, l3: { latency: 5ms } }
        database: { write_latency: 5ms }
        kafka: { order_events: { partitions: 4 }, location_updates: { partitions: 4 }, brokers: { count: 3 } }
        faults: [{ kind: replica_crash, service: order_service, region: a, at: 10min }, { kind: region_outage, region: b, at: 20min, for: 5min }]
        costs: { currency: USD }
        slos: [{ metric: place_order.latency, max: 1s }]
        """

    static let queueing = """
        name: minimal-queue
        duration: 1h
        queueing:
          stations: { s: { servers: 1, service: 1s } }
          arrivals: [{ to: s, rate: 0.5/s }]
        """

    /// A key with a value default that the document leaves out: its `--set` path, its path
    /// with map keys as `*` and list indices as `[]`, and its schema field.
    struct Absent { var path: String; var pattern: String; var field: Field }

    /// The defaulted keys `node` leaves out. An absent mapping is entered only when it has no
    /// required keys (writing one key of it is then a valid scenario) and is not in `skipping`
    /// (a platform section would turn a queueing scenario into a platform one).
    static func absentKeys(_ node: ConfigNode?, _ schema: ObjectSchema, _ path: String = "", _ pattern: String = "",
                           skipping: Set<String> = []) -> [Absent] {
        var out: [Absent] = []
        for f in schema.fields where node?[f.name] != nil || !skipping.contains(f.name) {
            let p = path.isEmpty ? f.name : path + "." + f.name
            let pat = pattern.isEmpty ? f.name : pattern + "." + f.name
            let child = node?[f.name]
            if f.defaultValue?.value != nil, child == nil { out.append(Absent(path: p, pattern: pat, field: f)) }
            switch f.type {
            case .object(let o) where child != nil || !o.fields.contains(where: \.required):
                out += absentKeys(child, o, p, pat)
            case .map(.object(let o), _):
                for e in child?.entries ?? [] { out += absentKeys(e.node, o, p + "." + e.key, pat + ".*") }
            case .array(.object(let o)):
                for (i, item) in (child?.items ?? []).enumerated() { out += absentKeys(item, o, "\(p).\(i)", pat + ".[]") }
            default: break
            }
        }
        return out
    }

    /// Every key of the schema with a value default, as a pattern.
    static func defaultedPatterns(_ schema: ObjectSchema, _ pattern: String = "") -> Set<String> {
        var out: Set<String> = []
        for f in schema.fields {
            let pat = pattern.isEmpty ? f.name : pattern + "." + f.name
            if f.defaultValue?.value != nil { out.insert(pat) }
            switch f.type {
            case .object(let o): out.formUnion(defaultedPatterns(o, pat))
            case .map(.object(let o), _): out.formUnion(defaultedPatterns(o, pat + ".*"))
            case .array(.object(let o)): out.formUnion(defaultedPatterns(o, pat + ".[]"))
            default: break
            }
        }
        return out
    }

    /// The root sections not to add to the minimal scenario `name`.
    static func skipped(_ name: String) -> Set<String> { name == "queueing" ? Set(PlatformSchema.sections.map(\.name)) : [] }

    /// Everything the decoders make of a document: the typed configurations (without the
    /// document itself) or the error messages.
    static func decoded(_ tree: ConfigNode) -> String {
        do {
            var c = try ScenarioConfig.decode(tree, file: "minimal.yaml")
            c.document = ConfigNode(.null, at: tree.location)
            var errors: [ScenarioError] = []
            let platform = c.model == .platform ? PlatformConfig.decode(tree, errors: &errors) : nil
            let costs = CostsConfig.decode(tree, errors: &errors)
            return "\(c)\n\(String(describing: platform))\n\(String(describing: costs))\n\(errors.map { "\($0.path): \($0.message)" })"
        } catch {
            return error.errors.map { "\($0.path): \($0.message)" }.joined(separator: "\n")
        }
    }

    /// Another valid value than the default `text` of a key of `type`, or nil when there is
    /// no obvious one.
    static func other(_ text: String, _ type: SchemaType) -> String? {
        switch type {
        case .boolean: return text == "true" ? "false" : "true"
        case .enumeration(let v): return v.first { $0 != text }
        case .either(let alternatives):
            for case .enumeration(let v) in alternatives where v.contains(text) { return v.first { $0 != text } }
            return alternatives.first.flatMap { other(text, $0) }
        case .string: return text + "x"
        default:
            // A number with an optional unit: one more (one less at an integer maximum).
            let digits = text.prefix { $0.isNumber || $0 == "." }
            guard let v = Double(digits) else { return nil }
            var next = v + 1
            if case .integer(_, let hi?) = type, next > Double(hi) { next = v - 1 }
            let shown = next == next.rounded() ? String(Int64(next)) : String(next)
            return shown + text.dropFirst(digits.count)
        }
    }

    @Test(arguments: [("platform", platform), ("queueing", queueing)])
    func everyDefaultDecodesAsIfWritten(name: String, yaml: String) throws {
        let tree = try YAMLReader.parse(yaml, file: "\(name).yaml")
        // The minimal scenario decodes without errors (a decoder/schema mismatch is one).
        let config = try ScenarioConfig.decode(tree, file: "\(name).yaml")
        var errors: [ScenarioError] = []
        if config.model == .platform { #expect(PlatformConfig.decode(tree, errors: &errors) != nil) }
        #expect(errors.isEmpty && CostsConfig.decode(tree, errors: &errors)?.currency == (name == "platform" ? "USD" : nil) && errors.isEmpty)
        let minimal = Self.decoded(tree)
        for key in Self.absentKeys(tree, ScenarioSchema.root, skipping: Self.skipped(name)) {
            let text = try #require(key.field.defaultValue?.value)
            let written = Self.decoded(try Overrides.apply("\(key.path)=\(text)", to: tree))
            #expect(written == minimal, "\(key.path): leaving it out must decode as writing its default '\(text)'")
            let alternative = try #require(Self.other(text, key.field.type), "\(key.path): no alternative to '\(text)'")
            let changed = Self.decoded(try Overrides.apply("\(key.path)=\(alternative)", to: tree))
            #expect(changed != minimal, "\(key.path): writing '\(alternative)' instead of the default '\(text)' changes nothing: is the key read?")
        }
    }

    /// The two minimal scenarios leave out every defaulted key of the schema at least once.
    @Test func minimalScenariosReachEveryDefault() throws {
        var reached: Set<String> = []
        for (name, yaml) in [("platform", Self.platform), ("queueing", Self.queueing)] {
            reached.formUnion(Self.absentKeys(try YAMLReader.parse(yaml, file: name), ScenarioSchema.root, skipping: Self.skipped(name)).map(\.pattern))
        }
        let all = Self.defaultedPatterns(ScenarioSchema.root)
        #expect(all.subtracting(reached).sorted() == [])
        // 143 keys carried a value default (134 + regions.*.metro_scale, metros distance,
        // bearing, core_share and core_radius, kafka.consumer batch_io, record_io,
        // loops_per_pod, parallel_regions); a new one is covered by the walk above. 147: +
        // matching.expand's enabled, after, step and max_radius. 148: + matching.bundle_ready_window.
        // 150: + matching.dispatch_hold.bundling and offer_to_estimate.
        #expect(all.count == 150)
    }

    /// A default written as a fallback where a decoder reads a value (`?.durationValue ?? 5 * SimUnit.second`,
    /// `.distribution(.duration) ?? .constant(0)`) would be a second copy of the schema's default.
    static var fallback: Regex<AnyRegexOutput> { try! Regex(#"(Value|\)|\])\s*\?\?\s*(-?[0-9]|\.constant\(|true\b|false\b|"[^"]|SimUnit\.)"#) }

    @Test func decodersHoldNoFallbackLiterals() throws {
        #expect("n[\"timeout\"]?.durationValue ?? 5 * SimUnit.second".contains(Self.fallback))
        #expect("cache[\"l2\"]?[\"latency\"]?.distribution(.duration) ?? .constant(0.005)".contains(Self.fallback))
        #expect(!"n.optional(\"initial\", \\.intValue) ?? mn".contains(Self.fallback))
        let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Scenario/Model")
        let files = try FileManager.default.contentsOfDirectory(atPath: model.path).filter { $0.contains("Config") && $0.hasSuffix(".swift") }.sorted()
        #expect(files == ["ConfigNode+Values.swift", "CostsConfig.swift", "PlatformConfig+Brokers.swift", "PlatformConfig+Consumer.swift", "PlatformConfig+DatabaseFaults.swift", "PlatformConfig+Decode.swift", "PlatformConfig+Expand.swift", "PlatformConfig+Faults.swift", "PlatformConfig+Metros.swift", "PlatformConfig+Scaling.swift", "PlatformConfig.swift",
                          "QueueingConfig.swift", "ScenarioConfig.swift"])
        for file in files {
            let lines = try String(contentsOfFile: model.appendingPathComponent(file).path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated() where line.contains(Self.fallback) {
                Issue.record("\(file):\(i + 1): a literal fallback; give the key a default in the schema and read it with SchemaReader: \(line)")
            }
        }
    }

    /// A derived default is prose, for the documentation only; a value default must be
    /// valid for its own key.
    @Test func everyValueDefaultPassesItsOwnValidation() throws {
        func check(_ schema: ObjectSchema, _ path: String) {
            for f in schema.fields {
                let p = path.isEmpty ? f.name : path + "." + f.name
                if let text = f.defaultValue?.value {
                    let errors = SchemaValidator.validate(ConfigNode(.scalar(text, quoted: false), at: SourceLocation(file: p, line: 0, column: 0)), f.type, path: p)
                    #expect(errors.isEmpty, "\(p): default '\(text)': \(errors)")
                }
                switch f.type {
                case .object(let o), .map(.object(let o), _), .array(.object(let o)): check(o, p)
                default: break
                }
            }
        }
        check(ScenarioSchema.root, "")
    }
}
