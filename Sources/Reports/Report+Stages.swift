import SimCore

/// Where the time goes: the stage breakdown counters (`stages.<endpoint>@<region>.…`, written
/// by the platform model's `StageClock`) as one section instead of rows in the counter table.
///
/// Two readings of "p50/p99 by stage": the mean time in each stage of the requests whose
/// end-to-end latency is at the p50 (its 1.6 %-wide bucket) and at or above the p99 — these
/// add up to those requests' mean latency, so they say which resource the slow requests wait
/// for — and each stage's own p50 / p99 over all requests (which do not add up).
extension Report {
    /// Stage order of the model (`StageClock.Stage`); stages not listed follow by name.
    static let stageOrder = ["retry", "replica_queue", "cpu", "cache", "db_connection_wait", "db_queue", "db_service",
                             "kafka_produce", "cross_region", "other"]

    struct StageBreakdown {
        /// `place_order@us_east`.
        var endpoint: String
        /// Counter suffix (`at_p99.requests`, `cpu.p50_ms`, ...) → value.
        var values: [String: Double] = [:]
        func value(_ key: String) -> Double? { values[key] }
    }

    static func isStageCounter(_ name: String) -> Bool { name.hasPrefix("stages.") }

    /// The breakdowns by endpoint in natural order, and the stages any of them used, in model order.
    var stageBreakdowns: (rows: [StageBreakdown], stages: [String]) {
        var rows: [StageBreakdown] = []
        var stageNames = Set<String>()
        for c in NaturalOrder.sorted(counters, by: \.name) where Report.isStageCounter(c.name) {
            let rest = c.name.dropFirst("stages.".count)
            guard let at = rest.firstIndex(of: "@"), let dot = rest[at...].firstIndex(of: ".") else { continue }
            let endpoint = String(rest[..<dot]), key = String(rest[rest.index(after: dot)...])
            if rows.last?.endpoint != endpoint {
                if let i = rows.firstIndex(where: { $0.endpoint == endpoint }) { rows.append(rows.remove(at: i)) }
                else { rows.append(StageBreakdown(endpoint: endpoint)) }
            }
            rows[rows.count - 1].values[key] = c.value
            if key.hasSuffix(".at_p99_ms") { stageNames.insert(String(key.dropLast(".at_p99_ms".count))) }
        }
        rows.sort { NaturalOrder.less($0.endpoint, $1.endpoint) }
        let known = Report.stageOrder.filter { stageNames.contains($0) }
        return (rows, known + stageNames.subtracting(Report.stageOrder).sorted())
    }

    /// Table 1: per endpoint, the requests at the p50 and at/above the p99 and their mean
    /// time per stage (ms). Table 2: each stage's own p50 / p99 (ms).
    func stageTables(_ format: (Double) -> String) -> (headers: [String], rows: [[String]], ownHeaders: [String], own: [[String]])? {
        let (groups, stages) = stageBreakdowns
        guard !groups.isEmpty else { return nil }
        let headers = ["endpoint", "requests", "latency ms"] + stages
        var rows: [[String]] = []
        for g in groups {
            for p in ["p50", "p99"] {
                let label = p == "p50" ? "\(g.endpoint) at p50" : "\(g.endpoint) at ≥ p99"
                rows.append([label, g.value("at_\(p).requests").map(format) ?? "—", g.value("at_\(p).latency_ms").map(format) ?? "—"]
                            + stages.map { s in g.value("\(s).at_\(p)_ms").map(format) ?? "0" })
            }
        }
        let own = groups.map { g in
            [g.endpoint] + stages.map { s -> String in
                guard let a = g.value("\(s).p50_ms"), let b = g.value("\(s).p99_ms") else { return "—" }
                return format(a) + " / " + format(b)
            }
        }
        return (headers, rows, ["endpoint"] + stages, own)
    }

    static let stageIntro = "Mean time (ms) in each stage of the requests whose end-to-end latency is at the p50 (its bucket, 1.6 % wide) "
        + "and at or above the p99; a row adds up to its latency. No stage is left out: `other` would hold time no stage claimed."

    var stagesMarkdown: String {
        guard let t = stageTables(Report.num) else { return "" }
        var out = "## Where the time goes\n\n" + Report.stageIntro + "\n\n"
        out += Report.mdTable(t.headers, t.rows, right: Set(1..<t.headers.count)) + "\n"
        out += "Each stage's own p50 / p99 (ms, over all requests; these do not add up):\n\n"
        out += Report.mdTable(t.ownHeaders, t.own, right: Set(1..<t.ownHeaders.count)) + "\n"
        return out
    }

    func renderStages(into page: inout HTMLPage) {
        guard let t = stageTables(Report.num) else { return }
        page.heading(2, "Where the time goes", id: "stages")
        page.paragraph(Report.stageIntro, className: "meta")
        page.table(t.headers, t.rows, numeric: Set(1..<t.headers.count))
        page.paragraph("Each stage's own p50 / p99 (ms, over all requests; these do not add up).", className: "meta")
        page.table(t.ownHeaders, t.own, numeric: Set(1..<t.ownHeaders.count))
    }
}
