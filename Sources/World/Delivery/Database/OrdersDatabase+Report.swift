import Scenario
import Platform
import SimCore

// MARK: metrics

extension OrdersDatabase {
    /// Writes per shard: the mean and the busiest (the skew finding compares them).
    var shardWrites: (mean: Double, max: Double) {
        let writes = shards.map(\.writes)
        return (Double(writes.reduce(0, +)) / Double(max(1, writes.count)), Double(writes.max() ?? 0))
    }

    func report(into m: inout RunMetrics) {
        let (meanWrites, maxWrites) = shardWrites
        m.counter("db.shard.writes.max", maxWrites)
        m.counter("db.shard.writes.mean", meanWrites)
        m.counter("db.shard.skew", meanWrites > 0 ? maxWrites / meanWrites : 0)
        m.counter("db.connection_waits", Double(shards.reduce(0) { $0 + $1.waited }))
        m.counter("db.time_partitions_touched", Double(monthWrites.count))
        for (i, s) in shards.enumerated() { m.counter("db.shard.\(i).writes", Double(s.writes)) }
        m.counter("db.status_writes", Double(statusWrites))
        m.counter("db.status_reads", Double(statusReads))
        m.counter("db.stale_reads", Double(staleReads))
        m.counter("db.stale_read_ratio", statusReads == 0 ? 0 : Double(staleReads) / Double(statusReads))
        m.counter("db.history_queries", Double(historyQueries))
        m.counter("db.partitions_per_history_query", historyQueries == 0 ? 0 : Double(historyPartitions) / Double(historyQueries))
    }

    func findShardSkew(_ m: inout RunMetrics) {
        let (meanWrites, maxWrites) = shardWrites
        if meanWrites > 0, maxWrites / meanWrites > 1.2 {
            m.findings.append(("info", "shard_skew", "the busiest of \(shards.count) shards took \(Int(maxWrites)) writes, \(MetricsFormat.fmt(maxWrites / meanWrites))× the mean \(MetricsFormat.fmt(meanWrites))"))
        }
    }

    func findConnectionWaits(_ m: inout RunMetrics) {
        let waits = shards.reduce(0) { $0 + $1.waited }
        if waits > 0 {
            m.findings.append(("warning", "connection_limit_exceeded",
                               "\(waits) writes waited for one of the \(config.connectionsPerShard) connections of their shard (longest queue \(shards.map(\.maxQueue).max() ?? 0))"))
        }
    }

    func findStaleReads(_ m: inout RunMetrics) { Self.findStaleReads(&m, staleReads: staleReads, statusReads: statusReads, config: config) }

    /// Also for the sum over the regions' logical processes of a parallel run (`RegionReport`).
    static func findStaleReads(_ m: inout RunMetrics, staleReads: Int, statusReads: Int, config: PlatformConfig) {
        if staleReads > 0 {
            let ratio = Double(staleReads) / Double(max(1, statusReads))
            m.findings.append((ratio > 0.01 ? "warning" : "info", "stale_reads",
                               "\(staleReads) of \(statusReads) order reads (\(MetricsFormat.fmt(100 * ratio))%) found the replica behind the write the app had been told about (read \(MetricsFormat.ms(SimUnit.seconds(config.statusReadDelay))) after the change, replication lag mean \(MetricsFormat.ms(MetricsFormat.meanOf(config.replicationLag))))"))
        }
    }

    func findHistoryFanOut(_ m: inout RunMetrics) {
        if historyQueries > 0 {
            let per = Double(historyPartitions) / Double(historyQueries)
            if per > Double(shards.count) {
                m.findings.append(("info", "history_fan_out",
                                   "each order-history query scanned \(MetricsFormat.fmt(per)) partitions on average (\(MetricsFormat.fmt(per / Double(shards.count))) months × \(shards.count) hash shards): created_at prunes months, but hashing by order_id cannot prune shards for a per-customer query"))
            }
        }
    }
}

// MARK: capacity (`database.cpu`, `database.round_trips`)

extension OrdersDatabase {
    /// The busiest shard primary over the measured window: its index and utilisation.
    func hottestShard(window: SimTime) -> (shard: Int, utilisation: Double) {
        var best = (shard: 0, utilisation: -1.0)
        for (i, p) in primaries.enumerated() where p.utilisation(over: window) > best.utilisation {
            best = (i, p.utilisation(over: window))
        }
        return best
    }

    /// Per-shard and per-replica utilisation and core waits, the hottest shard, connection
    /// waits of transactions; only when `cpu` or `round_trips` is set (else nothing is added).
    func reportCapacity(into m: inout RunMetrics, at now: SimTime) {
        guard transactional else { return }
        m.counter("db.connection_holds", Double(connectionHolds))
        m.counter("db.connection_wait.share", connectionHolds == 0 ? 0 : Double(connectionWaits) / Double(connectionHolds))
        m.counter("db.connection_wait.mean_ms", connectionHolds == 0 ? 0 : 1000 * SimUnit.seconds(connectionWaitTotal) / Double(connectionHolds))
        guard config.databaseCPU != nil else { return }
        let window = now - warmup
        for (i, p) in primaries.enumerated() {
            m.counter("db.shard.\(i).utilisation", p.utilisation(over: window))
            m.counter("db.shard.\(i).cpu_wait.mean_ms", 1000 * p.meanWait)
        }
        let hot = hottestShard(window: window)
        m.counter("db.shard.hottest", Double(hot.shard))
        m.counter("db.shard.hottest.utilisation", hot.utilisation)
        m.counter("db.shard.utilisation.mean", primaries.reduce(0) { $0 + $1.utilisation(over: window) } / Double(max(1, primaries.count)))
        guard !replicas.isEmpty else { return }
        // Replicas by region, shard, then replica: index (region × shards + shard) × read_replicas + k.
        var hottest = 0
        for (k, r) in replicas.enumerated() where r.utilisation(over: window) > replicas[hottest].utilisation(over: window) { hottest = k }
        m.counter("db.replica.utilisation.mean", replicas.reduce(0) { $0 + $1.utilisation(over: window) } / Double(replicas.count))
        m.counter("db.replica.hottest.utilisation", replicas[hottest].utilisation(over: window))
        m.counter("db.replica.hottest.cpu_wait.mean_ms", 1000 * replicas[hottest].meanWait)
        for (r, region) in config.regions.enumerated() {
            let mine = replicas[(r * config.shards * config.readReplicas)..<((r + 1) * config.shards * config.readReplicas)]
            m.counter("db.replica@\(region.name).utilisation.max", mine.map { $0.utilisation(over: window) }.max() ?? 0)
        }
    }

    /// `hot_shard`: the busiest shard primary's utilisation against the mean, and what its
    /// statements waited for a core (a warning above 80 %, where M/M/c waits grow steeply).
    func findHotShard(_ m: inout RunMetrics) {
        guard let cpu = config.databaseCPU, let index = m.counterValue("db.shard.hottest"),
              let util = m.counterValue("db.shard.hottest.utilisation"), let mean = m.counterValue("db.shard.utilisation.mean"), util > 0 else { return }
        let p = primaries[Int(index)]
        m.findings.append((util > 0.8 ? "warning" : "info", "hot_shard",
                           "shard \(Int(index)) (key \(config.shardKey.rawValue)) ran its \(cpu.cores) cores at \(MetricsFormat.fmt(100 * util))% (mean of \(primaries.count) shards \(MetricsFormat.fmt(100 * mean))%); \(p.waited) of its \(p.jobs) statements waited for a core, \(MetricsFormat.ms(p.meanWait)) on average"))
    }
}
