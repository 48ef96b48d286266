import Scenario
import SimCore
import Testing
@testable import World

/// Sticky sessions after a scale-out (issue 12 item 3): the advisor compares the busiest old
/// pod with the mean new pod over the window after the new pods are ready. Exact case: the
/// pods' busy cores are set by hand on one order_service pool (2 cores per pod).
@Suite struct StickyWatchTests {
    @Test func busiestOldPodAgainstMeanNewPodOverTheWindow() throws {
        let model = try CrossRegionChannelTests.model(CrossRegionChannelTests.twoRegions)
        let pool = model.pools[0]
        #expect(pool.cores == 2)
        let sec = SimUnit.second
        pool.enableSessions(count: 10, ttl: 3_600 * sec)
        for _ in 0..<2 { pool.markReady(pool.addPod(now: 0, startedAt: 0, readyAt: 0), now: 0) }
        // Old pod 0 busy on both cores throughout (100 %), old pod 1 on one core (50 %).
        pool.beginCPU(0, now: 0); pool.beginCPU(0, now: 0); pool.beginCPU(1, now: 0)
        let watch = StickyWatch(pools: 1)
        // Scale-out at 60 s to 4 pods, ready at 90 s.
        pool.setDesired(4)
        for _ in 0..<2 { _ = pool.addPod(now: 60 * sec, startedAt: 60 * sec, readyAt: 90 * sec) }
        watch.scaledOut(0, pool, before: 2, firstNew: 2, now: 60 * sec)
        watch.sync(0, pool, now: 75 * sec)  // new pods still starting: no window yet
        pool.markReady(2, now: 90 * sec); pool.markReady(3, now: 90 * sec)
        // New pod 2 busy on one core from 90 s to 150 s; new pod 3 idle.
        pool.beginCPU(2, now: 90 * sec)
        watch.sync(0, pool, now: 105 * sec)  // window starts: every new pod ready
        pool.endCPU(2, now: 150 * sec)
        watch.sync(0, pool, now: 390 * sec)  // 285 s: not yet 5 min
        #expect(watch.worst[0] == nil)
        watch.sync(0, pool, now: 405 * sec)
        let o = try #require(watch.worst[0])
        // Over 105...405 s (300 s × 2 cores = 600 core-seconds): old pods 600 and 300,
        // new pods 45 (105 to 150 s on one core) and 0.
        #expect(o.start == 105 * sec && o.end == 405 * sec && o.from == 2 && o.to == 4 && o.at == 60 * sec)
        #expect(o.oldMax == 1.0)
        #expect(o.oldMean == 0.75)
        #expect(abs(o.newMean - 45.0 / 600 / 2) < 1e-15)
        var m = RunMetrics()
        watch.find(&m, pools: [pool])
        let f = try #require(m.findings.first { $0.code == "sticky_sessions_after_scale_out" })
        #expect(f.message.contains("for 5.0 min after the scale-out at 60.0 s (2 → 4 replicas, new pods ready by 105.0 s)"), "\(f.message)")
        #expect(f.message.contains("busiest old pod ran at 100.0% CPU (old pods 75.0% on average) and the new pods at 3.75% on average"), "\(f.message)")
    }

    /// No finding when the new pods carry their share (the gap under 20 points).
    @Test func noFindingWhenTheNewPodsCarryTheirShare() throws {
        let model = try CrossRegionChannelTests.model(CrossRegionChannelTests.twoRegions)
        let pool = model.pools[0]
        let sec = SimUnit.second
        pool.enableSessions(count: 10, ttl: 3_600 * sec)
        pool.markReady(pool.addPod(now: 0, startedAt: 0, readyAt: 0), now: 0)
        pool.beginCPU(0, now: 0)
        let watch = StickyWatch(pools: 1)
        pool.setDesired(2)
        _ = pool.addPod(now: 0, startedAt: 0, readyAt: 0)
        watch.scaledOut(0, pool, before: 1, firstNew: 1, now: 0)
        pool.markReady(1, now: 0)
        pool.beginCPU(1, now: 0)
        watch.sync(0, pool, now: 15 * sec)
        watch.sync(0, pool, now: 315 * sec)
        let o = try #require(watch.worst[0])
        #expect(o.oldMax == 0.5 && o.newMean == 0.5)
        var m = RunMetrics()
        watch.find(&m, pools: [pool])
        #expect(!m.findings.contains { $0.code == "sticky_sessions_after_scale_out" })
    }
}
