/// A distribution of whole-minute values: count, mean and percentiles.
///
/// Percentiles are exact over all values with linear interpolation between order
/// statistics (numpy's default, which pandas `describe` uses), so `p10` and `p90` equal the
/// 10 % and 90 % rows of grubhub/mdrplib's `solution_performance.txt`.
public struct MDRPDistribution: Sendable, Equatable, Codable {
    public var count: Int
    public var mean: Double
    public var min: Double
    public var p10: Double
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var max: Double

    public init(_ values: [Int]) {
        let v = values.sorted()
        count = v.count
        guard !v.isEmpty else {
            mean = 0; min = 0; p10 = 0; p50 = 0; p90 = 0; p99 = 0; max = 0
            return
        }
        var sum = 0
        for x in v { sum += x }
        mean = Double(sum) / Double(v.count)
        min = Double(v[0])
        max = Double(v[v.count - 1])
        p10 = Self.interpolate(v, 0.10)
        p50 = Self.interpolate(v, 0.50)
        p90 = Self.interpolate(v, 0.90)
        p99 = Self.interpolate(v, 0.99)
    }

    /// Linear-interpolated percentile `p` (0...1) of `values` (exposed for reports and tests).
    public static func percentile(_ values: [Int], _ p: Double) -> Double {
        values.isEmpty ? 0 : interpolate(values.sorted(), p)
    }

    static func interpolate(_ sorted: [Int], _ p: Double) -> Double {
        let pos = p * Double(sorted.count - 1)
        let lo = Int(pos.rounded(.down))
        let hi = Swift.min(lo + 1, sorted.count - 1)
        return Double(sorted[lo]) + (Double(sorted[hi]) - Double(sorted[lo])) * (pos - Double(lo))
    }
}

/// Delivery and courier metrics of one MDRP replay, defined as grubhub/mdrplib
/// `MDRP_code/compute_performance_summary.py` defines them (its `order_performance` and
/// `courier_performance` frames), plus the shares and tail percentiles capsim reports.
///
/// - click-to-door = dropoff - placement; ready-to-door = dropoff - ready;
///   ready-to-pickup = pickup - ready (food waiting for its courier); over delivered orders.
/// - `shareWithinTarget` / `shareWithinMaximum`: orders delivered with click-to-door at or
///   below the instance's target (40 min) / maximum (90 min), as a share of ALL orders (an
///   undelivered order counts as a miss); `shareOfDeliveredWithinTarget` divides by the
///   delivered orders instead.
/// - per courier: shift = off - on minutes; utilisation = (driving minutes of its moves, by
///   the MDRP travel time + pickup service per bundle + drop-off service per order) / shift;
///   `courierUtilization` is the mean over all couriers (idle ones count 0), as the script's
///   `describe()` mean; `aggregateUtilization` is total busy / total shift minutes.
/// - pay per courier = max(orders * pay per order, shift / 60 * guaranteed pay per hour);
///   `shareOnGuarantee` = couriers whose order earnings are below the guarantee
///   (the script's `proportion_trueup`).
/// - `ordersPerCourierHour` = delivered orders / total scheduled courier hours.
public struct MDRPMetrics: Sendable, Equatable, Codable {
    public var instance: String
    public var policy: String
    public var ordersTotal: Int
    public var ordersDelivered: Int
    public var ordersUndelivered: Int
    public var assignments: Int
    public var clickToDoor: MDRPDistribution
    public var readyToDoor: MDRPDistribution
    public var readyToPickup: MDRPDistribution
    public var targetMinutes: Int
    public var maximumMinutes: Int
    public var shareWithinTarget: Double
    public var shareWithinMaximum: Double
    public var shareOfDeliveredWithinTarget: Double
    /// Mean over delivered orders of max(0, click-to-door - target).
    public var meanOverageMinutes: Double
    public var meanOrdersPerAssignment: Double
    public var courierHours: Double
    public var ordersPerCourierHour: Double
    public var courierUtilization: Double
    public var aggregateUtilization: Double
    public var totalPayment: Double
    public var shareOnGuarantee: Double
    /// Wall-clock seconds of the replay (not deterministic; reports may leave it out).
    public var wallSeconds: Double

