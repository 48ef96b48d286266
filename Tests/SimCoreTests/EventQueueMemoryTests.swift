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
        // Empty slots hold no room at all; the emptied buffers kept are at most 64, none over
        // 1,024 events.
        let roomy = q._far.ring.filter { $0.isEmpty && $0.capacity > 0 }
        #expect(roomy.count == 0)
        #expect(q._far.spare.count <= _FarEvents.spareLimit)
        #expect(q._far.spare.allSatisfy { $0.isEmpty && $0.capacity <= _FarEvents.keptCapacity })
    }

    /// Sparse far slots (a timer per slot, minutes ahead) do not take the spare buffers: only
    /// slots within `spareReach` buckets of the horizon do. Dense near traffic recycles a
    /// buffer at every refill; 2,000 far events, one per slot, filed between its pops, keep
    /// the room one event needs (with no reach limit they took the spares: capacity 1,024).
    @Test func sparseFarSlotsDoNotHoardRoom() {
        var q = EventQueue(spillAt: 2_048)
        var seq: UInt64 = 0
        func add(_ t: SimTime) { q.insert(Event(time: t, seq: seq, kind: 0, target: 0, payload: 0)); seq += 1 }
        let r = RandomStream(seed: 7)
        for _ in 0..<4_000 { add(SimTime(r.uniform() * 1e8)) }
        var last: SimTime = 0
        func churn(_ n: Int) {
            for _ in 0..<n {
                guard let e = q.popMin() else { Issue.record("ran dry"); return }
                #expect(e.time >= last)
                last = e.time
                add(e.time + SimTime(1 + r.uniform() * 1e8))
            }
        }
        churn(50_000)
        guard let width = q.bucketWidth else { Issue.record("no spill"); return }
        let shift = SimTime(width.trailingZeroBitCount)
        let base = (q._far.cur + 1_000) << shift
        for k in 0..<2_000 {
            add(base + SimTime(k) << shift)
            churn(5)
        }
        let far = q._far.ring.indices.filter { q._far.ring[$0].count == 1 && q._far.ring[$0][0].time >= base }
        #expect(far.count > 1_000)
        #expect(far.allSatisfy { q._far.ring[$0].capacity < 16 })
    }
}
