#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import SimCore

/// Draws ranks 0..<n with probability proportional to (rank + 1)^-s (restaurant popularity:
/// s ≈ 0.90–1.04 is the rank-frequency slope of orders per restaurant in Grubhub's public MDRP
/// instances, grubhub/mdrplib seeds 0-9, fitted here): one uniform draw and a binary search
/// over the CDF.
struct ZipfSampler {
    let cdf: [Double]

    init(count n: Int, exponent s: Double) {
        var acc = 0.0
        var c = [Double]()
        c.reserveCapacity(n)
        for k in 0..<n {
            acc += 1 / pow(Double(k + 1), s)
            c.append(acc)
        }
        cdf = c.map { $0 / acc }
    }

    func sample(_ stream: RandomStream) -> Int {
        let u = stream.uniform()
        var lo = 0, hi = cdf.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cdf[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
