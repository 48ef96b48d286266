import Platform
import SimCore

/// `matching.split: by_cell`: the matching pool does the matching. A city's due batch run is
/// split by geography into one part per ready matching_service replica (`CellSplit`), each
/// part a request of its own orders' CPU through the pool's balancer (least connections puts
/// the parts of one run on different replicas), and each part's orders are matched when its
/// CPU is done. The run's CPU is spread over the pool, so the matching delay falls as the
/// pool grows.
extension PlatformSimulation {
    /// City `c`'s run is due: its parts, one request each.
    func submitMatchParts(_ c: Int, _ s: inout Scheduler) {
        let p = services.servingPool(c, 2)
        let sizes = matching.split(city: c, into: max(1, services.pools[p].ready), now: s.now)
        for (k, units) in sizes.enumerated() {
            submit(services.newRequest(Request(kind: .matchBatch, city: Int32(c), pool: 0, start: s.now, subject: c, partition: Int32(k), units: units)),
                   pool: p, &s)
        }
    }

    /// `matching.split.*`: runs split, parts per run, and the largest part's share of a run's
    /// orders (1/n when n replicas share the runs evenly).
    func reportMatchSplit(_ m: inout RunMetrics) {
        guard config.matchingSplit else { return }
        m.counter("matching.split.runs", Double(matching.splitRuns))
        m.counter("matching.split.parts_per_run", matching.splitRuns == 0 ? 0 : Double(matching.splitParts) / Double(matching.splitRuns))
        m.counter("matching.split.max_part_share", matching.splitUnits == 0 ? 0 : Double(matching.splitMaxPartUnits) / Double(matching.splitUnits))
    }
}
