import CGSL
import Foundation

extension Distribution {
    /// The largest of `n` draws (n ≥ 1) as virtual time: the same draws in the same order as
    /// `n` calls of `sampleTime`, and the same result (an acks=all produce waits for the
    /// slowest of its replicas). A lognormal's draws share one `exp`: exp is increasing, so the
    /// largest normal gives the largest draw, and `SimUnit.fromSeconds` keeps the order.
    @inlinable
    public func sampleMaxTime(_ handle: RandomHandle, count n: Int) -> SimTime {
        if case .lognormal(let mu, let sigma) = self {
            let r = handle.rng
            var z = gsl_ran_gaussian_ziggurat(r, sigma)
            var i = 1
            while i < n {
                z = Swift.max(z, gsl_ran_gaussian_ziggurat(r, sigma))
                i += 1
            }
            return SimUnit.fromSeconds(exp(mu + z))
        }
        var worst = sampleTime(handle)
        var i = 1
        while i < n {
            worst = Swift.max(worst, sampleTime(handle))
            i += 1
        }
        return worst
    }
}
