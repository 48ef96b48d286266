import SimCore

/// Courier hours after the warm-up, per city: on duty, and on a trip (from the departure the
/// dispatcher set to the trip's last drop-off). Their ratio is the couriers' utilisation, the
/// figure an operator staffs to: near 1 the city has no idle courier to offer a new order to.
extension Couriers {
    /// Per city, (hours on a trip, hours on duty) from `measuredFrom` to `now`, the stretches
    /// still open at `now` included. O(couriers).
    func hours(at now: SimTime) -> [(busy: Double, duty: Double)] {
        var busy = busyTime, duty = dutyTime
        for k in couriersBuilt {
            let c = city(k)
            if isOnDuty(k) { duty[c] += measured(dutySince(k), now) }
            if isOnTrip(k) { busy[c] += measured(departure(k), now) }
        }
        return zip(busy, duty).map { (SimUnit.seconds($0.0) / 3600, SimUnit.seconds($0.1) / 3600) }
    }

    /// `couriers.<region>.duty_hours`, `.busy_hours` and `.utilisation` (busy / duty).
    func reportHours(into m: inout RunMetrics, regions: [String], at now: SimTime) {
        for (c, h) in hours(at: now).enumerated() where c < regions.count {
            m.counter("couriers.\(regions[c]).duty_hours", h.duty)
            m.counter("couriers.\(regions[c]).busy_hours", h.busy)
            m.counter("couriers.\(regions[c]).utilisation", h.duty > 0 ? h.busy / h.duty : 0)
        }
    }
}
