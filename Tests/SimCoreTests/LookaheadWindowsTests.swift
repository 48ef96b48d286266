import Foundation
@testable import SimCore
import Testing

/// `LookaheadWindows` on a toy network of LPs: each LP handles local events and messages,
/// draws from its own stream, and sends messages that arrive at least the lookahead L later.
/// Event times are continuous draws (no two equal), so the one correct order is global time
/// order: each LP's log must equal the log of a run with one scheduler for all LPs, and be the
/// same for 1, 2 and 3 threads.
@Suite struct LookaheadWindowsTests {
    static let lookahead: SimTime = 32_500_000  // 32.5 ms, the bundled scenarios' least one-way trip

    /// One LP: a Poisson stream of local events (mean 5 ms); a local event sends a message with
    /// probability 0.3 to another LP, arriving L plus an exponential (mean 10 ms) later. A
    /// message's event: kind 1 + receiver, target the sender, payload the send time.
    final class Toy: WindowedProcess, EventHandler {
        struct Message { let to: Int; let at: SimTime; let sentAt: SimTime; let from: Int }
        let index: Int
        let count: Int
        let stream: RandomStream
        var scheduler = Scheduler()
        var log: [String] = []
        private(set) var outbox: [(to: Int, message: Message)] = []
        /// Delivery time − send time of every message received.
        var lateness: [SimTime] = []

        init(index: Int, count: Int) {
            self.index = index
            self.count = count
            stream = StreamSeeder(masterSeed: 11).stream("toy.\(index)")
        }

        func exp(_ mean: Double) -> SimTime { SimTime(-Foundation.log(stream.uniformPositive()) * mean) + 1 }

        func begin(_ s: inout Scheduler) { s.schedule(after: exp(5e6), kind: 0, target: UInt32(index)) }

        func handle(_ e: Event, _ s: inout Scheduler) {
            if e.kind == 0 {
                log.append("L \(e.time)")
                s.schedule(after: exp(5e6), kind: 0, target: UInt32(index))
                if stream.uniform() < 0.3 {
                    let to = (index + 1 + stream.integer(below: count - 1)) % count
                    outbox.append((to, Message(to: to, at: s.now + LookaheadWindowsTests.lookahead + exp(1e7), sentAt: s.now, from: index)))
                }
            } else {
                log.append("M \(e.time) from \(e.target) sent \(e.payload)")
                lateness.append(e.time - SimTime(e.payload))
            }
        }

        func advance(until limit: SimTime) { _ = scheduler.run(self, until: limit) }
        func clearOutbox() { outbox.removeAll() }
        func receive(_ m: Message) { Self.post(m, &scheduler) }
        var nextEventTime: SimTime? { scheduler.nextEventTime }
        var clockAtEnd: SimTime { scheduler.now }

        static func post(_ m: Message, _ s: inout Scheduler) {
            s.schedule(at: m.at, kind: 1 + UInt32(m.to), target: UInt32(m.from), payload: UInt64(m.sentAt))
        }
    }

    /// The reference: one scheduler for every toy; a message goes straight into it.
    final class OneQueue: EventHandler {
        let toys: [Toy]
        init(_ toys: [Toy]) { self.toys = toys }
        func handle(_ e: Event, _ s: inout Scheduler) {
            let toy = toys[e.kind == 0 ? Int(e.target) : Int(e.kind) - 1]
            toy.handle(e, &s)
            for m in toy.outbox { Toy.post(m.message, &s) }
            toy.clearOutbox()
        }
    }

    static let end: SimTime = 20 * 1_000_000_000

    static func windowed(threads: Int) -> (toys: [Toy], windows: Int) {
        let toys = (0..<3).map { Toy(index: $0, count: 3) }
        for t in toys { t.begin(&t.scheduler) }
        let windows = LookaheadWindows.run(toys, until: end, lookahead: lookahead, threads: threads, weights: [3, 1, 1])
        return (toys, windows)
    }

    @Test func sameLogsForEveryThreadCountAndAsOneQueue() throws {
        let one = Self.windowed(threads: 1)
        for threads in [2, 3] {
            let other = Self.windowed(threads: threads)
            #expect(other.windows == one.windows)
            for i in 0..<3 { #expect(other.toys[i].log == one.toys[i].log, "LP \(i), \(threads) threads") }
        }
        let toys = (0..<3).map { Toy(index: $0, count: 3) }
        var s = Scheduler()
        for t in toys { t.begin(&s) }
        _ = s.run(OneQueue(toys), until: Self.end)
        for i in 0..<3 { #expect(toys[i].log == one.toys[i].log, "LP \(i) against one queue") }
        // 20 s at one local event per 5 ms: 4,000 per LP (sd 63); each sends 0.3 of them, half
        // to each other LP, so each receives ~1,200 (sd ~35): 5,200 lines, ±5 % is over 3 sd.
        #expect(one.toys.allSatisfy { abs($0.log.count - 5_200) < 260 })
        #expect(one.toys.allSatisfy { $0.clockAtEnd == Self.end })
    }

    /// Every message arrives at least L after it was sent (the toys draw L + exp).
    @Test func noMessageArrivesBeforeTheLookahead() throws {
        for t in Self.windowed(threads: 2).toys {
            #expect(!t.lateness.isEmpty)
            #expect(t.lateness.allSatisfy { $0 > Self.lookahead })
        }
    }

    /// Heaviest LP first, onto the least loaded thread.
    @Test func assignmentBalancesWeights() {
        #expect(LookaheadWindows.assign(count: 3, workers: 2, weights: [0.69, 0.21, 0.10]) == [[0], [1, 2]])
        #expect(LookaheadWindows.assign(count: 4, workers: 2, weights: [1, 1, 1, 1]) == [[0, 2], [1, 3]])
    }
}
