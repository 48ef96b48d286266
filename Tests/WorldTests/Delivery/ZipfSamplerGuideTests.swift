import SimCore
import Testing
@testable import World

/// The Zipf sampler's guide-table search against the full binary search over the CDF (its
/// definition: the first rank whose cumulative share exceeds u): the same rank for every u,
/// random ones and the hard ones (each CDF value, its neighbouring doubles, the cell edges).
@Suite struct ZipfSamplerGuideTests {
    @Test(arguments: [1, 2, 3, 7, 64, 1_000, 40_000])
    func guideSearchEqualsFullSearch(count n: Int) {
        for s in [0.5, 0.9, 1.04, 2.5] {
            let z = ZipfSampler(count: n, exponent: s)
            var us: [Double] = [0, 0.5, 1.0.nextDown]
            for c in z.cdf { us += [c, c.nextDown, c.nextUp] }
            for j in 0...n { let e = Double(j) / Double(n); us += [e, e.nextDown, e.nextUp] }
            let r = RandomStream(seed: 777 + UInt32(n))
            for _ in 0..<100_000 { us.append(r.uniform()) }
            var mismatches = 0
            for u in us where u >= 0 && u < 1 && z.rank(u) != z.sampleBySearch(u) { mismatches += 1 }
            #expect(mismatches == 0, "n \(n) s \(s)")
        }
    }
}
