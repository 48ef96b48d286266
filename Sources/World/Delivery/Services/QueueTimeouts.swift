import DequeModule
import SimCore

/// The client-side timeouts of calls waiting in replica queues: per pool, the waits in the
/// order they began, and whether the pool's one timer is set.
///
/// A pool's timeout is one constant, so its waits' deadlines come in the order the waits
/// began, and one pending event per pool serves them all (as `Matching`'s cancellations do):
/// it is set for the earliest wait still queued, and when it fires the waits that have left
/// their queue in the meantime are dropped. Before, every queued call scheduled an event of
/// its own at its deadline, which almost always found it served (2.35 M events in a 30 min
/// national-day peak, 4.6 % of all); now a timer fires about once per timeout per pool while
/// calls queue. Each deadline is still met at its instant, one call per event.
/// - Complexity: O(1) amortised per wait.
struct QueueTimeouts {
    struct Wait {
        var request: Int32
        /// The wait's token (`Request.token`): a request slot reused later has another.
        var token: UInt32
        var deadline: SimTime
    }

    private var waits: [Deque<Wait>]
    private var armed: [Bool]

    init(pools: Int) {
        waits = Array(repeating: Deque(), count: pools)
        armed = Array(repeating: false, count: pools)
    }

    mutating func append(_ wait: Wait, pool p: Int) { waits[p].append(wait) }

    /// Pool `p`'s earliest wait for which `stillQueued` holds; the waits before it, no longer
    /// queued, are dropped (a wait that has left its queue never returns to it).
    mutating func firstQueued(pool p: Int, _ stillQueued: (Wait) -> Bool) -> Wait? {
        while let head = waits[p].first {
            if stillQueued(head) { return head }
            waits[p].removeFirst()
        }
        return nil
    }

    mutating func removeFirst(pool p: Int) { waits[p].removeFirst() }

    func isArmed(_ p: Int) -> Bool { armed[p] }
    mutating func setArmed(_ p: Int, _ on: Bool) { armed[p] = on }
}
