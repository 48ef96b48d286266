import CapsimTestSupport
import Foundation
import Scenario
import SimCore
import Testing

/// Every value the schema accepts is safe to simulate; the rest is refused at load time with
/// file:line, the key path, the limit and a fix (issue 18). Each case below crashed, hung or
/// ran away before the limits (the crash sites are in the issue).
@Suite struct ScenarioLimitsTests {
    let dir: TemporaryDirectory
    let baseline: String

    init() throws {
        dir = try TemporaryDirectory(prefix: "capsim-limits")
        baseline = RealSystems.repositoryRoot + "/scenarios/baseline.yaml"
    }

    func errors(_ path: String, _ overrides: [String] = []) -> [ScenarioError] {
        do { _ = try ScenarioConfig.load(path: path, overrides: overrides); return [] } catch { return error.errors }
    }

    /// The single error of loading the baseline with `assignment`.
    func refusal(_ assignment: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ScenarioError {
        let e = errors(baseline, [assignment])
        #expect(e.count == 1, "\(e)", sourceLocation: sourceLocation)
        return try #require(e.first, sourceLocation: sourceLocation)
    }

    @Test func nonFiniteAndHugeDurationsGetTheirOwnMessage() throws {
        for v in ["inf", "nan", "1e400ms", "1e300h", "-inf"] {
            let e = try refusal("duration=\(v)")
            #expect(e.path == "duration" && e.message.contains("not a finite duration"), "\(v): \(e)")
        }
        // 106752 days is past Int64 nanoseconds (106,751.99 days); ten years is the stated limit.
        let e = try refusal("duration=106752d")
        #expect(e.message.contains("maximum duration of 3650d") && e.fix == "use a duration ≤ 3650d")
        #expect(errors(baseline, ["services.order_service.startup=3651d"]).first?.path == "services.order_service.startup")
        #expect(try Units.duration("3650d").get() == 3650 * SimUnit.day)
    }

    @Test func percentagesAreAboveZeroAndAtMostOneHundred() throws {
        for v in ["170", "0", "1e308", "-5", "100.5%"] {
            let e = try refusal("services.order_service.target_cpu=\(v)")
            #expect(e.path == "services.order_service.target_cpu" && e.fix.contains("(0, 100]"), "\(v): \(e)")
        }
        #expect(errors(baseline, ["services.order_service.target_cpu=100%"]).isEmpty)
    }

    @Test func calendarDatesAreChecked() throws {
        // 2024 is a leap year, 2023 is not; April has 30 days.
        for v in ["2024-02-30", "2023-02-29", "2024-04-31", "2024-13-01", "0-01-01", "2024-1"] {
            let e = try refusal("database.epoch=\"\(v)\"")
            #expect(e.path == "database.epoch" && e.message.contains("not a calendar date"), "\(v)")
        }
        #expect(errors(baseline, ["database.epoch=\"2024-02-29\""]).isEmpty)
    }

    @Test func sizesAndIntervalsHaveStatedLimits() throws {
        let ttl = try refusal("cache.l1.ttl=0s")
        #expect(ttl.path == "cache.l1.ttl" && ttl.message.contains("above 0s"))
        let cap = try refusal("cache.l1.capacity=4611686018427387904")
        #expect(cap.message.contains("above the maximum 10000000"))
        let speed = try refusal("couriers.speed=1e-300km/h")
        #expect(speed.message.contains("0.1km/h to 1000km/h"))
        let radius = try refusal("regions.us_east.city_radius=1e-300km")
        #expect(radius.path == "regions.us_east.city_radius" && radius.fix == "use a value from 100m to 500km")
        // ping_idle is reported at its own key and line, not at matching.interval, line 1.
        let p = try String(contentsOfFile: baseline, encoding: .utf8).replacingOccurrences(of: "ping_idle: 15s", with: "ping_idle: 0s")
        let file = dir.file("ping.yaml")
        try p.write(toFile: file, atomically: true, encoding: .utf8)
        let ping = try #require(errors(file).first)
        let line = p.components(separatedBy: "\n").firstIndex { $0.contains("ping_idle: 0s") }! + 1
        #expect(ping.path == "couriers.ping_idle" && ping.location.line == line)
        let list = "[" + Array(repeating: "1", count: SchemaType.maxListItems + 1).joined(separator: ",") + "]"
        let long = try refusal("demand.profile=\(list)")
        #expect(long.message.contains("more than the limit of 10000"))
    }

    @Test func distributionsNeedAFiniteMeanAndBoundedSpread() throws {
        let pareto = try refusal("database.replication_lag={pareto: {alpha: 0.01, minimum: 1ms}}")
        #expect(pareto.path == "database.replication_lag.pareto.alpha" && pareto.message.contains("mean is infinite"))
        #expect(errors(baseline, ["database.replication_lag={pareto: {alpha: 2.5, minimum: 1ms}}"]).isEmpty)
        let sigma = try refusal("services.order_service.cpu.place_order={lognormal: {median: 1ms, sigma: 1e300}}")
        #expect(sigma.message.contains("limit of 4"))
        // A mean of 3650d × e^8 is far past ten years even with every parameter in range.
        let mean = try refusal("services.order_service.cpu.place_order={lognormal: {median: 3650d, sigma: 4}}")
        #expect(mean.message.contains("above the limit of 3650d"))
        // A finite mean is not enough: one draw in 10^12 of median 1h, sigma 4 is 3600 s × e^28
        // (about 5e15 years), past what Int64 nanoseconds hold.
        let tail = try refusal("services.order_service.cpu.place_order={lognormal: {median: 1h, sigma: 4}}")
        #expect(tail.message.contains("one draw in 10^12") && tail.path == "services.order_service.cpu.place_order.lognormal")
        #expect(errors(baseline, ["services.order_service.cpu.place_order={lognormal: {median: 10ms, sigma: 2}}"]).isEmpty)
        let weibull = try refusal("restaurants.prep_time={weibull: {shape: 0.01, scale: 1s}}")
        #expect(weibull.path == "restaurants.prep_time.weibull.shape")
    }

    @Test func aliasBombIsRefusedAfterTheNodeLimit() throws {
        var text = "name: bomb\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for k in 1...9 { text += "l\(k): &l\(k) [" + Array(repeating: "*l\(k - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let file = dir.file("bomb.yaml")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let e = errors(file)
        #expect(e.count == 1 && e[0].message.contains("more than \(YAMLReader.maxNodes) values"))
        #expect(e.first?.location.line ?? 0 > 0)
    }

    @Test func extendsCannotBeSetAndCyclesThroughRelativePathsAreFound() throws {
        let set = try refusal("extends=other.yaml")
        #expect(set.path == "extends" && set.message.contains("cannot be set on the command line"))
        // d/a.yaml extends ../d/a.yaml: the same file by another spelling, run by a relative path.
        let d = dir.file("d")
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        try "name: a\nextends: ../d/a.yaml\n".write(toFile: d + "/a.yaml", atomically: true, encoding: .utf8)
        // (The run by a relative path is in HostileInputCommandTests: a test must not change
        // the process's working directory under the tests running beside it.)
        let e = errors(d + "/a.yaml")
        #expect(e.count == 1 && e[0].message.contains("extends cycle") && e[0].location.line == 2)
        #expect(ScenarioLoader.canonical(d + "/../d/./a.yaml") == ScenarioLoader.canonical(d + "/a.yaml"))
    }

    @Test func absurdWorkIsRefusedWithTheEstimate() throws {
        // A billion orders an hour for an hour: far more than 2e9 events.
        let events = try refusal("demand.orders_per_hour=1000000000/h")
        #expect(events.path == "limits.max_events" && events.message.contains("events (all replications)") && events.location.line >= 1)
        #expect(errors(baseline, ["demand.orders_per_hour=1000000000/h", "duration=1s", "warmup=0s", "limits.max_events=1000000000000"]).isEmpty)
        // Ten million L1 entries reserved on each of up to 100 replicas in 3 regions.
        let memory = try refusal("cache.l1.capacity=10000000")
        #expect(memory.path == "limits.max_memory" && memory.message.contains("MB per replication"))
        // The bundled scenarios are well inside both limits.
        #expect(errors(baseline).isEmpty)
    }

    /// The queueing estimate counts visits from the traffic equations: a Jackson network with
    /// feedback (a → b always, b → a with p = 0.25) has 1/0.75 = 1.33 visits to each station per
    /// customer, so 150,000 customers are about 1.2 M events, well inside the limit; a network
    /// a customer never leaves (a → b → a with p = 1) has unbounded visits and is refused.
    @Test func queueingEstimateFollowsTheTrafficEquations() throws {
        func network(_ back: String) throws -> String {
            let path = dir.file("net-\(back).yaml")
            try """
                name: net
                seed: 1
                queueing:
                  customers: 150000
                  arrivals: [{ to: a, rate: 0.4/s }]
                  stations:
                    a: { servers: 1, service: { exponential: { mean: 1s } }, routing: [{ to: b, probability: 1 }] }
                    b: { servers: 1, service: { exponential: { mean: 0.8s } }, routing: [{ to: a, probability: \(back) }] }
                """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        #expect(errors(try network("0.25")).isEmpty)
        let closed = errors(try network("1"))
        #expect(closed.count == 1 && closed.first?.path == "limits.max_events", "\(closed)")
    }
}
