import Platform
import Scenario
import SimCore

/// The run's measurements that belong to no one component (see README.md in this folder):
/// each client endpoint's latency and failures per city, its latency over time, the order
/// latencies (click to door, matching delay, wait for food, produce acknowledgement), calls
/// answered across regions, and the incident markers. Components record into it; only the
/// report reads it. It calls nothing.
final class Measurements {
    /// One city's client endpoints (after the warm-up).
    struct Endpoints {
        var placeOrder = LatencyHistogram()
        var menuView = LatencyHistogram()
        var orderStatus = LatencyHistogram()
        var orderHistory = LatencyHistogram()
        var locationUpdate = LatencyHistogram()
        var placeOrderFailed = 0
        var menuFailed = 0
        var statusFailed = 0
        var historyFailed = 0
        var pingsFailed = 0
        /// Issue 11: this region's order latencies (the order's city), the global ones split
        /// by region; reported only when the world has more than one region.
        var clickToDoor = LatencyHistogram()
        var matchingDelay = LatencyHistogram()
        var foodWait = LatencyHistogram()
    }

    private(set) var cities: [Endpoints]
    /// Latency of each client endpoint per city over time (`city * 5 + RequestKind` for the
    /// five client kinds), warm-up included: the p50/p99 and throughput charts.
    private(set) var endpointSeries: [PercentileSeries] = []
    private(set) var clickToDoor = LatencyHistogram()
    private(set) var matchingDelay = LatencyHistogram()
    private(set) var foodWait = LatencyHistogram()
    private(set) var produceAck = LatencyHistogram()
    /// Client calls answered by another region's pools (a city whose region is down).
    private(set) var crossRegionCalls = 0
    /// Incidents for the report's time charts (crashes, scale events, rebalances, failovers).
    private(set) var markers: [RunMetrics.Marker] = []
    private let warmup: SimTime
    private let latencyInterval: SimTime
    /// Where each client call's time goes (`StageClock`).
    let stages: StageClock

    init(cities: Int, warmup: SimTime, latencyInterval: SimTime) {
        self.cities = Array(repeating: Endpoints(), count: cities)
        stages = StageClock(cities: cities, warmup: warmup)
        self.warmup = warmup
        self.latencyInterval = latencyInterval
    }

    /// The series start with the run (`PlatformSimulation.start`).
    func start() {
        endpointSeries = Array(repeating: PercentileSeries(interval: latencyInterval, maxPoints: 512), count: cities.count * 5)
    }

    /// Client call of `kind` (`RequestKind` raw value, < 5 for the client endpoints) of city
    /// `c`, started at `start`, answered at `now` after `latency` (the failover round trip
    /// included; `crossRegion` when another region's pools answered).
    @inline(__always) func answered(kind: UInt8, city c: Int, start: SimTime, latency lat: SimTime, now: SimTime, crossRegion: Bool) {
        guard kind < 5 else { return }
        endpointSeries[c * 5 + Int(kind)].record(lat, at: now)
        guard start >= warmup else { return }
        if crossRegion { crossRegionCalls += 1 }
        switch kind {
        case 0: cities[c].placeOrder.record(lat)
        case 1: cities[c].menuView.record(lat)
        case 2: cities[c].orderStatus.record(lat)
        case 3: cities[c].orderHistory.record(lat)
        default: cities[c].locationUpdate.record(lat)
        }
    }

    /// A client call of `kind` of city `c` failed for good.
    func failed(kind: UInt8, city c: Int) {
        switch kind {
        case 0: cities[c].placeOrderFailed += 1
        case 1: cities[c].menuFailed += 1
        case 2: cities[c].statusFailed += 1
        case 3: cities[c].historyFailed += 1
        case 4: cities[c].pingsFailed += 1
        default: break
        }
    }

    /// The order latencies, counted for orders placed after the warm-up, globally and in the
    /// order's city `c`.
    @inline(__always) func delivered(placedAt: SimTime, city c: Int, now: SimTime) {
        guard placedAt >= warmup else { return }
        clickToDoor.record(now - placedAt)
        cities[c].clickToDoor.record(now - placedAt)
    }
    @inline(__always) func matched(placedAt: SimTime, city c: Int, now: SimTime) {
        guard placedAt >= warmup else { return }
        matchingDelay.record(now - placedAt)
        cities[c].matchingDelay.record(now - placedAt)
    }
    @inline(__always) func waitForFood(placedAt: SimTime, city c: Int, _ wait: SimTime) {
        guard placedAt >= warmup else { return }
        foodWait.record(wait)
        cities[c].foodWait.record(wait)
    }
    @inline(__always) func produced(start: SimTime, _ latency: SimTime) {
        if start >= warmup { produceAck.record(latency) }
    }

    /// Records an incident for the report's charts; bounded, so a long run with a busy
    /// autoscaler cannot grow it without limit.
    func mark(_ time: SimTime, _ kind: String, _ label: String) {
        if markers.count < 2000 { markers.append(RunMetrics.Marker(time: time, kind: kind, label: label)) }
    }
}
