import CGSL
import Foundation

/// A univariate distribution a scenario can name. Samples are `Double`s in the unit the
/// scenario used after normalisation (seconds for durations).
///
/// Sampling delegates to GSL (`gsl_ran_*`), whose algorithms and parameterisations are
/// documented in the GSL manual, chapter "Random Number Distributions".
public enum Distribution: Sendable, Equatable {
    case constant(Double)
    /// Continuous uniform on [low, high).
    case uniform(low: Double, high: Double)
    /// Exponential with the given mean (1/rate).
    case exponential(mean: Double)
    /// Normal(mean, sd) truncated at zero by rejection: the conditional law given X ≥ 0.
    case truncatedNormal(mean: Double, sd: Double)
    /// Lognormal: ln X ~ Normal(mu, sigma). See `lognormal(median:sigma:)` and `lognormal(mean:cv:)`.
    case lognormal(mu: Double, sigma: Double)
    /// Gamma with shape k and scale θ (mean kθ).
    case gamma(shape: Double, scale: Double)
    /// Weibull with shape k and scale λ: P(X > x) = exp(-(x/λ)^k).
    case weibull(shape: Double, scale: Double)
    /// Pareto type I with tail index α and minimum xm: P(X > x) = (xm/x)^α for x ≥ xm.
    case pareto(alpha: Double, minimum: Double)
    /// Uniform choice among the listed values (a bootstrap of observed samples).
    case empirical([Double])
    /// Piecewise-linear CDF through (value, cumulative probability) points, sampled by
    /// inverting it. Points are sorted by value; the last probability is 1.
    case cdfTable(values: [Double], probabilities: [Double])

    /// Lognormal with the given median (e^mu) and sigma.
    public static func lognormal(median: Double, sigma: Double) -> Distribution {
        .lognormal(mu: log(median), sigma: sigma)
    }

    /// Lognormal with the given mean and coefficient of variation:
    /// sigma² = ln(1 + cv²), mu = ln(mean) − sigma²/2.
    public static func lognormal(mean: Double, cv: Double) -> Distribution {
        let s2 = log1p(cv * cv)
        return .lognormal(mu: log(mean) - s2 / 2, sigma: s2.squareRoot())
    }

    /// One draw from `stream`.
    @inlinable
    public func sample(_ stream: RandomStream) -> Double { sample(stream.handle) }

    /// One draw through a non-owning handle (no reference counting on the hot path).
    @inlinable
    public func sample(_ handle: RandomHandle) -> Double {
        let r = handle.rng
        switch self {
        case .constant(let c): return c
        // Flat and exponential are GSL 2.7's `randist/flat.c` and `randist/exponential.c`
        // written out on the in-line uniform (the same bits; `MT19937Tests`).
        case .uniform(let a, let b):
            let u = handle.uniform()
            return a * (1 - u) + b * u
        case .exponential(let mean): return handle.exponential(mean: mean)
        case .truncatedNormal(let m, let sd):
            // Rejection keeps the exact conditional law; at most a few tries unless the
            // mean is several sd below zero, which validation refuses.
            while true {
                let x = m + gsl_ran_gaussian_ziggurat(r, sd)
                if x >= 0 { return x }
            }
        case .lognormal(let mu, let sigma):
            // exp of a ziggurat normal: the same law as gsl_ran_lognormal (which draws its
            // normal by the polar method) at about half the cost per draw.
            return exp(mu + gsl_ran_gaussian_ziggurat(r, sigma))
        case .gamma(let k, let theta): return gsl_ran_gamma(r, k, theta)
        case .weibull(let k, let lambda): return gsl_ran_weibull(r, lambda, k)
        case .pareto(let alpha, let xm): return gsl_ran_pareto(r, alpha, xm)
        case .empirical(let values): return values[Int(gsl_rng_uniform_int(r, UInt(values.count)))]
        case .cdfTable(let xs, let ps): return Distribution.invertCDF(xs, ps, handle.uniform())
        }
    }

    /// One draw converted to virtual time, taking the sample as seconds.
    @inlinable
    public func sampleTime(_ stream: RandomStream) -> SimTime { SimUnit.fromSeconds(sample(stream.handle)) }

    /// One draw as virtual time, through a non-owning handle.
    @inlinable
    public func sampleTime(_ handle: RandomHandle) -> SimTime { SimUnit.fromSeconds(sample(handle)) }

    /// The inverse of the piecewise-linear CDF at `u` ∈ [0, 1).
    @usableFromInline
    static func invertCDF(_ xs: [Double], _ ps: [Double], _ u: Double) -> Double {
        if u <= ps[0] { return xs[0] }
        var lo = 0, hi = ps.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            if ps[mid] < u { lo = mid } else { hi = mid }
        }
        let dp = ps[hi] - ps[lo]
        if dp <= 0 { return xs[hi] }
        return xs[lo] + (xs[hi] - xs[lo]) * (u - ps[lo]) / dp
    }
}

