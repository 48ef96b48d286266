import Foundation
@testable import SimCore
import Synchronization
import Testing

/// `SpinBarrier` both ways a waiter can wait: spinning (a long spin budget), sleeping (no
/// budget, so every waiter but the last sleeps and needs the wake-up), and a mix. Each thread
/// adds one to a counter before the barrier and, after it, must see every thread's addition for
/// that round: a barrier that let a thread through early fails the count, one that lost a
/// wake-up leaves a thread asleep and fails the 30 s wait.
@Suite struct SpinBarrierTests {
    static func rounds(_ rounds: Int, parties: Int, spin: UInt64, jitter: Bool, idle: (@Sendable () -> Bool)? = nil) -> Int {
        let barrier = SpinBarrier(parties: parties, spinNanoseconds: spin)
        let counter = Atomic<Int>(0)
        let wrong = Atomic<Int>(0)
        let group = DispatchGroup()
        for t in 0..<parties {
            group.enter()
            let thread = Thread {
                var x = UInt64(t + 1)
                for r in 0..<rounds {
                    if jitter {
                        // A few rounds in 16 keep this thread busy ~0.1 ms, so the others
                        // sometimes outwait their spin budget.
                        x = x &* 6364136223846793005 &+ 1442695040888963407
                        if x >> 60 == 0 { usleep(100) }
                    }
                    counter.wrappingAdd(1, ordering: .relaxed)
                    barrier.wait(idle: idle)
                    if counter.load(ordering: .relaxed) < parties * (r + 1) { wrong.wrappingAdd(1, ordering: .relaxed) }
                    barrier.wait()  // nobody adds for round r + 1 before everyone has checked round r
                }
                group.leave()
            }
            thread.start()
        }
        // A lost wake-up leaves a thread asleep for good: fail instead of hanging the suite.
        let finished = group.wait(timeout: .now() + 30) == .success
        #expect(finished, "a waiter was never woken")
        guard finished else { return -1 }
        #expect(counter.load(ordering: .relaxed) == parties * rounds)
        return wrong.load(ordering: .relaxed)
    }

    @Test func spinningWaiters() { #expect(Self.rounds(2_000, parties: 2, spin: 50_000_000, jitter: false) == 0) }
    @Test func sleepingWaiters() { #expect(Self.rounds(5_000, parties: 3, spin: 0, jitter: false) == 0) }
    @Test func mixedWaiters() { #expect(Self.rounds(5_000, parties: 3, spin: 20_000, jitter: true) == 0) }

    /// Waiters with work to do meanwhile (`idle`, as `DrawPrefetcher.fillSome`): the work is
    /// done between polls, 100 pieces in all, and the barrier still lets nobody through early.
    @Test func waitersDoIdleWork() {
        let left = Atomic<Int>(100), done = Atomic<Int>(0)
        let idle: @Sendable () -> Bool = {
            guard left.wrappingSubtract(1, ordering: .relaxed).oldValue > 0 else { return false }
            done.wrappingAdd(1, ordering: .relaxed)
            return true
        }
        #expect(Self.rounds(5_000, parties: 3, spin: 20_000, jitter: true, idle: idle) == 0)
        #expect(done.load(ordering: .relaxed) == 100)
    }
}
