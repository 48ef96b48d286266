/// Findings in plain words: what each advisor code means as a cause, and what to change.
///
/// The model's advisor writes findings as (severity, code, message); the report groups them
/// by code under these titles, worst first, and lists each group's advice once under
/// "What to change". Unknown codes keep their code as the title and get no advice.
public enum FindingGuide {
    /// (title, advice) per code.
    static let entries: [(code: String, title: String, advice: String)] = [
        ("cross_region_writes", "Writes cross regions to the primary database",
         "Every write from a region without the primary pays the round trip to it. Serve writes in-region (a primary per region or a regional write queue acknowledged locally), or set a latency target that includes the round trip."),
        ("slo_at_risk", "Latency over (or near) the region's target",
         "See the causes above; when none is listed, add capacity to the service on the path (replicas, cores) or shorten the path (caches, fewer round trips)."),
        ("pinned_at_max_replicas", "Autoscaler pinned at its maximum",
         "Raise the service's max replicas (and check the database and Kafka partitions can take the extra consumers), or lower the CPU per request."),
        ("consumers_capped_by_partitions", "More consumers than partitions",
         "Add partitions to the topic (consumers beyond the partition count sit idle), or cap the service's replicas at the partition count."),
        ("connection_limit_exceeded", "Database connections exhausted",
         "Raise connections per shard (or add a pooler), or add shards."),
        ("consumer_stall", "Consumer group stalled by rebalances",
         "Shorten the session timeout, use cooperative (incremental) rebalancing, or avoid crashing consumers in bulk."),
        ("cancellations", "Orders cancelled unmatched",
         "Add couriers at the peak or widen the matching radius."),
        ("stale_reads", "Reads behind the write the client saw",
         "Read your own writes from the primary for a short window, or wait for the replica's LSN."),
        ("l1_slower_than_l2", "Local cache slower than Redis",
         "Check the L1 latency setting; an L1 slower than L2 only adds latency."),
        ("retries", "Client retries", "Retries hide failures but add load; fix the failures behind them (timeouts, crashes)."),
        ("partition_skew", "Uneven Kafka partitions", "Choose a key with more distinct values, or more partitions."),
        ("shard_skew", "Uneven database shards", "Choose a shard key with more distinct values."),
        ("hot_shard", "The busiest database shard", "Add shards or cores per shard, or choose a shard key (database.shard_key) that spreads the hot rows."),
        ("sticky_sessions_after_scale_out", "Sticky sessions keep the load on the old pods after a scale-out",
         "New pods receive only new sessions: shorten the session cookie's lifetime (load_balancer.session_ttl), rebalance sessions on scale-out, or scale out earlier (a lower CPU target) so the old pods are not saturated when it happens."),
        ("consumers_off_cpu", "Consumers busy on I/O while their CPU looks idle",
         "Scale the consumers on their lag (services.<service>.scale_on.lag_per_pod, an External metric such as KEDA's Kafka scaler) instead of CPU alone, or pipeline their writes (one round trip per batch, kafka.consumer.batch_io) so a loop takes more records per second."),
        ("history_fan_out", "Order-history queries scan every shard",
         "Partition or index by customer for per-customer queries, or keep a per-customer read model."),
        ("censored", "Orders still in flight at the end (percentiles only lower bounds)",
         "Add `demand.drain:` (no new orders for the run's last stretch, longer than click-to-door p99) or run longer; click_to_door.all_orders counts every order, its marked percentiles are lower bounds."),
        ("too_short", "Too few samples for a printed percentile",
         "Run longer (or at a busier hour): a p-th percentile needs at least 100 / (100 − p) samples after the warm-up."),
        ("warmup_short", "Warm-up shorter than one trip",
         "Set `warmup:` to at least one trip (mean prep + service + delivery leg), so the idle start is not measured."),
        ("over_provisioned", "Services with capacity to spare",
         "Lower the min replicas of these services (they never needed more than their min)."),
    ]

    public static func title(_ code: String) -> String { entries.first { $0.code == code }?.title ?? code }
    public static func advice(_ code: String) -> String? { entries.first { $0.code == code }?.advice }

    /// error before warning before info; unknown severities last.
    public static func rank(_ severity: String) -> Int { ["error": 0, "warning": 1, "info": 2][severity] ?? 3 }
}

extension Report {
    /// Findings grouped by code (its cause), groups in order of their worst severity, then
    /// in the order the model wrote them.
    public var findingGroups: [(code: String, title: String, severity: String, findings: [(severity: String, code: String, message: String)])] {
        var groups: [(code: String, title: String, severity: String, findings: [(severity: String, code: String, message: String)])] = []
        for f in findings {
            if let i = groups.firstIndex(where: { $0.code == f.code }) {
                groups[i].findings.append(f)
                if FindingGuide.rank(f.severity) < FindingGuide.rank(groups[i].severity) { groups[i].severity = f.severity }
            } else {
                groups.append((f.code, FindingGuide.title(f.code), f.severity, [f]))
            }
        }
        for i in groups.indices {
            let ordered = groups[i].findings.enumerated().sorted { a, b in
                let ra = FindingGuide.rank(a.element.severity), rb = FindingGuide.rank(b.element.severity)
                return ra != rb ? ra < rb : a.offset < b.offset
            }
            groups[i].findings = ordered.map(\.element)
        }
        // Stable: worst severity first, the cause of a latency failure before the symptom.
        let order = groups.enumerated().sorted { a, b in
            let ra = FindingGuide.rank(a.element.severity), rb = FindingGuide.rank(b.element.severity)
            if ra != rb { return ra < rb }
            let ca = a.element.code == "slo_at_risk" ? 1 : 0, cb = b.element.code == "slo_at_risk" ? 1 : 0
            return ca != cb ? ca < cb : a.offset < b.offset
        }
        return order.map(\.element)
    }

    /// The findings that explain a failing objective: those (other than the `slo_at_risk`
    /// symptom itself) naming the objective's endpoint and region (`place_order@us_west`).
    public func causes(of o: ResolvedObjective) -> [String] {
        let key = o.metric.split(separator: ".").first.map(String.init) ?? o.metric
        guard key.contains("@") else { return [] }
        return findings.filter { $0.code != "slo_at_risk" && $0.message.contains(key) }.map(\.message)
    }

    /// The SLO table: objective, figure, limit, margin, verdict, cause. Failures first.
    public func sloRows() -> [[String]] {
        sloEvaluations().map { (o, e) in
            let margin = e.margin.map { ($0 >= 0 ? "" : "−") + Report.num(abs($0) * 100) + " %" } ?? "—"
            let cause = e.verdict == .pass ? "" : e.verdict == .noData ? "no samples after the warm-up"
                : causes(of: o).joined(separator: " ")
            return [o.label, o.formatted(e.value), o.limitText, margin, e.verdict.rawValue, cause]
        }
    }

    public static let sloHeaders = ["objective", "figure", "limit", "margin", "verdict", "cause"]

    /// Advice for each group of findings that has one, worst first.
    public var advice: [(title: String, advice: String)] {
        findingGroups.compactMap { g in FindingGuide.advice(g.code).map { (g.title, $0) } }
    }
}
