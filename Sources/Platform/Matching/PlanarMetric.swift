/// Straight-line distance between planar positions given in metres.
///
/// Computed exactly as grubhub/mdrplib `MDRP_code/compute_performance_summary.py`
/// (`traveltime`: `np.sqrt((x2-x1)**2 + (y2-y1)**2)`), so replayed MDRP instances see the
/// same IEEE double: `d**2` is `d*d`, the sum is left to right, and `sqrt` is correctly rounded.
@frozen
public struct PlanarMetric: DistanceMetric {
    @inlinable public init() {}

    @inlinable @inline(__always)
    public func distanceMeters(from a: DispatchPosition, to b: DispatchPosition) -> Double {
        let dx = b.x - a.x
        let dy = b.y - a.y
        return (dx * dx + dy * dy).squareRoot()
    }
}
