import Testing
import SimCore

/// `Distribution.sampleMaxTime` (acks=all's slowest replica) equals the largest of `n`
/// separate `sampleTime` draws from a stream in the same state, draw for draw, and leaves
/// the stream where the separate draws leave it.
@Suite struct DistributionMaxTests {
    @Test(arguments: [1, 2, 3, 5])
    func maxOfDrawsMatchesSeparateDraws(n: Int) {
        let laws: [Distribution] = [.lognormal(median: 0.002, sigma: 0.5), .lognormal(median: 0.01, sigma: 2),
                                    .exponential(mean: 0.003), .constant(0.001)]
        for law in laws {
            let a = RandomStream(seed: 77), b = RandomStream(seed: 77)
            for _ in 0..<20_000 {
                let fast = law.sampleMaxTime(a.handle, count: n)
                var worst = law.sampleTime(b.handle)
                for _ in 1..<n { worst = max(worst, law.sampleTime(b.handle)) }
                #expect(fast == worst)
                if fast != worst { return }
            }
            #expect(a.next32() == b.next32())
        }
    }
}
