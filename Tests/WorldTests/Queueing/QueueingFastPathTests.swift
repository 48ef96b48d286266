import Foundation
import Scenario
import SimCore
import Testing
@testable import World

/// The single-station loop (`QueueingNetwork+SingleStation.swift`) against the general
/// event loop on the same model and seed: the metrics JSON (every histogram's lossless
/// state, gauge, series point and counter), the event count and the final clock must be
/// identical, so the shortcut can never change a report. The cases cover the ways a run
/// ends (customer limit, time limit), the warm-up by count and by time (the warm-up cut
/// event), one and eight servers, and an overloaded station whose line outgrows the ring's
/// first 1,024 slots.
@Suite struct QueueingFastPathTests {
    func config(servers: Int, rate: String, customers: Int?, warmupCustomers: Int, warmup: String, duration: String?) throws -> ScenarioConfig {
        let dir = NSTemporaryDirectory() + "capsim-fast-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/mmc.yaml"
        try """
            name: mmc
            seed: 7
            model: queueing
            warmup: \(warmup)
            \(duration.map { "duration: \($0)" } ?? "")
            queueing:
              \(customers.map { "customers: \($0)" } ?? "")
              warmup_customers: \(warmupCustomers)
              arrivals: [{ to: server, rate: \(rate) }]
              stations: { server: { servers: \(servers), service: { exponential: { mean: 1s } } } }
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return try ScenarioConfig.load(path: path)
    }

    func model(_ c: ScenarioConfig) -> QueueingNetwork {
        guard case .fixed(let w) = c.warmup else { fatalError("fixed warm-up expected") }
        return QueueingNetwork(config: c.queueing!, seeder: StreamSeeder(masterSeed: 99), warmup: w, interval: c.reportInterval)
    }

    @Test(arguments: [
        (8, "7.2/s", 60_000 as Int?, 1_000, "0s", nil as String?),
        (1, "0.9/s", 20_000, 0, "10min", nil),
        (3, "2.5/s", nil, 100, "2min", "3h"),
        (1, "1.3/s", 30_000, 10, "0s", "2h"),
    ])
    func singleStationLoopEqualsTheGeneralLoop(servers: Int, rate: String, customers: Int?, warmupCustomers: Int,
                                               warmup: String, duration: String?) throws {
        let c = try config(servers: servers, rate: rate, customers: customers, warmupCustomers: warmupCustomers,
                           warmup: warmup, duration: duration)
        let limit = c.duration ?? .max
        let general = model(c)
        var s = Scheduler()
        general.start(&s)
        _ = s.run(general, until: limit)
        var expected = general.metrics(at: s.now)
        expected.eventsProcessed = s.eventsProcessed

        let fast = model(c)
        #expect(fast.singleStationLoopApplies)
        var ticks = 0
        let (now, events) = fast.runSingleStation(until: limit, every: 4_096) { _, _ in ticks += 1 }
        var got = fast.metrics(at: now)
        got.eventsProcessed = events

        #expect(now == s.now)
        #expect(events == s.eventsProcessed)
        // One tick per 4,096 events, none after the event that stops the run.
        #expect(ticks == Int(events / 4_096) || ticks == Int(events / 4_096) - 1)
        #expect(got.json.serialized() == expected.json.serialized())
        // The overloaded case ends with a line longer than the ring's initial 1,024 slots.
        if rate == "1.3/s" { #expect(got.counterValue("network.in_system") ?? 0 > 1_024) }
    }

    @Test func otherModelsUseTheGeneralLoop() throws {
        let c = try config(servers: 2, rate: "1/s", customers: 10, warmupCustomers: 0, warmup: "auto", duration: nil)
        let q = c.queueing!
        #expect(!QueueingNetwork(config: q, seeder: StreamSeeder(masterSeed: 1), warmup: 0, interval: c.reportInterval,
                                 recordSeries: true).singleStationLoopApplies)
    }
}
