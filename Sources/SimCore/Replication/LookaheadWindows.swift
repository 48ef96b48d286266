import CGSL
import Foundation
import Synchronization

/// One logical process of a windowed parallel run (`LookaheadWindows`): its own scheduler
/// and model, and an outbox of messages to other LPs.
public protocol WindowedProcess: AnyObject {
    associatedtype Message
    /// Runs this LP's events with time ≤ `limit` (and advances its clock to `limit`).
    func advance(until limit: SimTime)
    /// The messages sent since the last `clearOutbox`, in send order, with their receivers.
    var outbox: [(to: Int, message: Message)] { get }
    func clearOutbox()
    /// Takes one message from another LP into this LP's scheduler.
    func receive(_ message: Message)
    /// This LP's earliest pending event (nil: none).
    var nextEventTime: SimTime? { get }
}

/// Conservative synchronisation of logical processes in windows of the lookahead L (Fujimoto,
/// "Parallel Discrete Event Simulation", CACM 33(10), 1990, the barrier variant of
/// Chandy–Misra–Bryant): a message sent at t arrives no earlier than t + L, so once every LP
/// has run its events before T + L nothing can still arrive inside that window.
///
/// Window k is [k·L, (k + 1)·L) from time 0. In it, every LP (1) takes the messages addressed to
/// it that the others sent in window k − 1, sender by sender in LP order and in each sender's
/// send order, into its own scheduler (so sequence numbers, the tie-break of equal times, never
/// depend on which thread ran what), (2) runs its events of the window, (3) keeps what it sent
/// for window k + 1; then one barrier. The windows and every LP's event order depend on the
/// model only, so the run is the same for any number of threads; one thread runs the LPs one
/// after another.
/// With two or more threads the workers spin at the barrier for up to 200 µs, then sleep (`SpinBarrier`);
/// meanwhile they do the run's `idle` work, if any (draws computed ahead, `DrawPrefetcher`).
public enum LookaheadWindows {
    /// Runs `lps` from time 0 to `end` (events at exactly `end` run) on up to
    /// `threads` threads. `lookahead` > 0: the least delay of any message (`receive` may
    /// assume it). `weights`: relative load per LP, to spread LPs over threads (greedy, heaviest
    /// first; the split changes no result). `progress`: called now and then (every 4,096
    /// windows) with the start of the window about to run. `idle`: work a thread waiting at the
    /// barrier may do meanwhile (true: it did some, and may be asked again), which must change
    /// no result (`DrawPrefetcher.fillSome`). Returns the number of windows run.
    @discardableResult
    public static func run<P: WindowedProcess>(_ lps: [P], until end: SimTime, lookahead: SimTime, threads: Int,
                                               weights: [Double]? = nil, progress: (@Sendable (SimTime) -> Void)? = nil,
                                               idle: (@Sendable () -> Bool)? = nil) -> Int {
        precondition(lookahead > 0, "a windowed run needs a positive lookahead")
        let workers = max(1, min(threads, lps.count))
        let plan = assign(count: lps.count, workers: workers, weights: weights ?? Array(repeating: 1, count: lps.count))
        let shared = Shared(lps: lps, workers: workers, end: end, lookahead: lookahead, progress: progress, idle: idle)
        if workers == 1 { return shared.work(plan[0], worker: 0) }
        let group = DispatchGroup()
        for w in 1..<workers {
            group.enter()
            let mine = plan[w]
            let thread = Thread { _ = shared.work(mine, worker: w); group.leave() }
            thread.stackSize = 8 << 20
            thread.start()
        }
        let windows = shared.work(plan[0], worker: 0)
        group.wait()
        return windows
    }

    /// LP indices per worker: heaviest LP first onto the least loaded worker (ties: lower index).
    static func assign(count: Int, workers: Int, weights: [Double]) -> [[Int]] {
        var plan = Array(repeating: [Int](), count: workers)
        var load = Array(repeating: 0.0, count: workers)
        for i in (0..<count).sorted(by: { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }) {
            let w = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            plan[w].append(i)
            load[w] += weights[i]
        }
        return plan.map { $0.sorted() }
    }

    /// What the workers share. Each LP is touched by one worker in phases (1) and (3); the
    /// barrier's acquire/release orders those phases, so no LP is touched by two at once.
    final class Shared<P: WindowedProcess>: @unchecked Sendable {
        let lps: [P]
        let end: SimTime
        let lookahead: SimTime
        let barrier: SpinBarrier
        /// Per window parity, per LP: the messages it sent in that window (double-buffered: a
        /// window's are read during the next while the LP fills the other buffer). Raw slots, not
        /// nested arrays: workers write their own LPs' slots at once, and a shared array would
        /// copy itself on write.
        private let sent: UnsafeMutablePointer<[(to: Int, message: P.Message)]>
        let progress: (@Sendable (SimTime) -> Void)?
        let idle: (@Sendable () -> Bool)?

