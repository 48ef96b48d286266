import Testing
import SimCore

/// The heap's pop (`EventQueue._siftDownFromRoot`: the hole walks to a leaf along branch-free
/// least-of-four picks, then the last element sifts up) against brute force: at every pop the
/// event returned is the least (time, seq) of a plain list of everything pending.
@Suite struct EventQueueHeapOrderTests {
    /// Hold steps with dense time ties (times drawn from a few values, so most comparisons
    /// fall to `seq`) at heap sizes from 1 to a few thousand, all inside the single heap.
    @Test(arguments: [1, 5, 17, 300, 3_000])
    func popsTheLeastPendingEvent(size: Int) {
        var q = EventQueue(spillAt: .max)
        var pending: [Event] = []
        let r = RandomStream(seed: 13_000 + UInt32(size))
        var seq: UInt64 = 0
        var now: SimTime = 0
        func schedule(_ t: SimTime) {
            let e = Event(time: t, seq: seq, kind: 0, target: 0, payload: seq)
            seq += 1
            q.insert(e)
            pending.append(e)
        }
        for _ in 0..<size { schedule(SimTime(r.integer(below: 4))) }
        for step in 0..<20_000 {
            guard let e = q.popMin() else { Issue.record("ran dry at \(step)"); return }
            let k = pending.indices.min { pending[$0] < pending[$1] }!
            #expect(e.time == pending[k].time && e.seq == pending[k].seq && e.payload == pending[k].payload)
            if e.seq != pending[k].seq { return }
            pending.swapAt(k, pending.count - 1)
            pending.removeLast()
            now = e.time
            // Keep the size about constant: usually one new event, at now or a few ns later.
            let n = pending.count < size ? 2 : (pending.count > size ? 0 : 1)
            for _ in 0..<n { schedule(now + SimTime(r.integer(below: 3))) }
        }
        var last: Event?
        while let e = q.popMin() {
            if let l = last { #expect(l < e) }
            last = e
            pending.removeAll { $0.seq == e.seq }
        }
        #expect(pending.isEmpty)
    }
}
