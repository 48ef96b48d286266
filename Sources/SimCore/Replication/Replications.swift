import Foundation

/// Runs independent replications of a model, in parallel, with results in index order.
///
/// Each replication builds its own scheduler and random streams from its derived seed
/// (`StreamSeeder.replicationSeed`), so a replication's result depends only on its index:
/// the merged output is identical for any thread count, including one.
public enum Replications {
    /// Runs `body(i)` for i in 0..<count on up to `threads` threads and returns the results
    /// ordered by i. `threads` ≤ 1 runs everything on the calling thread.
    public static func run<R: Sendable>(count: Int, threads: Int, _ body: @escaping @Sendable (Int) -> R) -> [R] {
        precondition(count >= 0)
        if threads <= 1 || count <= 1 { return (0..<count).map(body) }
        let box = ResultBox<R>(count: count)
        let workers = Swift.min(threads, count)
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            let thread = Thread {
                while let i = box.claim() { box.store(body(i), at: i) }
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        return box.results()
    }

    /// The number of hardware threads, for `--threads` defaults.
    public static var availableThreads: Int { ProcessInfo.processInfo.activeProcessorCount }
}

/// Work distribution and result slots shared by the worker threads, under one lock.
private final class ResultBox<R: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    private var slots: [R?]

    init(count: Int) {
        self.count = count
        slots = Array(repeating: nil, count: count)
    }

    func claim() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ r: R, at i: Int) {
        lock.lock(); defer { lock.unlock() }
        slots[i] = r
    }

    func results() -> [R] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0! }
    }
}
