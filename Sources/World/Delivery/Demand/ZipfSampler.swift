#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import SimCore

/// Draws ranks 0..<n with probability proportional to (rank + 1)^-s (restaurant popularity:
/// s ≈ 0.90–1.04 is the rank-frequency slope of orders per restaurant in Grubhub's public MDRP
/// instances, grubhub/mdrplib seeds 0-9, fitted here): one uniform draw and a search of the
/// CDF for the first rank whose cumulative share exceeds it.
///
/// The search starts from a guide table (Chen and Asau, "On generating random variates from
/// an empirical distribution", AIIE Transactions 6(2), 1974; Devroye, "Non-Uniform Random
/// Variate Generation", 1986, III.2.4): `guide[j]` is the first rank whose share exceeds j/n,
/// so the answer for u lies between the guides of u·n's neighbouring cells and a binary
/// search over that short range returns exactly the full search's rank (`sampleBySearch`).
/// A full search over 10⁴–10⁵ restaurants was a chain of cache misses per order and menu view.
struct ZipfSampler {
    let cdf: [Double]
    /// `guide[j]`: the first rank r with cdf[r] > j / cells (n - 1 if none), j in 0...cells.
    private let guide: [Int32]
    private let cells: Int

    init(count n: Int, exponent s: Double) {
        var acc = 0.0
        var c = [Double]()
        c.reserveCapacity(n)
        for k in 0..<n {
            acc += 1 / pow(Double(k + 1), s)
            c.append(acc)
        }
        let cdf = c.map { $0 / acc }
        self.cdf = cdf
        cells = max(1, n)
        var g = [Int32]()
        g.reserveCapacity(cells + 1)
        var r = 0
        for j in 0...cells {
            let edge = Double(j) / Double(cells)
            while r < n - 1 && !(cdf[r] > edge) { r += 1 }
            g.append(Int32(r))
        }
        guide = g
    }

    func sample(_ stream: RandomStream) -> Int { rank(stream.uniform()) }

    /// The first rank whose cumulative share exceeds `u` (the last rank if none does).
    @inline(__always) func rank(_ u: Double) -> Int {
        // u·cells may round across a cell edge: one cell of slack on each side keeps the
        // answer inside [lo, hi] (the guides are monotone in j).
        let j = Int(max(0, min(Double(cells), u * Double(cells))))
        var lo = Int(guide[max(0, j - 1)]), hi = Int(guide[min(cells, j + 2)])
        while lo < hi {
            let mid = (lo + hi) / 2
            if cdf[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// The full binary search over the CDF (the reference `rank` must match; tests).
    func sampleBySearch(_ u: Double) -> Int {
        var lo = 0, hi = cdf.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cdf[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
