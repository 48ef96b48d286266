import SimCore

/// The incident timeline: one row per scheduled fault (`faults:`), read from the model's
/// counters `fault.<i>.<kind>@<where>.<field>` (so replications average them like any
/// counter): when it started, was detected, mitigated (clients moved, consumer group whole
/// again) and recovered; the client calls that failed and the retries in its window; and the
/// minutes in that window in which a latency SLO was breached (from the SLO's per-interval
/// series: an interval counts when any SLO's statistic is beyond its limit).
extension Report {
    public struct Incident: Sendable, Equatable {
        public var index: Int
        public var kind: String
        public var place: String
        /// Seconds of simulated time; nil when the run ended first.
        public var start: Double
        public var detected: Double?
        public var mitigated: Double?
        public var recovered: Double?
        public var failedRequests: Double
        public var retries: Double
        /// Minutes of the window (start to recovery or the end of the run) with an SLO
        /// breached; nil without a latency SLO series to read.
        public var sloMinutesBreached: Double?
        /// The same per SLO (`<metric> <stat>`), in scenario order, so an SLO already breached
        /// before the fault can be told apart from one the fault breaks.
        public var sloMinutesBySLO: [(slo: String, minutes: Double)] = []
        /// What else the fault did, by kind (`fault.<i>.<kind>@<where>.<field>` beyond the
        /// fields above): writes delayed and acknowledged writes lost by a shard failover,
        /// writes, answers and calls delayed or failed by a partition; in counter order.
        public var impact: [(name: String, value: Double)] = []

        public static func == (a: Incident, b: Incident) -> Bool {
            a.index == b.index && a.kind == b.kind && a.place == b.place && a.start == b.start && a.detected == b.detected
                && a.mitigated == b.mitigated && a.recovered == b.recovered && a.failedRequests == b.failedRequests
                && a.retries == b.retries && a.sloMinutesBreached == b.sloMinutesBreached
                && a.sloMinutesBySLO.map(\.slo) == b.sloMinutesBySLO.map(\.slo) && a.sloMinutesBySLO.map(\.minutes) == b.sloMinutesBySLO.map(\.minutes)
                && a.impact.map(\.name) == b.impact.map(\.name) && a.impact.map(\.value) == b.impact.map(\.value)
        }
    }

    /// The incidents, in schedule order.
    public var incidents: [Incident] {
        var out: [Incident] = []
        for c in counters where c.name.hasPrefix("fault.") {
            let rest = c.name.dropFirst("fault.".count)
            guard let dot = rest.firstIndex(of: "."), let index = Int(rest[..<dot]), let last = rest.lastIndex(of: "."), last > dot else { continue }
            let what = rest[rest.index(after: dot)..<last], field = String(rest[rest.index(after: last)...])
            let kind = String(what.prefix { $0 != "@" }), place = String(what.drop { $0 != "@" }.dropFirst())
            var k = out.firstIndex { $0.index == index } ?? -1
            if k < 0 {
                out.append(Incident(index: index, kind: kind, place: place, start: 0, failedRequests: 0, retries: 0))
                k = out.count - 1
            }
            switch field {
            case "start_s": out[k].start = c.value
            case "detected_s": out[k].detected = c.value
            case "mitigated_s": out[k].mitigated = c.value
            case "recovered_s": out[k].recovered = c.value
            case "failed_requests": out[k].failedRequests = c.value
            case "retries": out[k].retries = c.value
            default: out[k].impact.append((field, c.value))
            }
        }
        out.sort { $0.index < $1.index }
        for k in out.indices {
            let (total, each) = sloMinutes(from: out[k].start, to: out[k].recovered ?? SimUnit.seconds(simulatedTime))
            out[k].sloMinutesBreached = total
            out[k].sloMinutesBySLO = each
        }
        return out
    }

    /// Minutes of [from, to) (seconds) in intervals where a latency SLO's series is beyond its
    /// limit; nil when no objective has a series.
    func sloMinutes(from: Double, to: Double) -> (Double?, [(slo: String, minutes: Double)]) {
        var breached: [SimTime] = []
        var step: SimTime = 0
        var each: [(slo: String, minutes: Double)] = []
        for o in objectives {
            guard let s = series.first(where: { $0.name == "\(o.metric).\(o.stat)" })?.series, s.times.count > 1 else { continue }
            step = s.times[1] - s.times[0]
            var mine = 0
            for (t, v) in zip(s.times, s.values) where SimUnit.seconds(t + step) > from && SimUnit.seconds(t) < to && v.isFinite && !o.holds(v) {
                breached.append(t)
                mine += 1
            }
            each.append(("\(o.metric) \(o.stat)", Double(mine) * SimUnit.seconds(step) / 60))
        }
        guard !each.isEmpty else { return (nil, []) }
        return (Double(Set(breached).count) * SimUnit.seconds(step) / 60, each)
    }

