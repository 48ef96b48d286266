extension CostWeights {
    /// The cost of serving `bundle` with a courier that is at the counter at `arrivalAt`
    /// (see the formula on `CostWeights`), in nanoseconds, clamped to `maximumPairCost`.
    ///
    /// - Complexity: O(1): everything courier-independent is precomputed in the bundle.
    @inlinable @inline(__always)
    public func pairCost(arrivalAt: Instant, bundle: DispatchBundle) -> Int64 {
        let pickup = max(arrivalAt, bundle.latestReadyAt)
        let n = Int64(bundle.orders.count)
        // Int64 fast path; any overflow (absurd inputs) falls back to exact Int128.
        let late = pickup &- bundle.latestReadyAt
        let (nLate, o1) = n.multipliedReportingOverflow(by: late)
        let (food, o2) = bundle.readySlack.addingReportingOverflow(nLate)
        let (a, o3) = foodWaitingPerMille.multipliedReportingOverflow(by: food)
        let (b, o4) = courierWaitingPerMille.multipliedReportingOverflow(by: pickup &- arrivalAt)
        let (c, o5) = deliveryPerMille.multipliedReportingOverflow(by: bundle.dropoffOffsetSum)
        let (ab, o6) = a.addingReportingOverflow(b)
        let (abc, o7) = ab.addingReportingOverflow(c)
        if !(o1 || o2 || o3 || o4 || o5 || o6 || o7) {
            let cost = abc / 1000
            return cost >= CostWeights.maximumPairCost ? CostWeights.maximumPairCost : cost
        }
        let food128 = Int128(bundle.readySlack) + Int128(n) * (Int128(pickup) - Int128(bundle.latestReadyAt))
        let weighted = Int128(foodWaitingPerMille) * food128
            + Int128(courierWaitingPerMille) * (Int128(pickup) - Int128(arrivalAt))
            + Int128(deliveryPerMille) * Int128(bundle.dropoffOffsetSum)
        let cost = weighted / 1000
        return cost >= Int128(CostWeights.maximumPairCost) ? CostWeights.maximumPairCost : Int64(cost)
    }
}