    /// Computes the metrics of `r`. - Complexity: O(orders log orders + moves).
    public init(_ r: MDRPRunResult) {
        let inst = r.instance
        let p = inst.parameters
        instance = inst.name
        policy = r.policy.rawValue
        ordersTotal = inst.orders.count
        assignments = r.assignments.count
        targetMinutes = p.targetClickToDoorMinutes
        maximumMinutes = p.maximumClickToDoorMinutes
        var c2d: [Int] = [], r2d: [Int] = [], r2p: [Int] = []
        var withinTarget = 0, withinMax = 0, overage = 0
        var perCourierOrders = [Int](repeating: 0, count: inst.couriers.count)
        for (i, o) in inst.orders.enumerated() {
            let s = r.orders[i]
            guard let drop = s.dropoffTime, let pick = s.pickupTime, let c = s.courierIndex else { continue }
            let ctd = drop - o.placementTime
            c2d.append(ctd)
            r2d.append(drop - o.readyTime)
            r2p.append(pick - o.readyTime)
            if ctd <= p.targetClickToDoorMinutes { withinTarget += 1 }
            if ctd <= p.maximumClickToDoorMinutes { withinMax += 1 }
            overage += Swift.max(0, ctd - p.targetClickToDoorMinutes)
            perCourierOrders[c] += 1
        }
        ordersDelivered = c2d.count
        ordersUndelivered = ordersTotal - ordersDelivered
        clickToDoor = MDRPDistribution(c2d)
        readyToDoor = MDRPDistribution(r2d)
        readyToPickup = MDRPDistribution(r2p)
        let total = Swift.max(1, ordersTotal)
        shareWithinTarget = Double(withinTarget) / Double(total)
        shareWithinMaximum = Double(withinMax) / Double(total)
        shareOfDeliveredWithinTarget = ordersDelivered == 0 ? 0 : Double(withinTarget) / Double(ordersDelivered)
        meanOverageMinutes = ordersDelivered == 0 ? 0 : Double(overage) / Double(ordersDelivered)
        meanOrdersPerAssignment = assignments == 0 ? 0 : Double(ordersDelivered) / Double(assignments)

        var perCourierBundles = [Int](repeating: 0, count: inst.couriers.count)
        for a in r.assignments { perCourierBundles[a.courierIndex] += 1 }
        let speed = p.metersPerMinute
        func point(_ l: MDRPLocation) -> (Double, Double) {
            switch l {
            case .courierStart(let c): return (inst.couriers[c].x, inst.couriers[c].y)
            case .restaurant(let x): return (inst.restaurants[x].x, inst.restaurants[x].y)
            case .customer(let o): return (inst.orders[o].x, inst.orders[o].y)
            }
        }
        var shiftTotal = 0, busyTotal = 0
        var utilSum = 0.0, payment = 0.0, onGuarantee = 0
        for (c, courier) in inst.couriers.enumerated() {
            let shift = courier.offTime - courier.onTime
            var driving = 0
            for m in r.moves[c] {
                let (ax, ay) = point(m.origin), (bx, by) = point(m.destination)
                let dx = bx - ax, dy = by - ay
                driving += Int(((dx * dx + dy * dy).squareRoot() / speed).rounded(.up))
            }
            let busy = driving + perCourierBundles[c] * p.pickupServiceMinutes
                + perCourierOrders[c] * p.dropoffServiceMinutes
            shiftTotal += shift
            busyTotal += busy
            utilSum += Double(busy) / Double(shift)
            let earned = Double(perCourierOrders[c]) * p.payPerOrder
            let guaranteed = Double(shift) * p.guaranteedPayPerHour / 60
            payment += Swift.max(earned, guaranteed)
            if earned < guaranteed { onGuarantee += 1 }
        }
        courierHours = Double(shiftTotal) / 60
        ordersPerCourierHour = shiftTotal == 0 ? 0 : Double(ordersDelivered) / courierHours
        courierUtilization = inst.couriers.isEmpty ? 0 : utilSum / Double(inst.couriers.count)
        aggregateUtilization = shiftTotal == 0 ? 0 : Double(busyTotal) / Double(shiftTotal)
        totalPayment = payment
        shareOnGuarantee = inst.couriers.isEmpty ? 0 : Double(onGuarantee) / Double(inst.couriers.count)
        wallSeconds = r.wallSeconds
    }
}
