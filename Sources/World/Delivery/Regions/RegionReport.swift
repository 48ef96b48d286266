import Scenario
import SimCore

/// The report of a parallel run (`parallel_regions`), merged from the regions' instances in
/// region order. A metric or finding that names a region (its first region name, as a whole
/// word: `place_order@us_west.latency`, `order_service@eu_west...`) comes from that region's
/// instance, which ran everything of that region. The database's shards and their findings come
/// from the primary's instance (every write reaches the shards there). Everything else is
/// summed (counters, histograms exactly, element-wise series), and what is a ratio or a
/// bound is recomputed from the summed raw counts, never averaged.
enum RegionReport {
    /// Global counters recomputed after the sums (below), or the same in every instance.
    static let recomputed: Set<String> = ["orders.cancel_ratio", "db.stale_read_ratio", "db.partitions_per_history_query",
                                          "click_to_door.all_orders.p50_lower_bound", "click_to_door.all_orders.p90_lower_bound",
                                          "click_to_door.all_orders.p99_lower_bound"]
    static let same: Set<String> = ["regions.lookahead_ms"]
    /// Counters and findings of the shards, all on the primary.
    static let primaryCodes: Set<String> = ["shard_skew", "connection_limit_exceeded", "hot_shard"]
    static func onPrimary(_ name: String) -> Bool {
        name.hasPrefix("db.shard.") || name == "db.connection_waits" || name == "db.time_partitions_touched"
            || name == "db.cross_region_writes" || name == "db.write"
    }
    /// Findings rebuilt from the merged figures.
    static let recomputedCodes: Set<String> = ["censored", "too_short", "cancellations", "stale_reads"]

