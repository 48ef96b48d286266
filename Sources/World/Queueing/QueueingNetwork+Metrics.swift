import Scenario
import SimCore

extension QueueingNetwork {
    /// The run's measurements, closed at the current time.
    public func metrics(at now: SimTime) -> RunMetrics {
        var m = RunMetrics()
        for (k, st) in stations.enumerated() {
            let name = config.stations[k].name
            m.latency("\(name).wait", st.wait)
            m.latency("\(name).sojourn", st.sojourn)
            m.counter("\(name).served", Double(st.served))
            m.counter("\(name).p_wait", st.wait.count == 0 ? 0 : Double(st.waited) / Double(st.wait.count))
            m.gauge("\(name).queue_length", mean: st.queueLength.mean(until: now), max: st.queueLength.max, unit: "customers")
            m.gauge("\(name).busy_servers", mean: st.busyServers.mean(until: now), max: st.busyServers.max, unit: "servers")
            m.gauge("\(name).utilization", mean: st.busyServers.mean(until: now) / Double(st.servers), max: st.busyServers.max / Double(st.servers), unit: "ratio")
            var qs = st.queueSeries
            qs.finish(at: now)
            m.addSeries("\(name).queue_length", unit: "customers", times: (0..<qs.count).map(qs.time(ofPoint:)), values: (0..<qs.count).map(qs.mean(ofPoint:)))
            let ws = st.waitSeries
            // An interval in which nobody finished waiting has no mean: NaN (charts skip it, CSV leaves it empty).
            m.addSeries("\(name).wait.mean", unit: "s", times: ws.points.indices.map(ws.time(ofPoint:)),
                        values: ws.points.map { $0.count == 0 ? .nan : $0.mean })
        }
        m.latency("network.sojourn", sojournIsStations ? stations[0].sojourn : systemSojourn)
        m.counter("network.arrivals", Double(externalArrivals))
        m.counter("network.departures", Double(departedNetwork))
        m.counter("network.in_system", Double(inSystem))
        m.invariant("conservation", externalArrivals == departedNetwork + inSystem,
                    "arrivals \(externalArrivals) = departures \(departedNetwork) + in system \(inSystem)")
        m.simulatedTime = now
        m.warmupCut = warmupTime
        return m
    }
}
