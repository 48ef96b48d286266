import CapsimTestSupport
import Foundation

/// One generated hostile input: files to write under a case folder and the capsim
/// arguments that run them (`{OUT}` stands for the case's report folder).
struct FuzzCase: Sendable {
    enum Kind: String, Sendable { case scenario, trace, mdrp }
    var kind: Kind
    var id: Int
    /// What was mutated, for the failure message (so a failing case can be rebuilt).
    var mutations: [String]
    /// Relative path → content.
    var files: [(path: String, text: String)]
    var arguments: [String]
}

/// A seeded generator of mutated scenario files, order traces and MDRP instances, starting
/// from the bundled scenarios and the small MDRP fixture. Case `i` of seed `s` is the same
/// on every run, so a failure is reproduced by its id alone.
struct FuzzCaseGenerator {
    let scenarios: [(path: String, text: String)]
    let mdrp: [(name: String, text: String)]

    init(repository root: String) throws {
        var found: [(String, String)] = []
        let base = root + "/scenarios"
        let walker = FileManager.default.enumerator(atPath: base)
        while let rel = walker?.nextObject() as? String {
            if rel.hasSuffix(".yaml") { found.append((rel, try String(contentsOfFile: base + "/" + rel, encoding: .utf8))) }
        }
        scenarios = found.sorted { $0.0 < $1.0 }
        let fixture = root + "/Tests/Fixtures/mdrp/capsim-small"
        mdrp = try ["orders.txt", "restaurants.txt", "couriers.txt", "instance_parameters.txt"].map {
            ($0, try String(contentsOfFile: fixture + "/" + $0, encoding: .utf8))
        }
    }

    /// Case `id`: about 80 % scenario files, 10 % traces, 10 % MDRP instances.
    func make(_ id: Int, seed: UInt64) -> FuzzCase {
        var rng = SplitMix64(seed: seed &+ UInt64(id) &* 0x9E37_79B9)
        let roll = rng.below(10)
        if roll == 0 { return trace(id, &rng) }
        if roll == 1 { return mdrpCase(id, &rng) }
        return scenario(id, &rng)
    }

    /// Every run is short: two simulated minutes at most, and a work limit low enough that a
    /// release build finishes in seconds (a case over it must be refused with its estimate).
    static func runArguments(_ file: String, _ rng: inout SplitMix64) -> [String] {
        let duration = ["10s", "30s", "2min"][rng.below(3)]
        var args = ["run", file, "--out", "{OUT}", "--quiet", "--threads", "1", "--set", "duration=\(duration)",
                    "--set", "limits.max_events=5000000", "--set", "limits.max_memory=1024"]
        if rng.below(5) != 0 { args += ["--set", "warmup=0s"] }
        return args
    }

    // MARK: scenario files

    func scenario(_ id: Int, _ rng: inout SplitMix64) -> FuzzCase {
        // Half the cases mutate the baseline (the largest file, every platform section).
        let baseline = scenarios.firstIndex { $0.path == "baseline.yaml" } ?? 0
        let (path, original) = scenarios[rng.below(2) == 0 ? baseline : rng.below(scenarios.count)]
        var lines = original.components(separatedBy: "\n")
        var mutations: [String] = []
        for _ in 0..<(1 + rng.below(2)) { mutations.append(Self.mutate(&lines, &rng)) }
        let dir = (path as NSString).deletingLastPathComponent
        let name = (dir.isEmpty ? "" : dir + "/") + "fuzz-\(id).yaml"
        return FuzzCase(kind: .scenario, id: id, mutations: ["\(path): "] + mutations,
                        files: [(name, lines.joined(separator: "\n"))], arguments: Self.runArguments(name, &rng))
    }

