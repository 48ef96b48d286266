import Testing
@testable import SimCore

/// `RandomHandle.exponentialTime(mean:)` writes GSL's exponential sampler out in line; the
/// oracle is the library call itself (`Distribution.exponential(mean:).sampleTime`, i.e.
/// `gsl_ran_exponential`) on a second stream with the same seed: every draw must be equal,
/// and both streams must end in the same state.
@Suite struct RandomHandleExponentialTests {
    @Test(arguments: [1.0, 1 / 7.2, 0.001, 3_600, 2.5e-7])
    func inlineDrawEqualsTheLibrarys(mean: Double) {
        let a = RandomStream(seed: 4_242), b = RandomStream(seed: 4_242)
        var differing = 0
        for _ in 0..<100_000 where a.handle.exponentialTime(mean: mean) != Distribution.exponential(mean: mean).sampleTime(b.handle) {
            differing += 1
        }
        #expect(differing == 0)
        #expect(a.next32() == b.next32())
    }
}