        init(lps: [P], workers: Int, end: SimTime, lookahead: SimTime, progress: (@Sendable (SimTime) -> Void)?,
             idle: (@Sendable () -> Bool)?) {
            self.lps = lps
            self.end = end
            self.lookahead = lookahead
            self.progress = progress
            self.idle = idle
            barrier = SpinBarrier(parties: workers)
            sent = .allocate(capacity: 2 * lps.count)
            sent.initialize(repeating: [], count: 2 * lps.count)
        }

        deinit {
            sent.deinitialize(count: 2 * lps.count)
            sent.deallocate()
        }

        /// One worker's loop over its LPs `mine`; every worker runs the same windows
        /// [k·L, (k + 1)·L), the last one to `end` inclusive (so every clock reaches `end` as a
        /// sequential run's does). One barrier per window: an LP first takes the messages the
        /// others sent in the previous window (they arrive at k·L or later), then runs its own.
        func work(_ mine: [Int], worker: Int) -> Int {
            var k = 0
            while true {
                let start = SimTime(k) * lookahead
                let last = start > end || end - start < lookahead
                let limit = last ? end : start + lookahead - 1
                if worker == 0, k & 0xFFF == 0, let progress { progress(min(start, end)) }
                let previous = (k + 1) & 1, current = k & 1
                for i in mine {
                    let lp = lps[i]
                    for sender in lps.indices where sender != i {
                        for m in sent[previous * lps.count + sender] where m.to == i { lp.receive(m.message) }
                    }
                    lp.advance(until: limit)
                    sent[current * lps.count + i] = lp.outbox
                    lp.clearOutbox()
                }
                barrier.wait(idle: idle)
                k += 1
                if last { return k }
            }
        }
    }
}

/// A reusable barrier whose waiters spin for a while (`spinNanoseconds`), then sleep until the
/// last one arrives. Spinning without end held a core for the light LPs' thread all the time it
/// waited for the heaviest LP, which on a shared machine slowed the heavy one. Waking a sleeper
/// is a system call (in a virtual machine also an interrupt to the other CPU) on the last
/// arrival's path, which is the heavy thread's, in every window: so the light thread spins
/// through most of its waits, and the last arrival calls only when someone sleeps. Sense by
/// generation count; the generation's increment and the sleeper count are sequentially
/// consistent, so either the last arrival sees the sleeper or the sleeper sees the new
/// generation before it waits, and no wake-up is lost.
final class SpinBarrier: @unchecked Sendable {
    private let parties: Int
    private let spinNanoseconds: UInt64
    private let arrived = Atomic<Int>(0)
    private let generation = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let sleep = NSCondition()

    init(parties: Int, spinNanoseconds: UInt64 = SpinBarrier.defaultSpin) {
        self.parties = parties
        self.spinNanoseconds = spinNanoseconds
    }

    /// 200 µs of polling, each poll with a PAUSE (26 ns on this project's 2-core AMD EPYC VM),
    /// the clock read every 64. At the us_east peak (national-day, 23h, 30 min, `--threads 2`,
    /// three alternating runs each) the run took 13.4-15.5 s against 14.2-18.5 s with the
    /// earlier 2^14 polls without PAUSE (tens of µs) and a wake-up call at every window; 50 µs
    /// gave 14.0-14.3 s, 1 ms and 10 ms no better than 200 µs.
    static let defaultSpin: UInt64 = 200_000

    /// Returns when all parties have called. `idle`: work to do while waiting, called before
    /// every poll (true: it did some; the spin's time budget then restarts).
    func wait(idle: (() -> Bool)? = nil) {
        guard parties > 1 else { return }
        let gen = generation.load(ordering: .acquiring)
        if arrived.wrappingAdd(1, ordering: .acquiringAndReleasing).newValue == parties {
            arrived.store(0, ordering: .relaxed)
            generation.wrappingAdd(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
                sleep.lock()
                sleep.broadcast()
                sleep.unlock()
            }
            return
        }
        var spins = 0
        var deadline: UInt64 = 0
        while generation.load(ordering: .acquiring) == gen {
            if let idle, idle() {
                deadline = 0
                continue
            }
            spins &+= 1
            cgsl_cpu_relax()
            guard spins & 63 == 0 else { continue }
            let now = DispatchTime.now().uptimeNanoseconds
            if deadline == 0 { deadline = now &+ spinNanoseconds }
            if now >= deadline {
                sleep.lock()
                sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
                while generation.load(ordering: .sequentiallyConsistent) == gen { sleep.wait() }
                sleepers.wrappingSubtract(1, ordering: .relaxed)
                sleep.unlock()
                return
            }
        }
    }
}
