import SimCore

extension StageClock {
    static let endpoints = ["place_order", "menu_view", "order_status", "order_history", "location_update"]

    /// Counters `stages.<endpoint>@<region>.…` (ms), for each endpoint and region answered after
    /// the warm-up, for each stage any of its requests spent time in:
    /// - `<stage>.p50_ms`, `<stage>.p99_ms`: the stage's own percentiles (over all requests,
    ///   those that skipped it counting 0), so they do not add up;
    /// - `<stage>.mean_ms`: its mean over all requests;
    /// - `<stage>.at_p50_ms`, `<stage>.at_p99_ms`: its mean over the requests whose end-to-end
    ///   latency is in the end-to-end p50's bucket, and at or above the p99's bucket (1.6 %
    ///   wide): what the typical and the slowest requests spend their time on. These add up
    ///   exactly to `at_p50.latency_ms` and `at_p99.latency_ms`, those requests' mean latency;
    /// - `at_p50.requests`, `at_p99.requests`, `at_p50.latency_ms`, `at_p99.latency_ms`, `mean.latency_ms`.
    /// `stages.unattributed_requests` when some request had time no stage claimed (a bug).
    func report(into m: inout RunMetrics, regions: [String]) {
        for (i, table) in tables.enumerated() where table.total > 0 && i / 5 < regions.count {
            let prefix = "stages.\(StageClock.endpoints[i % 5])@\(regions[i / 5])"
            let b50 = table.e2eBucket(50), b99 = table.e2eBucket(99)
            let all = table.group(0..<StageTable.buckets)
            let mid = table.group(b50..<b50 + 1)
            let tail = table.group(b99..<StageTable.buckets)
            func ms(_ ns: SimTime, _ n: Int) -> Double { n == 0 ? 0 : Double(ns) / Double(n) / 1e6 }
            m.counter("\(prefix).at_p50.requests", Double(mid.requests))
            m.counter("\(prefix).at_p99.requests", Double(tail.requests))
            m.counter("\(prefix).at_p50.latency_ms", ms(mid.sums.reduce(0, +), mid.requests))
            m.counter("\(prefix).at_p99.latency_ms", ms(tail.sums.reduce(0, +), tail.requests))
            m.counter("\(prefix).mean.latency_ms", ms(all.sums.reduce(0, +), all.requests))
            for stage in Stage.allCases where all.sums[stage.rawValue] != 0 {
                let s = stage.rawValue
                m.counter("\(prefix).\(stage.name).p50_ms", Double(table.stagePercentile(s, 50)) / 1e6)
                m.counter("\(prefix).\(stage.name).p99_ms", Double(table.stagePercentile(s, 99)) / 1e6)
                m.counter("\(prefix).\(stage.name).mean_ms", ms(all.sums[s], all.requests))
                m.counter("\(prefix).\(stage.name).at_p50_ms", ms(mid.sums[s], mid.requests))
                m.counter("\(prefix).\(stage.name).at_p99_ms", ms(tail.sums[s], tail.requests))
            }
        }
        if unattributed > 0 { m.counter("stages.unattributed_requests", Double(unattributed)) }
    }
}
