import SimCore

/// What differs between the scenarios two reports ran: every leaf of the resolved scenario
/// (after `extends:` and `--set`) that differs, and the run settings that make two
/// reports incomparable figure by figure.
///
/// A one-hour candidate against a 15-minute baseline moves every latency through warm-up
/// and queue build-up, not through the change under test; so do a different warm-up, seed
/// or replication count. Those are `blocking`: `check` and `compare` refuse them (exit 2)
/// unless told the change is intended (`--allow-scenario-change`).
public struct ScenarioDiff: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        /// Dotted path in the scenario (`regions.us_west.latency_target`), or `run.seed`.
        public var path: String
        /// The value on each side as JSON text, nil when absent.
        public var a: String?
        public var b: String?
        /// One of duration, warm-up, seed, replications: the figures are not comparable.
        public var blocking: Bool
    }

    public var changes: [Change]
    public var isEmpty: Bool { changes.isEmpty }
    public var blocking: [Change] { changes.filter(\.blocking) }

    /// Scenario keys that set the run's length and warm-up (a queueing model stops after
    /// `customers`): a change of any of them makes the figures incomparable.
    public static let runLength = ["duration", "warmup", "queueing.customers", "queueing.warmup_customers"]

    /// Compares two resolved scenarios and their run settings. `.null` scenarios (reports
    /// older than the resolved section) compare on the run settings only.
    public init(a: JSONValue, b: JSONValue, seedA: UInt64, seedB: UInt64, replicationsA: Int, replicationsB: Int) {
        var out: [Change] = []
        if seedA != seedB { out.append(Change(path: "run.seed", a: String(seedA), b: String(seedB), blocking: true)) }
        if replicationsA != replicationsB {
            out.append(Change(path: "run.replications", a: String(replicationsA), b: String(replicationsB), blocking: true))
        }
        if case .null = a {} else if case .null = b {} else {
            var la: [(String, String)] = [], lb: [(String, String)] = []
            ScenarioDiff.leaves(a, "", &la)
            ScenarioDiff.leaves(b, "", &lb)
            var paths: [String] = la.map(\.0)
            for (p, _) in lb where !paths.contains(p) { paths.append(p) }
            let da = ScenarioDiff.lookup(la), db = ScenarioDiff.lookup(lb)
            // `seed` and `replications` in the file are overridden by the run's own values.
            for p in paths.sorted(by: NaturalOrder.less) where p != "seed" && p != "replications" {
                let va = da[p], vb = db[p]
                if va != vb { out.append(Change(path: p, a: va, b: vb, blocking: ScenarioDiff.runLength.contains(p))) }
            }
        }
        changes = out.filter(\.blocking) + out.filter { !$0.blocking }
    }

    /// From two reports read back.
    public init(_ a: ReportSnapshot, _ b: ReportSnapshot) {
        self.init(a: a.resolved, b: b.resolved, seedA: a.seed, seedB: b.seed, replicationsA: a.replications, replicationsB: b.replications)
    }

    /// Path → value text; only read by key, so its order reaches no output.
    static func lookup(_ pairs: [(String, String)]) -> [String: String] {
        var d: [String: String] = [:]
        for (k, v) in pairs { d[k] = v }
        return d
    }

    /// Leaves of a document as (dotted path, JSON text); arrays are compared whole (a list
    /// in a scenario replaces, it does not merge).
    static func leaves(_ v: JSONValue, _ prefix: String, _ out: inout [(String, String)]) {
        if case .object(let members) = v, !members.isEmpty {
            for (k, x) in members { leaves(x, prefix.isEmpty ? k : prefix + "." + k, &out) }
        } else {
            out.append((prefix, compact(v)))
        }
    }

    /// JSON on one line (strings unquoted when they stand alone: `1h`, not `"1h"`).
    static func compact(_ v: JSONValue, top: Bool = true) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d): return Report.num(d)
        case .string(let s): return top ? s : "\"" + s + "\""
        case .array(let a): return "[" + a.map { compact($0, top: false) }.joined(separator: ", ") + "]"
        case .object(let m): return "{" + m.map { "\($0.0): " + compact($0.1, top: false) }.joined(separator: ", ") + "}"
        }
    }

    /// One line per change: `duration: 15min → 1h (blocks the comparison)`.
    public var lines: [String] {
        changes.map { c in
            "\(c.path): \(c.a ?? "(absent)") → \(c.b ?? "(absent)")" + (c.blocking ? " (figures not comparable)" : "")
        }
    }

    /// The error text when blocking changes are not allowed.
    public func refusal(_ what: String) -> String {
        "\(what): the runs differ in " + blocking.map { "\($0.path) (\($0.a ?? "absent") vs \($0.b ?? "absent"))" }.joined(separator: ", ")
            + "; their figures are not comparable (a longer run or another warm-up moves every latency). "
            + "Rerun with the same settings, or pass --allow-scenario-change to compare anyway."
    }
}
