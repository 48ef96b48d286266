import Testing
import SimCore

/// `PercentileSeries` puts each observation in the point of its time: after any number of
/// pairwise merges (`maxPoints` outgrown), point k holds exactly the observations with
/// ⌊max(0, t − start) / interval⌋ = k for the final interval, whatever order the times came
/// in (the current point is cached between records).
@Suite struct PercentileSeriesTests {
    @Test(arguments: [UInt32(1), 2, 3]) func pointsAreTheDivisionByTheFinalInterval(seed: UInt32) {
        let start: SimTime = 500
        var series = PercentileSeries(interval: 1_000, start: start, maxPoints: 16)
        let r = RandomStream(seed: 31_000 + seed)
        var times: [SimTime] = []
        var t: SimTime = 0
        for k in 0..<20_000 {
            // Mostly forward in small steps (as a run's clock), now and then a jump anywhere,
            // before `start` included.
            if k % 97 == 0 { t = SimTime(r.integer(below: 40_000)) } else { t += SimTime(r.integer(below: 7)) }
            times.append(t)
            series.record(SimTime(1_000 + k), at: t)
        }
        #expect(series.interval > 1_000, "the run should have outgrown 16 points")
        var want = [Int](repeating: 0, count: series.count)
        for t in times {
            let k = Int(max(0, t - start) / series.interval)
            if k >= want.count { want += [Int](repeating: 0, count: k + 1 - want.count) }
            want[k] += 1
        }
        #expect(want.count == series.count)
        #expect((0..<series.count).map { series.samples(inPoint: $0) } == want)
    }
}
