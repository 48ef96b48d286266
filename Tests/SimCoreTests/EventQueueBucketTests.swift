import Testing
import SimCore

/// The two-level `EventQueue` (near heap + bucket ring + overflow heap) pops exactly the
/// order of one heap: (time, seq), whatever the bucket width, spill point or density.
@Suite struct EventQueueBucketTests {
    /// Pops everything left, as (time, seq).
    private static func drain(_ q: inout EventQueue) -> [[Int64]] {
        var out: [[Int64]] = []
        while let e = q.popMin() { out.append([e.time, Int64(e.seq)]) }
        return out
    }

    @Test func handSizedCaseSpillsAndPopsInOrder() {
        // spillAt 4: the fifth insert turns the queue two-level.
        var q = EventQueue(spillAt: 4)
        let times: [SimTime] = [100, 5, 5, 1 << 40, 300, 7, 5]
        for (i, t) in times.enumerated() { q.insert(Event(time: t, seq: UInt64(i), kind: 0, target: 0, payload: 0)) }
        #expect(q.count == 7)
        #expect(q.bucketWidth != nil)
        #expect(q.min?.seq == 1)
        // The earliest bucket is in the heap, later events wait outside it.
        #expect(q.heapCount < 7)
        // A later insert at the current minimum's time ranks after it (seq).
        q.insert(Event(time: 5, seq: 7, kind: 0, target: 0, payload: 0))
        #expect(Self.drain(&q) == [[5, 1], [5, 2], [5, 6], [5, 7], [7, 5], [100, 0], [300, 4], [1 << 40, 3]])
        #expect(q.count == 0 && q.isEmpty)
        // Empty two-level queue: an insert far ahead is poppable at once.
        q.insert(Event(time: 1 << 50, seq: 8, kind: 0, target: 0, payload: 0))
        #expect(q.min?.seq == 8 && q.count == 1)
        q.insert(Event(time: .max, seq: 9, kind: 0, target: 0, payload: 0))
        #expect(Self.drain(&q) == [[1 << 50, 8], [.max, 9]])
    }

    /// The DES hold pattern with a clock: pop the minimum, schedule 0-3 events at now plus a
    /// delay from a mix (same instant, ns, ms, seconds, hours: ties, buckets and overflow),
    /// with the density changing by phase so the width halves and doubles. The two-level
    /// queue and a single heap (spillAt = Int.max) must pop the identical sequence.
    @Test(arguments: [2, 64, 1000])
    func holdPatternMatchesOneHeap(spillAt: Int) {
        var two = EventQueue(spillAt: spillAt)
        var one = EventQueue(spillAt: .max)
        let r = RandomStream(seed: 20_240_107)
        var seq: UInt64 = 0
        var now: SimTime = 0
        var widths = Set<SimTime>()
        func schedule(_ t: SimTime) {
            let e = Event(time: t, seq: seq, kind: 0, target: 0, payload: 0)
            seq += 1
            two.insert(e)
            one.insert(e)
        }
        for _ in 0..<30_000 { schedule(SimTime(r.uniform() * 15e9)) }
        var popped = 0
        for step in 0..<200_000 {
            // Phases: dense (ms gaps), sparse (seconds), mixed with far timers.
            let phase = (step / 25_000) % 3
            guard let a = two.popMin(), let b = one.popMin() else { Issue.record("ran dry at \(step)"); return }
            #expect(a.time == b.time && a.seq == b.seq)
            if a.time != b.time || a.seq != b.seq { return }
            now = a.time
            popped += 1
            if let w = two.bucketWidth { widths.insert(w) }
            let n = two.count < 5000 ? 2 : Int(r.integer(below: 3))
            for _ in 0..<n {
                let u = r.uniform()
                let delay: SimTime
                switch phase {
                case 0: delay = u < 0.1 ? 0 : SimTime(r.integer(below: 2_000_000))
                case 1: delay = u < 0.05 ? 0 : SimTime(r.uniform() * 20e9)
                default: delay = u < 0.02 ? 3_600_000_000_000 + SimTime(r.integer(below: 1000)) : SimTime(r.uniform() * 4e9)
                }
                schedule(now + delay)
            }
            #expect(two.count == one.count)
        }
        #expect(Self.drain(&two) == Self.drain(&one))
        #expect(popped == 200_000)
        if spillAt < 30_000 {
            // It spilled, and the width changed with the density (more than one width seen).
            #expect(widths.count > 1, "widths: \(widths.sorted())")
        }
    }

    @Test func removeAllThenReuse() {
        var q = EventQueue(spillAt: 8)
        for i in 0..<100 { q.insert(Event(time: SimTime(i * 1_000_000), seq: UInt64(i), kind: 0, target: 0, payload: 0)) }
        _ = q.popMin()
        q.removeAll()
        #expect(q.count == 0 && q.min == nil)
        for i in 0..<20 { q.insert(Event(time: SimTime((20 - i) * 1_000_000_000), seq: UInt64(100 + i), kind: 0, target: 0, payload: 0)) }
        let got = Self.drain(&q).map { $0[1] }
        #expect(got == (100..<120).reversed().map { Int64($0) })
    }
}