    var incidentsJSON: JSONValue {
        .array(incidents.map { i in
            let opt = { (x: Double?) in x.map(Report.round6) ?? .null }
            return .object([("fault", .integer(Int64(i.index))), ("kind", .string(i.kind)), ("where", .string(i.place)),
                            ("start_s", Report.round6(i.start)), ("detected_s", opt(i.detected)), ("mitigated_s", opt(i.mitigated)),
                            ("recovered_s", opt(i.recovered)), ("detection_s", opt(i.detected.map { $0 - i.start })),
                            ("recovery_s", opt(i.recovered.map { $0 - i.start })),
                            ("failed_requests", Report.round6(i.failedRequests)), ("retries", Report.round6(i.retries)),
                            ("slo_minutes_breached", opt(i.sloMinutesBreached)),
                            ("slo_minutes_by_slo", .object(i.sloMinutesBySLO.map { ($0.slo, Report.round6($0.minutes)) }))]
                           + (i.impact.isEmpty ? [] : [("impact", .object(i.impact.map { ($0.name, Report.round6($0.value)) }))]))
        })
    }

    static let incidentHeaders = ["fault", "where", "start", "detected", "mitigated", "recovered", "failed requests", "retries", "SLO minutes breached"]

    /// The headers, with an `impact` column when an incident has one (data lost, writes delayed).
    var incidentColumns: [String] { Report.incidentHeaders + (incidents.contains { !$0.impact.isEmpty } ? ["impact"] : []) }

    /// An incident's impact fields as `name value; ...` (underscores as spaces).
    static func impactText(_ i: Incident, _ format: (Double) -> String) -> String {
        i.impact.map { "\($0.name.replacingOccurrences(of: "_", with: " ")) \(format($0.value))" }.joined(separator: "; ")
    }

    /// Times as `mm:ss` of simulated time (`+x s` after the start for the later ones).
    func incidentRows(_ format: (Double) -> String) -> [[String]] {
        func at(_ t: Double?, _ start: Double) -> String {
            guard let t else { return "not reached" }
            return DurationFormat.short(SimUnit.fromSeconds(t)) + " (+\(format(t - start)) s)"
        }
        let withImpact = incidents.contains { !$0.impact.isEmpty }
        return incidents.map { i in
            let row = ["\(i.index) \(i.kind)", i.place, DurationFormat.short(SimUnit.fromSeconds(i.start)), at(i.detected, i.start), at(i.mitigated, i.start),
             at(i.recovered, i.start), format(i.failedRequests), format(i.retries),
             i.sloMinutesBreached.map { total in format(total) + (i.sloMinutesBySLO.isEmpty ? "" : " (" + i.sloMinutesBySLO.map { "\($0.slo): \(format($0.minutes))" }.joined(separator: "; ") + ")") } ?? "no SLO series"]
            return withImpact ? row + [Report.impactText(i, format)] : row
        }
    }

    var incidentMarkdown: String {
        let rows = incidentRows(Report.num)
        guard !rows.isEmpty else { return "" }
        return "## Incidents\n\nEach scheduled fault: start, detection (health checks), mitigation (clients moved, consumer group whole), "
            + "recovery; client calls failed and retries from its start to its recovery.\n\n"
            + Report.mdTable(incidentColumns, rows, right: [6, 7, 8]) + "\n"
    }

    func renderIncidents(into page: inout HTMLPage) {
        let rows = incidentRows(Report.num)
        guard !rows.isEmpty else { return }
        page.heading(2, "Incidents", id: "incidents")
        page.paragraph("Each scheduled fault: start, detection, mitigation, recovery (times of simulated time, + seconds after the start); "
                       + "client calls failed and retries from its start to its recovery. The charts mark outages, failovers and recoveries.",
                       className: "meta")
        page.table(incidentColumns, rows, numeric: [6, 7, 8])
    }
}