    /// Hostile scalars: non-finite, huge, tiny, negative, wrong types and units, bad dates.
    static let hostile = [
        "-1", "0", "1e300", "1e400", "inf", "-inf", ".inf", ".nan", "nan", "NaN", "1e300h", "106752d", "0s", "-5s",
        "1e-300km/h", "1e-300km", "1e-300", "9223372036854775807", "4611686018427387904", "-9223372036854775808",
        "2^62", "abc", "''", "[]", "{}", "~", "true", "1e9/s", "1e12/s", "1e-300/h", "0/h", "0.0000001ms", "170", "100%",
        "1e308", "2024-02-30", "2023-02-29", "0000-01-01", "10000000", "1_000_000_000", "-0", "0x10", "3650d",
        "3651d", "100000000h", "1ns", "1e-9ns", "0km/h", "100000km/h", "1e6km", "40000km", "0m", "1furlong",
        "\"quoted 5s\"", "[1, 2, 3]", "{ a: 1 }", "&anchor 5", String(repeating: "9", count: 400),
        "{ pareto: { alpha: 0.5, minimum: 1ms } }", "{ pareto: { alpha: 1.0001, minimum: 1ms } }",
        "{ lognormal: { median: 1e300ms, sigma: 1e300 } }", "{ lognormal: { median: 3650d, sigma: 4 } }",
        "{ weibull: { shape: 0.01, scale: 1s } }", "{ gamma: { shape: 1e-9, scale: 1s } }",
        "{ exponential: { rate: 1e-300/s } }", "{ empirical: { values: [] } }", "{ cdf: { points: [[1s, 0.5]] } }",
        "{ uniform: { min: 5s, max: 1s } }", "{ normal: { mean: -100s, sd: 1s } }", "{ constant: { value: 1e300s } }",
    ]

    /// Extreme values the schema accepts, by key name.
    static let extremes: [String: [String]] = [
        "count": ["10000000", "1", "100000"], "customers": ["100000000", "1"], "orders_per_hour": ["1000000000/h", "1e9/s", "0/h", "1/d"],
        "partitions": ["100000", "1"], "shards": ["4096", "1"], "max": ["100000", "1"], "min": ["100000", "1"],
        "initial": ["100000"], "capacity": ["10000000", "0"], "cores": ["256", "1"], "retries": ["10"],
        "bundle_size": ["8"], "ping_idle": ["100ms", "3650d"], "ping_trip": ["100ms"], "interval": ["100ms", "1s", "3650d"],
        "servers": ["1000000", "1"], "speed": ["0.1km/h", "1000km/h"], "city_radius": ["100m", "500km"],
        "delivery_radius": ["1m", "500km"], "radius": ["1m", "1000km"], "menu_views_per_order": ["1000"],
        "history_views_per_order": ["1000"], "history_range": ["3650d"], "read_replicas": ["100", "0"],
        "replication": ["16"], "session_ttl": ["1ns", "3650d"], "timeout": ["0s", "3650d"], "rise": ["100"], "fall": ["100"],
        "target_cpu": ["0.001", "100"], "zipf_exponent": ["5", "0"], "replications": ["1000", "2"], "warmup": ["auto", "0s"],
        "epoch": ["\"9999-12-31\"", "\"0001-01-01\"", "\"2024-02-29\""], "connections_per_shard": ["1", "100000"],
        "startup": ["0s", "3650d"], "readiness": ["0s"], "cancel_after": ["0s", "3650d"], "retry_backoff": ["3650d"],
    ]

