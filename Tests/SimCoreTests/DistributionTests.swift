import Foundation
import Testing
import SimCore

/// Each distribution's sample mean and variance against its closed form.
///
/// n = 400,000 draws. The mean's tolerance is 5 standard errors, SE = σ/√n with the exact σ.
/// The variance's tolerance is 5 standard errors of the sample variance,
/// SE(s²) = √((m₄ − s⁴)/n), with the fourth central moment m₄ estimated from the same sample.
/// A correct sampler fails a 5-SE check with probability below 10⁻⁶ per check; the seeds are fixed.
@Suite struct DistributionTests {
    static let n = 400_000

    func check(_ d: Distribution, mean: Double, variance: Double, seed: UInt32 = 12345, sourceLocation: SourceLocation = #_sourceLocation) {
        let r = RandomStream(seed: seed)
        var xs = [Double](repeating: 0, count: Self.n)
        for i in 0..<Self.n { xs[i] = d.sample(r) }
        let n = Double(Self.n)
        let m = xs.reduce(0, +) / n
        var m2 = 0.0, m4 = 0.0
        for x in xs { let e = (x - m) * (x - m); m2 += e; m4 += e * e }
        let s2 = m2 / (n - 1)
        m4 /= n
        let seMean = (variance / n).squareRoot()
        let seVar = max((m4 - s2 * s2) / n, 0).squareRoot()
        #expect(abs(m - mean) <= 5 * seMean + 1e-12, "mean \(m) vs \(mean) (5 SE = \(5 * seMean))", sourceLocation: sourceLocation)
        #expect(abs(s2 - variance) <= 5 * seVar + 1e-12, "variance \(s2) vs \(variance) (5 SE = \(5 * seVar))", sourceLocation: sourceLocation)
    }

    @Test func constant() { check(.constant(3), mean: 3, variance: 0) }
    @Test func uniform() { check(.uniform(low: 2, high: 5), mean: 3.5, variance: 9.0 / 12) }
    @Test func exponential() { check(.exponential(mean: 2), mean: 2, variance: 4) }

    @Test func truncatedNormal() {
        // X ~ N(μ, σ²) given X ≥ 0: α = −μ/σ, λ = φ(α)/(1 − Φ(α)),
        // E = μ + σλ, Var = σ²(1 + αλ − λ²).
        let mu = 1.0, sigma = 1.5
        let a = -mu / sigma
        let phi = exp(-a * a / 2) / (2 * Double.pi).squareRoot()
        let Phi = 0.5 * erfc(-a / 2.0.squareRoot())
        let lam = phi / (1 - Phi)
        check(.truncatedNormal(mean: mu, sd: sigma), mean: mu + sigma * lam, variance: sigma * sigma * (1 + a * lam - lam * lam))
    }

    @Test func lognormalByMuSigma() {
        let mu = 0.3, s = 0.5
        check(.lognormal(mu: mu, sigma: s), mean: exp(mu + s * s / 2), variance: (exp(s * s) - 1) * exp(2 * mu + s * s))
    }

    @Test func lognormalByMedian() {
        // median e^μ = 8 ms, σ = 0.5.
        let median = 0.008, s = 0.5
        check(.lognormal(median: median, sigma: s), mean: median * exp(s * s / 2), variance: (exp(s * s) - 1) * median * median * exp(s * s))
    }

    @Test func lognormalByMeanAndCV() {
        check(.lognormal(mean: 2, cv: 0.6), mean: 2, variance: (0.6 * 2) * (0.6 * 2))
    }

    @Test func gamma() { check(.gamma(shape: 2.15, scale: 8.2), mean: 2.15 * 8.2, variance: 2.15 * 8.2 * 8.2) }

    @Test func weibull() {
        let k = 1.5, l = 3.0
        let g1 = tgamma(1 + 1 / k), g2 = tgamma(1 + 2 / k)
        check(.weibull(shape: k, scale: l), mean: l * g1, variance: l * l * (g2 - g1 * g1))
    }

    @Test func pareto() {
        // α = 6 keeps the fourth moment finite, so the variance check is meaningful.
        let a = 6.0, xm = 2.0
        check(.pareto(alpha: a, minimum: xm), mean: a * xm / (a - 1), variance: xm * xm * a / ((a - 1) * (a - 1) * (a - 2)))
    }

    @Test func empiricalValues() {
        let v: [Double] = [1, 2, 2, 5]
        let m = 2.5
        check(.empirical(v), mean: m, variance: v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 4)
    }

    @Test func cdfTable() {
        // Piecewise-linear CDF = a mixture of uniforms: mass 0.5 on [0, 2], 0.5 on [2, 10].
        // E = 0.5·1 + 0.5·6 = 3.5; E[X²] = 0.5·(4/3) + 0.5·(1000 − 8)/(3·8) = 0.6667 + 20.6667.
        let ex2 = 0.5 * (4.0 / 3) + 0.5 * (1000.0 - 8) / 24
        check(.cdfTable(values: [0, 2, 10], probabilities: [0, 0.5, 1]), mean: 3.5, variance: ex2 - 3.5 * 3.5)
    }

    @Test func cdfTableWithAtomAtFirstPoint() {
        // P(X = 1) = 0.2, then uniform on [1, 3] with mass 0.8: E = 0.2 + 0.8·2 = 1.8.
        let ex2 = 0.2 * 1 + 0.8 * (27.0 - 1) / 6
        check(.cdfTable(values: [1, 3], probabilities: [0.2, 1]), mean: 1.8, variance: ex2 - 1.8 * 1.8)
    }
}
