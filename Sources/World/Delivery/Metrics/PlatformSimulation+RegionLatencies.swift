import Platform
import Scenario
import SimCore

extension PlatformSimulation {
    /// Issue 11: the order latencies per region (the order's city), so a multi-region run shows
    /// each region's own tail at its own peak: `click_to_door@<region>`,
    /// `matching_delay@<region>`, `courier.wait_for_food@<region>`. They split the global
    /// histograms exactly (each sample is recorded in both), so their counts add up to the
    /// global ones. A one-region world would only repeat the global keys, so they are written
    /// when the world has more than one region.
    func reportRegionOrderLatencies(_ m: inout RunMetrics) {
        let regions = config.regions
        guard regions.count > 1 else { return }
        for (c, city) in measurements.cities.enumerated() where c < regions.count {
            let n = regions[c].name
            m.latency("click_to_door@\(n)", city.clickToDoor)
            m.latency("matching_delay@\(n)", city.matchingDelay)
            m.latency("courier.wait_for_food@\(n)", city.foodWait)
        }
    }
}