    /// The region a name or message belongs to: the first whole-word region name in it.
    static func owner(_ text: String, _ names: [String]) -> Int? {
        var best: (at: String.Index, region: Int)?
        for (r, n) in names.enumerated() {
            var from = text.startIndex
            while let hit = text.range(of: n, range: from..<text.endIndex) {
                let before = hit.lowerBound == text.startIndex ? nil : text[text.index(before: hit.lowerBound)]
                let after = hit.upperBound == text.endIndex ? nil : text[hit.upperBound]
                let word: (Character?) -> Bool = { c in c.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
                if !word(before) && !word(after) {
                    if best == nil || hit.lowerBound < best!.at { best = (hit.lowerBound, r) }
                    break
                }
                from = hit.upperBound
            }
        }
        return best?.region
    }

    static func merge(_ parts: [RunMetrics], _ model: PlatformSimulation) -> RunMetrics {
        if parts.count == 1 { return parts[0] }  // one region: its instance ran everything
        let config = model.config
        let names = config.regions.map(\.name), primary = config.primaryRegion
        func source(_ name: String) -> Int? { onPrimary(name) ? primary : owner(name, names) }
        var m = RunMetrics()
        let first = parts[0]
        // By name, in order of first appearance (instances may differ in state-dependent keys).
        func merged<T>(_ entries: (RunMetrics) -> [(String, T)], _ combine: (String, [T]) -> T?) -> [(String, T)] {
            var order: [String] = [], byName: [[String: T]] = []
            var known = Set<String>()
            for p in parts {
                var d: [String: T] = [:]
                for (n, v) in entries(p) {
                    d[n] = v
                    if known.insert(n).inserted { order.append(n) }
                }
                byName.append(d)
            }
            return order.compactMap { n in
                if let r = source(n) { return byName[r][n].map { (n, $0) } }
                return combine(n, byName.compactMap { $0[n] }).map { (n, $0) }
            }
        }
        m.latencies = merged({ $0.latencies.map { ($0.name, $0.histogram) } }) { _, hs in
            var h = hs[0]
            for other in hs.dropFirst() { h.merge(other) }
            return h
        }.map { (name: $0.0, histogram: $0.1) }
        m.counters = merged({ $0.counters.map { ($0.name, $0.value) } }) { n, vs in same.contains(n) ? vs[0] : vs.reduce(0, +) }
            .map { (name: $0.0, value: $0.1) }
        m.gauges = merged({ $0.gauges.map { ($0.name, $0.gauge) } }) { _, gs in gs[0] }.map { (name: $0.0, gauge: $0.1) }
        m.series = merged({ $0.series.map { ($0.name, $0.series) } }) { _, ss in
            var s = ss[0]
            for other in ss.dropFirst() where other.times == s.times {
                for k in s.values.indices { s.values[k] += other.values[k] }
            }
            return s
        }.map { (name: $0.0, series: $0.1) }
        recompute(&m, parts, model)
        // In time order (ties: region order); one a every instance made alike (a global event) once.
        var markers: [RunMetrics.Marker] = []
        for mk in parts.flatMap(\.markers).enumerated().sorted(by: { $0.element.time != $1.element.time ? $0.element.time < $1.element.time : $0.offset < $1.offset })
        where !markers.contains(where: { $0 == mk.element }) { markers.append(mk.element) }
        m.markers = markers
        for inv in first.invariants {
            let all = parts.compactMap { p in p.invariants.first { $0.name == inv.name } }
            let details = all.map(\.detail)
            let detail = Set(details).count == 1 ? details[0] : zip(names, details).map { "\($0): \($1)" }.joined(separator: "; ")
            m.invariant(inv.name, all.allSatisfy(\.holds), detail)
        }
        if let k = m.invariants.firstIndex(where: { $0.name == "order_conservation" }) {
            let merged = m
            func c(_ n: String) -> Int { Int(merged.counterValue(n) ?? 0) }
            let placed = c("orders.placed"), delivered = c("orders.delivered"), cancelled = c("orders.cancelled"), inFlight = c("orders.in_flight")
            m.invariants[k] = ("order_conservation", placed == delivered + cancelled + inFlight,
                               "placed \(placed) = delivered \(delivered) + cancelled \(cancelled) + in flight \(inFlight)")
        }
        mergeFindings(&m, parts, model)
        m.eventsProcessed = parts.reduce(0) { $0 + $1.eventsProcessed }
        m.simulatedTime = first.simulatedTime
        m.warmupCut = first.warmupCut
        return m
    }

    /// Ratios and bounds from the summed counts and merged histograms.
    static func recompute(_ m: inout RunMetrics, _ parts: [RunMetrics], _ model: PlatformSimulation) {
        func value(_ n: String) -> Double { m.counterValue(n) ?? 0 }
        func set(_ n: String, _ v: Double) { if let k = m.counters.firstIndex(where: { $0.name == n }) { m.counters[k].value = v } }
        set("orders.cancel_ratio", value("orders.placed") == 0 ? 0 : value("orders.cancelled") / value("orders.placed"))
        set("db.stale_read_ratio", value("db.status_reads") == 0 ? 0 : value("db.stale_reads") / value("db.status_reads"))
        let queries = value("db.history_queries")
        // Weighted by each instance's queries (one instance with queries: its value as it was).
        let asked = parts.filter { ($0.counterValue("db.history_queries") ?? 0) > 0 }
        let scanned = asked.reduce(0.0) { $0 + ($1.counterValue("db.partitions_per_history_query") ?? 0) * ($1.counterValue("db.history_queries") ?? 0) }
        set("db.partitions_per_history_query", asked.count == 1 ? asked[0].counterValue("db.partitions_per_history_query") ?? 0 : queries == 0 ? 0 : scanned / queries)
        var censored = RunMetrics()
        let merged = m
        func h(_ n: String) -> LatencyHistogram { merged.histogram(n) ?? LatencyHistogram() }
        PlatformSimulation.reportCensored(&censored, ages: h("click_to_door.censored_age"), clickToDoor: h("click_to_door"),
                                          matchingDelay: h("matching_delay"), foodWait: h("courier.wait_for_food"))
        for c in censored.counters { set(c.name, c.value) }
        m.findings = censored.findings
    }

    /// Findings: a region's from its instance, the shards' from the primary's, the rest rebuilt
    /// (`recomputedCodes`) or, when every instance found the same, once.
    static func mergeFindings(_ m: inout RunMetrics, _ parts: [RunMetrics], _ model: PlatformSimulation) {
        let config = model.config
        let names = config.regions.map(\.name)
        var seen = Set<String>()
        for (r, p) in parts.enumerated() {
            for f in p.findings where !recomputedCodes.contains(f.code) {
                let from = primaryCodes.contains(f.code) ? config.primaryRegion : owner(f.message, names)
                guard from == nil ? seen.insert(f.code + "\u{1}" + f.message).inserted : from == r else { continue }
                m.findings.append(f)
            }
        }
        let merged = m
        func c(_ n: String) -> Int { Int(merged.counterValue(n) ?? 0) }
        OrdersDatabase.findStaleReads(&m, staleReads: c("db.stale_reads"), statusReads: c("db.status_reads"), config: config)
        PlatformSimulation.findCancellations(&m, cancelled: c("orders.cancelled"), placed: c("orders.placed"), cancelAfter: config.cancelAfter)
    }
}
