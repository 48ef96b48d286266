import Reports
import SimCore

/// Reports built by hand, so the HTML can be tested on every kind of series before the
/// platform model records them: the naming convention of `SeriesCatalog` is the contract.
enum SyntheticReports {
    static let header = Report.Header(scenarioName: "synthetic-platform", scenarioFile: "scenarios/synthetic.yaml",
                                      description: "Every chart kind the report knows, with made-up numbers",
                                      resolvedScenario: .object([("name", .string("synthetic-platform")), ("seed", .integer(3))]),
                                      seed: 3, replications: 2, model: "platform")

    static func histogram(_ base: Double, spread: Double, n: Int, seed: Int) -> LatencyHistogram {
        var h = LatencyHistogram()
        var x = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        for _ in 0..<n {
            // xorshift: a deterministic uniform in (0, 1), then an exponential tail.
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            let u = (Double(x >> 11) + 0.5) / 9_007_199_254_740_992
            h.record(SimTime((base + spread * -logApprox(u)) * 1e6))
        }
        return h
    }

    /// ln(u) without Foundation, good to 1e-9 for u in (0, 1).
    static func logApprox(_ u: Double) -> Double {
        // ln(u) = 2 atanh((u-1)/(u+1)), series converges for all u > 0.
        let z = (u - 1) / (u + 1), z2 = z * z
        var term = z, sum = 0.0
        for k in stride(from: 1, through: 401, by: 2) { sum += term / Double(k); term *= z2 }
        return 2 * sum
    }

    static func times(_ n: Int) -> [SimTime] { (0..<n).map { SimTime($0) * SimUnit.minute } }

    static func wave(_ n: Int, base: Double, amplitude: Double, phase: Double = 0) -> [Double] {
        (0..<n).map { i in
            let t = Double(i) / Double(n) * 6.283185307179586 + phase
            // A smooth daily-ish curve without Foundation's sin: a few Taylor terms on [−π, π].
            var x = t.truncatingRemainder(dividingBy: 6.283185307179586)
            if x > 3.141592653589793 { x -= 6.283185307179586 }
            let s = x - x * x * x / 6 + x * x * x * x * x / 120 - x * x * x * x * x * x * x / 5040
            return base + amplitude * s
        }
    }

    static func platformRun(_ rep: Int) -> RunMetrics {
        var m = RunMetrics()
        let n = 120
        let t = times(n)
        for (region, k) in [("eu", 0.0), ("us", 1.0)] {
            m.latency("place_order@\(region).latency", histogram(40 + 10 * k, spread: 25, n: 4000, seed: 11 + rep + Int(k)))
            m.addSeries("place_order@\(region).latency.p50", unit: "ms", times: t, values: wave(n, base: 45 + 10 * k, amplitude: 8))
            m.addSeries("place_order@\(region).latency.p99", unit: "ms", times: t, values: wave(n, base: 160 + 20 * k, amplitude: 50))
            m.addSeries("order_service@\(region).replicas", unit: "replicas", times: t, values: wave(n, base: 10 + 3 * k, amplitude: 5).map { $0.rounded() })
        }
        m.latency("click_to_door", histogram(25 * 60_000, spread: 8 * 60_000, n: 3000, seed: 5 + rep))
        m.latency("track.latency", LatencyHistogram())  // a metric without samples: table only
        m.addSeries("track.latency.p99", unit: "s", times: t, values: wave(n, base: 0.4, amplitude: 0.1))
        m.addSeries("dispatch.replicas", unit: "replicas", times: t, values: wave(n, base: 6, amplitude: 3).map { $0.rounded() })
        m.addSeries("order_service.cpu", unit: "ratio", times: t, values: wave(n, base: 0.6, amplitude: 0.2))
        m.addSeries("dispatch.cpu", unit: "ratio", times: t, values: wave(n, base: 0.5, amplitude: 0.25, phase: 1))
        m.addSeries("kafka.location_updates.lag", unit: "messages", times: t, values: wave(n, base: 2000, amplitude: 1800))
        m.addSeries("kafka.orders.lag", unit: "messages", times: t, values: wave(n, base: 40, amplitude: 30))
        m.addSeries("cache.l1.hit_ratio", unit: "ratio", times: t, values: wave(n, base: 0.8, amplitude: 0.05))
        m.addSeries("cache.redis.hit_ratio", unit: "ratio", times: t, values: wave(n, base: 0.95, amplitude: 0.02))
        m.addSeries("kitchen.queue_length", unit: "orders", times: t, values: wave(n, base: 12, amplitude: 9))
        m.addSeries("couriers.idle", unit: "couriers", times: t, values: wave(n, base: 300, amplitude: 120))
        m.addSeries("lonely.point", unit: "x", times: [0], values: [3])
        m.counter("order_service.min_replicas", 2)
        m.counter("order_service.max_replicas", 20)
        m.counter("dispatch.max_replicas", 12)
        m.counter("orders.delivered", 5000 + Double(rep) * 17)
        m.counter("orders.within_target_ratio", 0.91 + Double(rep) * 0.01)
        m.gauge("couriers.busy", mean: 410 + Double(rep), max: 600, unit: "couriers")
        m.gauge("order_service.utilization", mean: 0.62, max: 0.97, unit: "ratio")
        m.invariant("orders_conserved", true, "placed 5000 = delivered + cancelled + open")
        m.findings = [("warning", "cache.cold_start", "the L1 cache needed 4 min to warm up")]
        m.simulatedTime = SimTime(n) * SimUnit.minute
        m.warmupCut = 10 * SimUnit.minute
        m.eventsProcessed = 123_456
        return m
    }

    /// Two replications of a platform-like run with every chart kind.
    static func platform() -> Report { Report(header: header, replications: [platformRun(0), platformRun(1)]) }

    /// A queueing-model report as World writes it (station series and latencies).
    static func queueing() -> Report {
        var m = RunMetrics()
        let n = 50
        let t = times(n)
        m.latency("server.wait", histogram(0, spread: 400, n: 5000, seed: 3))
        m.latency("server.sojourn", histogram(1000, spread: 900, n: 5000, seed: 4))
        m.latency("network.sojourn", histogram(1000, spread: 900, n: 5000, seed: 4))
        m.addSeries("server.queue_length", unit: "customers", times: t, values: wave(n, base: 5, amplitude: 4))
        m.addSeries("server.wait.mean", unit: "s", times: t, values: wave(n, base: 0.5, amplitude: 0.3))
        m.counter("network.arrivals", 10000)
        m.counter("server.p_wait", 0.61)
        m.gauge("server.queue_length", mean: 5, max: 54, unit: "customers")
        m.gauge("server.utilization", mean: 0.88, max: 1, unit: "ratio")
        m.invariant("conservation", true, "arrivals 10000 = departures 10000 + in system 0")
        m.simulatedTime = SimTime(n) * SimUnit.minute
        m.eventsProcessed = 40_000
        let h = Report.Header(scenarioName: "mmc", scenarioFile: "scenarios/validation/mmc.yaml", description: "M/M/8",
                              resolvedScenario: .object([("name", .string("mmc"))]), seed: 42, replications: 1, model: "queueing")
        return Report(header: h, replications: [m])
    }
}
