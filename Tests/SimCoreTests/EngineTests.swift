import Testing
import SimCore

@Suite struct EngineTests {
    @Test func queuePopsInTimeThenSequenceOrder() {
        var q = EventQueue()
        let r = RandomStream(seed: 99)
        var all: [Event] = []
        for seq in 0..<20_000 {
            // Few distinct times, so ties are common and the sequence tie-break matters.
            let e = Event(time: SimTime(r.integer(below: 50)), seq: UInt64(seq), kind: 0, target: 0, payload: 0)
            all.append(e)
            q.insert(e)
            if r.bernoulli(0.3) { _ = q.popMin().map { popped in all.removeAll { $0.seq == popped.seq } } }
        }
        let expected = all.sorted { ($0.time, $0.seq) < ($1.time, $1.seq) }.map(\.seq)
        var got: [UInt64] = []
        while let e = q.popMin() { got.append(e.seq) }
        #expect(got == expected)
    }

    final class Recorder: EventHandler {
        var log: [(SimTime, UInt32)] = []
        func handle(_ e: Event, _ s: inout Scheduler) {
            log.append((s.now, e.kind))
            if e.kind == 1 { s.schedule(after: 0, kind: 9) }      // same instant, after those already queued
            if e.kind == 5 { s.requestStop() }
        }
    }

    @Test func sameTimeEventsRunInSchedulingOrder() {
        var s = Scheduler()
        let h = Recorder()
        s.schedule(at: 10, kind: 1)
        s.schedule(at: 10, kind: 2)
        s.schedule(at: 5, kind: 3)
        s.schedule(at: 10, kind: 4)
        #expect(s.run(h) == .queueEmpty)
        #expect(h.log.map(\.1) == [3, 1, 2, 4, 9])
        #expect(h.log.map(\.0) == [5, 10, 10, 10, 10])
    }

    @Test func runStopsAtTheLimitAndAdvancesTheClock() {
        var s = Scheduler()
        let h = Recorder()
        s.schedule(at: 100, kind: 2)
        s.schedule(at: 200, kind: 2)
        #expect(s.run(h, until: 100) == .timeLimit)
        #expect(h.log.count == 1)   // the event exactly at the limit runs
        #expect(s.now == 100)
        #expect(s.run(h, until: 150) == .timeLimit)
        #expect(s.now == 150)
        s.schedule(at: 160, kind: 5)
        #expect(s.run(h) == .requested)
        #expect(s.now == 160 && s.pendingCount == 1)
        #expect(s.run(h, maxEvents: 0) == .eventLimit)
    }
}
