import Foundation
@testable import SimCore
import Synchronization
import Testing

/// `PrefetchedDraws` gives a stream's draws in the stream's own order however the work is split
/// between the thread taking them and a thread computing them ahead. The expected sequence is
/// the stream's, drawn directly from a second stream with the same seed.
@Suite struct PrefetchedDrawsTests {
    static let law = Distribution.lognormal(mu: log(0.002), sigma: 0.5)

    static func expected(seed: UInt32, _ n: Int) -> [SimTime] {
        let s = RandomStream(seed: seed)
        return (0..<n).map { _ in law.sampleTime(s.handle) }
    }

    static func ring(seed: UInt32, capacity: Int) -> (PrefetchedDraws, RandomStream) {
        let s = RandomStream(seed: seed), h = s.handle
        return (PrefetchedDraws(capacity: capacity) { law.sampleTime(h) }, s)
    }

    /// Nobody fills: every draw is computed in line, the stream's sequence.
    @Test func drawsInLineAreTheStreams() {
        let (ring, stream) = Self.ring(seed: 11, capacity: 128)
        let got = (0..<5_000).map { _ in ring.handle.next() }
        #expect(got == Self.expected(seed: 11, 5_000))
        withExtendedLifetime(stream) {}
    }

    /// Filled and taken at the same time on two threads, through a small ring that wraps
    /// thousands of times, with the taker now and then pausing so the ring fills up: the same
    /// sequence.
    @Test func drawsFilledOnAnotherThreadAreTheStreams() {
        let n = 300_000
        let (ring, stream) = Self.ring(seed: 12, capacity: 128)
        let stop = Atomic<Bool>(false), filled = Atomic<Int>(0)
        let group = DispatchGroup()
        group.enter()
        let filler = Thread {
            while !stop.load(ordering: .relaxed) {
                let k = ring.fill(upTo: 16)
                filled.wrappingAdd(k, ordering: .relaxed)
                if k == 0 { sched_yield() }
            }
            group.leave()
        }
        filler.start()
        let h = ring.handle
        var got: [SimTime] = []
        got.reserveCapacity(n)
        var work: UInt64 = 1
        for i in 0..<n {
            if i % 10_000 == 0 { usleep(200) }
            // The taker's own work between draws (an event's), so the filler can keep ahead.
            for _ in 0..<200 { work = work &* 6364136223846793005 &+ 1442695040888963407 }
            got.append(h.next())
        }
        #expect(work != 0)
        stop.store(true, ordering: .relaxed)
        group.wait()
        #expect(got == Self.expected(seed: 12, n))
        // How much the filler computes depends on the machine's load (alone here, about 85 %);
        // at least a whole ring shows the two threads' paths did interleave.
        #expect(filled.load(ordering: .relaxed) >= 128, "the filler computed \(filled.load(ordering: .relaxed)) of \(n)")
        withExtendedLifetime(stream) {}
    }

    /// The filler sees the taker's progress in steps of 64 draws, so it never overwrites a draw
    /// not yet taken: a full ring takes nothing more until 64 have been taken.
    @Test func fillingStopsAtWhatTheTakerHasFreed() {
        let (ring, stream) = Self.ring(seed: 13, capacity: 128)
        #expect(ring.fill(upTo: 1_000) == 128)
        #expect(ring.fill(upTo: 1_000) == 0)
        let h = ring.handle
        var got = (0..<63).map { _ in h.next() }
        #expect(ring.fill(upTo: 1_000) == 0)
        got.append(h.next())
        #expect(ring.fill(upTo: 1_000) == 64)
        // The ring's 128, then draws computed in line: one sequence.
        got += (0..<200).map { _ in h.next() }
        #expect(got == Self.expected(seed: 13, 264))
        withExtendedLifetime(stream) {}
    }

    /// `fillSome` fills the ring with the most room first, and says when there is nothing to do.
    @Test func fillSomeTakesTheEmptiestRing() {
        let streams = [RandomStream(seed: 21), RandomStream(seed: 22)]
        let p = DrawPrefetcher()
        let a = p.buffer(capacity: 128) { [h = streams[0].handle] in Self.law.sampleTime(h) }
        let b = p.buffer(capacity: 256) { [h = streams[1].handle] in Self.law.sampleTime(h) }
        #expect(p.fillSome(chunk: 64))        // b: 256 free
        #expect(b.room == 192 && a.room == 128)
        #expect(p.fillSome(chunk: 64))        // b again: 192 free
        #expect(b.room == 128 && a.room == 128)
        var rounds = 2
        while p.fillSome(chunk: 64) { rounds += 1 }
        #expect(rounds == 6 && a.room == 0 && b.room == 0)
        withExtendedLifetime(streams) {}
    }
}
