import CapsimTestSupport
import Foundation
import Scenario
import SimCore
import Testing

/// Bad scenario files get errors naming the file, line, key path and a fix.
@Suite struct ScenarioLoadingTests {
    let dir: TemporaryDirectory

    init() throws { dir = try TemporaryDirectory(prefix: "capsim-scn") }

    func write(_ name: String, _ text: String) throws -> String {
        let p = dir.file(name)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    func errors(_ path: String, overrides: [String] = []) -> [ScenarioError] {
        do { _ = try ScenarioConfig.load(path: path, overrides: overrides); return [] }
        catch { return error.errors }
    }

    static let valid = """
        name: ok
        seed: 7
        queueing:
          customers: 100
          arrivals: [{ to: server, rate: 1/s }]
          stations:
            server: { servers: 2, service: { exponential: { mean: 1s } } }
        """

    @Test func validScenarioDecodes() throws {
        let c = try ScenarioConfig.load(path: try write("ok.yaml", Self.valid))
        #expect(c.name == "ok" && c.seed == 7 && c.model == .queueing)
        #expect(c.queueing?.stations.first?.servers == 2)
        #expect(c.queueing?.stations.first?.service == .exponential(mean: 1))
        #expect(c.queueing?.arrivals.first.map { if case .poisson(let r, _) = $0.process { return r == 1 } else { return false } } == true)
    }

    @Test func unknownKeySuggestsTheClosestName() throws {
        let p = try write("typo.yaml", Self.valid.replacingOccurrences(of: "servers: 2", with: "servres: 2"))
        let e = errors(p)
        let unknown = try #require(e.first { $0.message.contains("unknown key 'servres'") })
        #expect(unknown.location.file == p && unknown.location.line == 7)
        #expect(unknown.path == "queueing.stations.server.servres")
        #expect(unknown.fix.contains("did you mean 'servers'"))
        // The required key is now missing too, and said so.
        #expect(e.contains { $0.message.contains("missing required key 'servers'") })
    }

    @Test func badUnitsNameTheKeyAndAFix() throws {
        let p = try write("units.yaml", Self.valid.replacingOccurrences(of: "rate: 1/s", with: "rate: 60/hour")
            .replacingOccurrences(of: "mean: 1s", with: "mean: 250"))
        let e = errors(p)
        let rate = try #require(e.first { $0.path == "queueing.arrivals[0].rate" })
        #expect(rate.message.contains("unknown rate unit") && rate.fix.contains("/h") && rate.location.line == 5)
        let mean = try #require(e.first { $0.path.hasSuffix("exponential.mean") })
        #expect(mean.message.contains("has no unit") && mean.fix.contains("250s"))
    }

    @Test func unknownDistributionAndStation() throws {
        let p = try write("dist.yaml", Self.valid.replacingOccurrences(of: "exponential", with: "exponental")
            .replacingOccurrences(of: "to: server", with: "to: sever"))
        let e = errors(p)
        #expect(e.contains { $0.message.contains("unknown distribution 'exponental'") && $0.fix.contains("did you mean 'exponential'") })
        let dec = errors(try write("dist2.yaml", Self.valid.replacingOccurrences(of: "to: server", with: "to: sever")))
        #expect(dec.contains { $0.message.contains("no station called 'sever'") && $0.fix.contains("did you mean 'server'") })
    }

    @Test func yamlSyntaxErrorHasALine() throws {
        let p = try write("syntax.yaml", "name: x\nqueueing: {stations: [\n")
        let e = errors(p)
        #expect(e.count == 1 && e[0].location.line >= 2 && e[0].message.contains("YAML"))
    }

    @Test func extendsDeepMergesAndOverridesApply() throws {
        _ = try write("base.yaml", Self.valid)
        let child = try write("child.yaml", """
            extends: base.yaml
            name: child
            queueing:
              stations:
                server: { servers: 5 }
            """)
        let c = try ScenarioConfig.load(path: child)
        #expect(c.name == "child" && c.seed == 7)
        #expect(c.queueing?.stations.first?.servers == 5)
        #expect(c.queueing?.stations.first?.service == .exponential(mean: 1))  // kept from the base
        let o = try ScenarioConfig.load(path: child, overrides: ["queueing.stations.server.servers=9", "seed=11", "queueing.arrivals.0.rate=2/s"])
        #expect(o.queueing?.stations.first?.servers == 9 && o.seed == 11)
        let bad = errors(child, overrides: ["queueing.stations.server.servers=lots"])
        #expect(bad.contains { $0.location.file.contains("--set") && $0.path == "queueing.stations.server.servers" })
    }

    @Test func extendsCycleAndMissingBase() throws {
        _ = try write("a.yaml", "extends: b.yaml\nname: a\n")
        let b = try write("b.yaml", "extends: a.yaml\nname: b\n")
        #expect(errors(b).contains { $0.message.contains("extends cycle") })
        let m = try write("m.yaml", "extends: nowhere.yaml\nname: m\n")
        let e = errors(m)
        #expect(e.contains { $0.message.contains("does not exist") && $0.location.file == m && $0.location.line == 1 })
    }

    @Test func unitsParse() throws {
        #expect(try Units.duration("250ms").get() == 250 * SimUnit.millisecond)
        #expect(try Units.duration("1.5min").get() == 90 * SimUnit.second)
        #expect(try Units.duration("2h").get() == 2 * SimUnit.hour)
        #expect(try Units.rate("60000/h").get() == 60000.0 / 3600)
        #expect(abs(try Units.speed("19km/h").get() - 19000.0 / 3600) < 1e-12)
        #expect(try Units.distance("2.7km").get() == 2700)
        #expect(try Units.percentage("70%").get() == 70)
        #expect((try? Units.duration("-1s").get()) == nil)
    }

    @Test(.enabled(if: RealSystems.canRunPython("jsonschema, yaml"), "python with jsonschema and PyYAML not found (set CAPSIM_PYTHON)"))
    func jsonSchemaIsValidAndAcceptsTheBundledScenario() throws {
        // Checked with the `jsonschema` Python package (Draft 2020-12 validator), an
        // implementation independent of ours.
        let python = RealSystems.python
        let probe = try? Subprocess.run(python, ["-c", "import jsonschema, yaml"])
        guard probe?.succeeded == true else {
            if RealSystems.required { Issue.record("python with jsonschema and PyYAML is required") }
            return
        }
        let schema = dir.file("schema.json")
        try JSONSchemaWriter.document().serialized(sortedKeys: false).write(toFile: schema, atomically: true, encoding: .utf8)
        let good = try write("good.yaml", Self.valid)
        let bad = try write("bad.yaml", Self.valid.replacingOccurrences(of: "servers: 2", with: "servres: 2"))
        let script = """
            import json, sys, yaml, jsonschema
            s = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(s)
            v = jsonschema.Draft202012Validator(s)
            for f in sys.argv[2:]:
                print(f, len(list(v.iter_errors(yaml.safe_load(open(f))))))
            """
        // Every bundled scenario, including the `extends:` files that hold only what they change.
        let root = RealSystems.repositoryRoot + "/scenarios"
        let bundled = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".yaml") }.sorted().map { root + "/" + $0 }
        #expect(bundled.count >= 6 && bundled.contains { $0.hasSuffix("whatif/lost-region.yaml") })
        let partialTypo = try write("partial.yaml", "extends: base.yaml\nname: p\ncouriers: { speeed: 19km/h }\n")
        let badCPU = try write("cpu.yaml", "extends: base.yaml\nservices: { order_service: { target_cpu: 170 } }\n")
        let r = try Subprocess.check(python, ["-c", script, schema, good, bad, partialTypo, badCPU] + bundled)
        let counts = r.stdout.split(separator: "\n").map { Int($0.split(separator: " ").last!)! }
        // The typo is three errors for a validator: the unknown key (against the root's key
        // list and again against the full schema a file without `extends` must also match)
        // and the missing required key. In an extends file nothing is required, but unknown
        // keys and bad values still fail.
        #expect(counts == [0, 3, 1, 1] + Array(repeating: 0, count: bundled.count), "\(r.stdout)")
    }
}
