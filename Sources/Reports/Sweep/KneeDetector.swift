/// Finds the knee of a curve swept against a parameter: the point where latency "starts
/// rising faster than linear" (or, for a saturating curve, where it flattens).
///
/// Method (Kneedle-style, after Satopää et al. 2011, without smoothing): sort the points by
/// x; scale x and y to [0, 1] over the sweep; draw the chord from the first point to the
/// last; the knee is the interior point farthest from the chord (vertical distance in the
/// scaled plane, which for a fixed chord ranks points exactly as the perpendicular
/// distance does). A curve whose farthest point is closer than `minimumDistance` (10 % of
/// the scaled range) is nearly straight and has no knee. Needs at least three points with
/// distinct x. For a hockey-stick p99 curve this is the last load before the steep part.
///
/// A knee must also be real: the curve's whole range must exceed its noise, else a flat
/// series (p99 reading 11.17, 11.21, 11.19, 11.23 ms) would get a "knee" from jitter alone.
/// The range must be at least `minimumRelativeChange` (5 %) of the curve's largest value
/// and, when the points carry confidence half-widths (replications), more than twice the
/// largest half-width (intervals that overlap everywhere are no evidence of a bend).
public enum KneeDetector {
    public struct Knee: Sendable, Equatable {
        /// Index into the arrays the caller passed.
        public var index: Int
        public var x: Double
        public var y: Double
        /// Distance from the chord in the scaled plane, in (0, 1].
        public var distance: Double
        /// True when the curve sags below the chord (convex: it bends upward after the knee,
        /// the latency case); false when it bulges above (concave: it flattens).
        public var convex: Bool
    }

    public static let minimumDistance = 0.1
    public static let minimumRelativeChange = 0.05

    /// - Parameter halfWidths: per point, the 95 % confidence half-width of `y` (nil or NaN
    ///   when unknown).
    public static func knee(x: [Double], y: [Double], halfWidths: [Double?] = []) -> Knee? {
        let pts = zip(x, y).enumerated().filter { $0.element.0.isFinite && $0.element.1.isFinite }
            .map { (index: $0.offset, x: $0.element.0, y: $0.element.1) }
            .sorted { $0.x != $1.x ? $0.x < $1.x : $0.index < $1.index }
        guard pts.count >= 3 else { return nil }
        let x0 = pts.first!.x, x1 = pts.last!.x
        let ys = pts.map(\.y)
        let ylo = ys.min()!, yhi = ys.max()!
        guard x1 > x0, yhi > ylo else { return nil }
        // Noise: the change must be large relative to the level, and beyond the replications' intervals.
        let scale = max(abs(ylo), abs(yhi))
        guard scale > 0, (yhi - ylo) / scale >= minimumRelativeChange else { return nil }
        let noise = pts.compactMap { p in p.index < halfWidths.count ? halfWidths[p.index] : nil }.filter(\.isFinite).max() ?? 0
        guard yhi - ylo > 2 * noise else { return nil }
        func sx(_ v: Double) -> Double { (v - x0) / (x1 - x0) }
        func sy(_ v: Double) -> Double { (v - ylo) / (yhi - ylo) }
        let a = sy(pts.first!.y), b = sy(pts.last!.y)
        var best: (k: Int, d: Double)?
        for k in 1..<(pts.count - 1) {
            let chord = a + (b - a) * sx(pts[k].x)
            let d = chord - sy(pts[k].y)
            if best == nil || abs(d) > abs(best!.d) { best = (k, d) }
        }
        guard let best, abs(best.d) >= minimumDistance else { return nil }
        let p = pts[best.k]
        return Knee(index: p.index, x: p.x, y: p.y, distance: abs(best.d), convex: best.d > 0)
    }
}
