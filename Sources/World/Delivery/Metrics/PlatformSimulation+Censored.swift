import Platform
import Scenario
import SimCore

extension PlatformSimulation {
    /// Click-to-door with every order counted (issue 11, "measurement you can trust"): the
    /// orders placed after the warm-up and still in flight at the end are right-censored,
    /// their delivery time is at least their age. `click_to_door.censored_age` holds the ages,
    /// `click_to_door.all_orders` the delivered times together with the ages: each of its
    /// percentiles is a lower bound of the true one, and exact when every censored age is at
    /// or above it (the censored orders then all lie above it whatever their true time).
    /// `click_to_door.all_orders.p<q>_lower_bound` is 1 when only the bound is known.
    func reportCensored(_ m: inout RunMetrics, now: SimTime) {
        findShortWarmup(&m)
        var ages = LatencyHistogram()
        let from = warmup
        orders.forEachInFlight { placedAt in if placedAt >= from { ages.record(now - placedAt) } }
        Self.reportCensored(&m, ages: ages, clickToDoor: measurements.clickToDoor, matchingDelay: measurements.matchingDelay,
                            foodWait: measurements.foodWait)
    }

    /// The censored orders' ages `ages` against the delivered ones: also for the histograms
    /// merged over the regions' logical processes of a parallel run (`RegionReport`).
    static func reportCensored(_ m: inout RunMetrics, ages: LatencyHistogram, clickToDoor: LatencyHistogram,
                               matchingDelay: LatencyHistogram, foodWait: LatencyHistogram) {
        var all = clickToDoor
        all.merge(ages)
        m.counter("click_to_door.censored", Double(ages.count))
        m.latency("click_to_door.censored_age", ages)
        m.latency("click_to_door.all_orders", all)
        var bounds: [String] = []
        for p in Self.reportedPercentiles {
            let inexact = ages.count > 0 && Double(ages.min) < all.percentile(p)
            m.counter("click_to_door.all_orders.p\(Int(p))_lower_bound", inexact ? 1 : 0)
            if inexact { bounds.append("p\(Int(p))") }
        }
        if !bounds.isEmpty {
            m.findings.append(("warning", "censored", "click_to_door: \(ages.count) orders were still in flight at the end (oldest \(MetricsFormat.fmt(SimUnit.seconds(ages.max) / 60)) min); "
                               + "\(bounds.joined(separator: ", ")) of click_to_door.all_orders are only lower bounds (add `demand.drain` or run longer); click_to_door alone leaves them out"))
        }
        for (name, h) in [("click_to_door", clickToDoor), ("matching_delay", matchingDelay), ("courier.wait_for_food", foodWait)] {
            // A p-th percentile needs at least 100 / (100 − p) samples above the warm-up to be
            // more than the maximum.
            let short = Self.reportedPercentiles.filter { h.count > 0 && Double(h.count) < 100 / (100 - $0) }
            if !short.isEmpty {
                m.findings.append(("warning", "too_short", "\(name): \(h.count) samples after the warm-up are too few for \(short.map { "p\(Int($0))" }.joined(separator: ", ")) (a p-th percentile needs 100 / (100 − p)); run longer"))
            }
        }
    }

    /// The warm-up should cover at least one trip (couriers start idle and no order is open at
    /// t = 0): mean prep time + pick-up + drop-off service + the mean delivery leg (2/3 of the
    /// delivery radius for a uniform disc) at courier speed.
    func findShortWarmup(_ m: inout RunMetrics) {
        let trip = MetricsFormat.meanOf(config.prepTime) + SimUnit.seconds(config.pickupService + config.dropoffService)
            + 2.0 / 3 * config.deliveryRadius / max(1e-9, config.courierSpeed)
        if SimUnit.seconds(warmup) < trip {
            m.findings.append(("warning", "warmup_short", "warm-up \(MetricsFormat.fmt(SimUnit.seconds(warmup) / 60)) min is shorter than one trip (~\(MetricsFormat.fmt(trip / 60)) min: mean prep + service + delivery leg): the first trips' transient is measured; set `warmup:` to at least that"))
        }
    }

    static let reportedPercentiles: [Double] = [50, 90, 99]
}
