import Scenario
import SimCore
import Testing
@testable import World

/// A partition between two regions (`region_partition`, issue 17 item 5): a message sent
/// across it while it lasts arrives exactly at the heal plus the one-way trip, or fails
/// exactly at its send plus the timeout when the heal comes too late; other messages keep
/// their one-way trip. Exact times from the channel's log (`CrossRegionChannelTests`' two
/// regions, 40 ms one-way).
@Suite struct RegionPartitionTests {
    static let start = 5 * SimUnit.minute, length = 30 * SimUnit.second, oneWay = 40 * SimUnit.millisecond

    static func run(timeout: String) throws -> (PlatformSimulation, [CrossRegionChannel.Delivery], [CrossRegionChannel.Delivery], RunMetrics) {
        let body = CrossRegionChannelTests.twoRegions + "\nfaults:\n  - { kind: region_partition, regions: [east, west], at: 5min, for: 30s, timeout: \(timeout) }\n"
        let model = try CrossRegionChannelTests.model(body, overrides: ["duration=7min"])
        model.channel.startRecording()
        var s = Scheduler(reservingCapacity: 1 << 12)
        model.start(&s)
        _ = s.run(model, until: 7 * SimUnit.minute)
        return (model, try #require(model.channel.deliveries), try #require(model.channel.timeouts), model.metrics(at: s.now))
    }

    /// Timeout 60 s, longer than the partition: every message sent in [5 min, 5 min 30 s)
    /// arrives at exactly 5 min 30 s + 40 ms; the others exactly 40 ms after they were sent;
    /// none fails.
    @Test func messagesSentDuringThePartitionArriveAtTheHealPlusTheTrip() throws {
        let (_, log, failed, m) = try Self.run(timeout: "60s")
        let heal = Self.start + Self.length
        try #require(log.contains { $0.sentAt >= Self.start && $0.sentAt < heal && $0.kind == .write }, "no write crossed during the partition")
        var held = 0
        for d in log {
            if d.sentAt >= Self.start && d.sentAt < heal {
                #expect(d.deliveredAt == heal + Self.oneWay, "\(d.kind) sent \(d.sentAt)")
                held += 1
            } else {
                #expect(d.deliveredAt == d.sentAt + Self.oneWay)
            }
        }
        #expect(failed.isEmpty)
        let key = "fault.0.region_partition@east~west"
        let counted = ["writes_delayed", "answers_delayed", "calls_delayed"].compactMap { m.counterValue("\(key).\($0)") }.reduce(0, +)
        #expect(counted == Double(held))
    }

    /// Timeout 10 s: a message sent at t in the partition fails at exactly t + 10 s when the
    /// heal's delivery (5 min 30 s + 40 ms) would be later, i.e. t < 5 min 20.04 s; later ones
    /// arrive at the heal plus the trip. A failed write's request fails in its sender's region.
    @Test func messagesThatWouldWaitPastTheTimeoutFailAtSendPlusTimeout() throws {
        let (_, log, failed, m) = try Self.run(timeout: "10s")
        let heal = Self.start + Self.length, timeout = 10 * SimUnit.second
        try #require(failed.contains { $0.kind == .write }, "no write failed")
        for d in failed {
            #expect(d.sentAt >= Self.start && d.sentAt < heal)
            #expect(d.deliveredAt == d.sentAt + timeout)
            #expect(heal + Self.oneWay > d.sentAt + timeout)
        }
        for d in log where d.sentAt >= Self.start && d.sentAt < heal {
            #expect(d.deliveredAt == heal + Self.oneWay)
            #expect(heal + Self.oneWay <= d.sentAt + timeout)
        }
        let key = "fault.0.region_partition@east~west"
        let counted = ["writes_failed", "answers_failed", "calls_failed"].compactMap { m.counterValue("\(key).\($0)") }.reduce(0, +)
        #expect(counted == Double(failed.count))
        // Detected when the first message failed (what clients saw first); recovered when the
        // last held message has crossed (the heal plus the trip).
        #expect(m.counterValue("\(key).detected_s") == SimUnit.seconds(failed.map(\.deliveredAt).min()!))
        #expect(m.counterValue("\(key).recovered_s") == SimUnit.seconds(heal + Self.oneWay))
    }

    /// Keys checked per kind: two distinct regions, `at` and `for` required.
    @Test func partitionKeysAreChecked() throws {
        for (fault, needle) in [("{ kind: region_partition, regions: [east], at: 1min, for: 1min }", "cuts two regions apart"),
                                ("{ kind: region_partition, regions: [east, east], at: 1min, for: 1min }", "must differ"),
                                ("{ kind: region_partition, regions: [east, wset], at: 1min, for: 1min }", "did you mean 'west'"),
                                ("{ kind: region_partition, regions: [east, west], at: 1min }", "needs its length"),
                                ("{ kind: db_primary_failure, at: 1min }", "needs the shard"),
                                ("{ kind: db_primary_failure, shard: 9, at: 1min }", "shard 9 does not exist"),
                                ("{ kind: db_primary_failure, shard: 1, at: 1min, region: east }", "names its shard only")] {
            // Loading decodes the platform sections: the error comes from there.
            var message = "loaded without error"
            do { _ = try PlatformSimulationTests.load(CrossRegionChannelTests.twoRegions + "\nfaults:\n  - \(fault)\n") } catch { message = "\(error)" }
            #expect(message.contains(needle), "\(fault): \(message)")
        }
    }
}