    static let keyLine = try! NSRegularExpression(pattern: #"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_.-]*):(\s*)(.*)$"#)
    static let number = try! NSRegularExpression(pattern: #"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?"#)

    static func groups(_ line: String) -> [String]? {
        let ns = line as NSString
        guard let m = keyLine.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { return nil }
        return (1...4).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }
    }

    /// Applies one mutation to the file's lines and says which.
    static func mutate(_ lines: inout [String], _ rng: inout SplitMix64) -> String {
        let keyed = lines.indices.filter { groups(lines[$0]) != nil }
        guard !keyed.isEmpty else { lines.append("x: 1"); return "append" }
        let i = keyed[rng.below(keyed.count)]
        let g = groups(lines[i])!
        let value = g[3].components(separatedBy: " #").first ?? g[3]
        switch rng.below(16) {
        case 0, 1, 2, 3:  // a hostile scalar in place of the value (a whole mapping when the value was one)
            let v = hostile[rng.below(hostile.count)]
            lines[i] = "\(g[0])\(g[1]): \(v)"
            return "line \(i + 1): \(g[1]) = \(v)"
        case 4, 5, 6, 7:  // one number inside the value scaled, negated or replaced
            let ns = value as NSString
            let ms = number.matches(in: value, range: NSRange(location: 0, length: ns.length))
            guard !ms.isEmpty else { return mutate(&lines, &rng) }
            let m = ms[rng.below(ms.count)]
            let replacement = ["1e300", "-1", "0", "1e-300", "1e400", "99999999999", "1e15", "0.000001", "nan"][rng.below(9)]
            let v = ns.replacingCharacters(in: m.range, with: replacement)
            lines[i] = "\(g[0])\(g[1]): \(v)"
            return "line \(i + 1): \(g[1]) = \(v)"
        case 8, 9, 10:  // an extreme value the schema accepts
            let options = extremes[g[1]] ?? hostile
            let v = options[rng.below(options.count)]
            lines[i] = "\(g[0])\(g[1]): \(v)"
            return "line \(i + 1): \(g[1]) = \(v) (extreme)"
        case 11:
            lines.remove(at: i)
            return "line \(i + 1): deleted"
        case 12:
            lines.insert(lines[i], at: i)
            return "line \(i + 1): duplicated"
        case 13:  // a typo in the key
            var k = Array(g[1])
            if k.count > 2 { k.swapAt(1, 2) } else { k.append("x") }
            lines[i] = "\(g[0])\(String(k)):\(g[2])\(g[3])"
            return "line \(i + 1): key \(String(k))"
        case 14 where rng.below(2) == 0:  // type swap: a list or mapping where a scalar was, or a scalar where a block was
            let v = ["[\(value)]", "{ v: \(value) }", "- \(value)", "|\n\(g[0])  text"][rng.below(4)]
            lines[i] = "\(g[0])\(g[1]): \(v)"
            return "line \(i + 1): \(g[1]) = \(v)"
        case 14:
            return yamlTrick(&lines, i, g, &rng)
        default:  // indentation broken
            lines[i] = (rng.below(2) == 0 ? "\t" : " ") + lines[i]
            return "line \(i + 1): indented"
        }
    }

    /// Aliases (a billion-laughs bomb and honest reuse), deep nesting, odd documents.
    static func yamlTrick(_ lines: inout [String], _ i: Int, _ g: [String], _ rng: inout SplitMix64) -> String {
        switch rng.below(7) {
        case 0:
            var bomb = ["lol0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
            for k in 1...9 { bomb.append("lol\(k): &l\(k) [" + Array(repeating: "*l\(k - 1)", count: 10).joined(separator: ", ") + "]") }
            lines.insert(contentsOf: bomb, at: 0)
            return "alias bomb"
        case 1:
            let depth = [70, 1000, 20000][rng.below(3)]
            lines[i] = "\(g[0])\(g[1]): " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            return "line \(i + 1): nesting \(depth)"
        case 2:
            lines[i] = "\(g[0])\(g[1]): &a \(g[3])"
            lines.append("\(g[1])_again: *a")
            return "line \(i + 1): anchor and alias"
        case 3:
            lines[i] = "\(g[0])\(g[1]): *undefined"
            return "line \(i + 1): undefined alias"
        case 4:
            lines.append("---")
            lines.append("name: second")
            return "two documents"
        case 5:
            lines[i] = "\(g[0])\(g[1]): \"\u{0}\u{FEFF}\(String(repeating: "é", count: 3000))\""
            return "line \(i + 1): long odd text"
        default:
            lines[i] = "\(g[0])? [\(g[1])]\n\(g[0]): \(g[3])"
            return "line \(i + 1): complex key"
        }
    }

    // MARK: traces

    /// A baseline-derived scenario whose orders come from a generated trace with hostile rows.
    func trace(_ id: Int, _ rng: inout SplitMix64) -> FuzzCase {
        let columns = ["placement_time", "ready_time", "order", "restaurant", "restaurant_lon", "restaurant_lat", "customer_lon", "customer_lat"]
        let clean = rng.below(3) == 0
        var header = columns
        if !clean, rng.below(6) == 0 { header.remove(at: rng.below(header.count)) }
        if !clean, rng.below(8) == 0 { header.swapAt(rng.below(header.count), rng.below(header.count)) }
        var rows = [header.joined(separator: ",")]
        let bad = ["", "-1", "1e300", "nan", "inf", "1e18", "106752d", "x", "200", "-200", "91", "1e400", "\"", "1,2", "12.5min", "3650d"]
        var mutations: [String] = []
        let n = 5 + rng.below(60)
        for r in 0..<n {
            let t = Double(r) * 1.5
            var f = ["\(t)", "\(t + 600)", "o\(r)", "r\(r % 7)", "-73.99", "40.73",
                     String(format: "%.4f", -73.99 + Double(rng.below(100)) / 5000), String(format: "%.4f", 40.73 + Double(rng.below(100)) / 5000)]
            if !clean, rng.below(25) == 0 {
                let c = rng.below(f.count), v = bad[rng.below(bad.count)]
                f[c] = v
                mutations.append("row \(r + 2) \(columns[c]) = \(v)")
            }
            if !clean, rng.below(60) == 0 { f.removeLast(); mutations.append("row \(r + 2) short") }
            rows.append(f.prefix(header.count).joined(separator: ","))
        }
        if !clean, rng.below(10) == 0 { rows.append(rows[rows.count - 1]); mutations.append("duplicated last row") }
        let scenario = "extends: baseline.yaml\nname: fuzz-\(id)\ndemand:\n  trace: fuzz-\(id).csv\n"
        var rngArgs = rng
        return FuzzCase(kind: .trace, id: id, mutations: mutations,
                        files: [("fuzz-\(id).csv", rows.joined(separator: "\n") + "\n"), ("fuzz-\(id).yaml", scenario)],
                        arguments: Self.runArguments("fuzz-\(id).yaml", &rngArgs))
    }

    // MARK: MDRP instances

    /// The small MDRP fixture with hostile fields, rows and columns.
    func mdrpCase(_ id: Int, _ rng: inout SplitMix64) -> FuzzCase {
        var files = mdrp
        var mutations: [String] = []
        let values = ["-1", "0", "153722868", "5256001", "1e300", "1e308", "nan", "inf", "", "x", "99999999999999999999", "1.5",
                      "9223372036854775807", "-9223372036854775808", "1e-300", "1000000", "1000001", "10080", "10081"]
        for _ in 0..<(1 + rng.below(3)) {
            let f = rng.below(files.count)
            var lines = files[f].text.components(separatedBy: "\n").filter { !$0.isEmpty }
            let r = rng.below(lines.count)
            var fields = lines[r].components(separatedBy: "\t")
            switch rng.below(6) {
            case 0, 1, 2:
                let c = rng.below(fields.count), v = values[rng.below(values.count)]
                fields[c] = v
                lines[r] = fields.joined(separator: "\t")
                mutations.append("\(files[f].name) line \(r + 1) field \(c + 1) = \(v)")
            case 3:
                lines.remove(at: r)
                mutations.append("\(files[f].name) line \(r + 1) deleted")
            case 4:
                lines.insert(lines[r], at: r)
                mutations.append("\(files[f].name) line \(r + 1) duplicated")
            default:
                fields.removeLast()
                lines[r] = fields.joined(separator: "\t")
                mutations.append("\(files[f].name) line \(r + 1) short")
            }
            files[f].text = lines.joined(separator: "\n") + "\n"
        }
        var args = ["replay", "mdrp", "fuzz-\(id)", "--out", "{OUT}", "--policy", ["greedy", "batched", "bundled", "all"][rng.below(4)]]
        if rng.below(5) == 0 { args += ["--batch-interval", ["0", "1", "100000000", "10081", "-5"][rng.below(5)]] }
        if rng.below(6) == 0 { args += ["--max-bundle", ["0", "1", "8", "9", "100"][rng.below(5)]] }
        return FuzzCase(kind: .mdrp, id: id, mutations: mutations + [args.suffix(from: 5).joined(separator: " ")],
                        files: files.map { ("fuzz-\(id)/" + $0.name, $0.text) }, arguments: args)
    }
}
