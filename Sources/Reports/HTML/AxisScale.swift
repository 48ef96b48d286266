import SimCore

/// A linear axis with "nice" tick steps (1, 2, 2.5 or 5 × 10^k), so tick labels read as
/// round numbers and the data fills most of the plot.
public struct AxisScale: Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var step: Double

    /// An axis covering [low, high] with about `ticks` intervals. A degenerate range is
    /// widened around its value so a constant series still gets an axis.
    public init(covering low: Double, _ high: Double, ticks: Int = 5) {
        var lo = low, hi = high
        if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
        if hi < lo { swap(&lo, &hi) }
        if hi == lo {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= lo == 0 ? 0 : pad
            hi += pad
        }
        let s = AxisScale.niceStep((hi - lo) / Double(max(1, ticks)))
        step = s
        lower = (lo / s).rounded(.down) * s
        upper = (hi / s).rounded(.up) * s
        if upper == lower { upper = lower + s }
    }

    /// The tick values from lower to upper inclusive.
    public var ticks: [Double] {
        let n = Int(((upper - lower) / step).rounded())
        return (0...max(0, n)).map { lower + Double($0) * step }
    }

    /// Decimals needed to print every tick exactly (0 for steps ≥ 1).
    public var decimals: Int {
        var d = 0, s = step
        while d < 9 && abs(s - s.rounded()) > 1e-9 * max(1, abs(s)) { s *= 10; d += 1 }
        return d
    }

    /// A tick label: fixed decimals, no locale.
    public func label(_ v: Double) -> String { DurationFormat.fixed(abs(v) < step * 1e-9 ? 0 : v, decimals) }

    /// Where `v` falls between lower (0) and upper (1).
    public func fraction(_ v: Double) -> Double { (v - lower) / (upper - lower) }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var p = 1.0
        while p * 10 <= raw { p *= 10 }
        while p > raw { p /= 10 }
        let m = raw / p
        let nice: Double = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10
        return nice * p
    }
}
