import Testing
@testable import SimCore

/// The two-level `EventQueue` keeps bounded room in its emptied buckets. At every refill the
/// heap's storage (sized by the largest bucket or spill it ever held) rotates into the ring
/// slot just moved in; kept as it was, every slot would grow to that size and a long run's
/// queue would hold gigabytes of empty room.
@Suite struct EventQueueMemoryTests {
    @Test func emptiedBucketsKeepBoundedRoom() {
        // 30,000 events over 15 s spill at 20,000: the heap's storage then has room for
        // 30,000+ events, and the first refill swaps it into a ring slot.
        var q = EventQueue(spillAt: 20_000)
        let r = RandomStream(seed: 20_240_107)
        var seq: UInt64 = 0
        for _ in 0..<30_000 {
            q.insert(Event(time: SimTime(r.uniform() * 15e9), seq: seq, kind: 0, target: 0, payload: 0))
            seq += 1
        }
        #expect(q.bucketWidth != nil)
        var last: SimTime = 0
        for _ in 0..<25_000 {
            guard let e = q.popMin() else { Issue.record("ran dry"); return }
            #expect(e.time >= last)
            last = e.time
        }
        #expect(q.count == 5_000)
        let roomy = q._far.ring.filter { $0.isEmpty && $0.capacity > _FarEvents.keptCapacity }
        #expect(roomy.count == 0)
    }
}
