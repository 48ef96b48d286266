import DequeModule
import SimCore

/// The consumers' poll loops (`kafka.consumer.loops_per_pod`, batched polling only): how many
/// batches a consuming pod works at once, and which of its partitions wait for a free loop.
///
/// Why: apache/kafka's `KafkaConsumer` is not thread-safe (its javadoc, "Multi-threaded
/// Processing": one consumer per thread), so a pod running one consumer works one poll's
/// records at a time: poll, process (CPU), write the results (a round trip that holds the
/// thread but not the CPU, `batch_io` / `record_io`), commit, poll again. A consumer whose
/// loop waits on I/O is busy while its CPU is idle: a CPU-based autoscaler never sees it.
///
/// Simplified, and said so in Kafka/README.md: each loop takes one partition's batch at a
/// time (a real poll mixes partitions up to `max.poll.records`); a partition whose fetch has
/// answered while every loop of its owner is busy waits in the owner's FIFO and is handed out
/// (with what it then holds, as records the fetcher buffered) when a loop frees.
///
/// Off (`loops_per_pod: 0`) every partition is its own loop, as before: nothing here is used.
final class ConsumerLoops {
    let perPod: Int
    /// Per pool index, per replica id (grown on demand): batches in progress.
    private var busy: [[Int32]]
    /// Per pool index, per replica id: (topic, partition) waiting for a free loop, in arrival order.
    private var waiting: [[Deque<(Int32, Int32)>]]
    /// Per topic, per partition: the replica whose FIFO holds it (-1: none); an entry in another
    /// replica's FIFO is stale (the partition moved in a rebalance) and skipped.
    private var waitingOn: [[Int32]]
    /// Partitions that had to wait for a loop (a busy owner).
    private(set) var waits = 0
    /// Per pool index: batches in progress over all its pods, and their time integral (loop·ns).
    private var inProgress: [Int]
    private var integral: [Double]
    private var lastChange: [SimTime]

    /// `pools`: the number of service pools; `partitions[t]`: topic t's partition count.
    init(perPod: Int, pools: Int, partitions: [Int]) {
        self.perPod = perPod
        busy = Array(repeating: [], count: pools)
        waiting = Array(repeating: [], count: pools)
        waitingOn = partitions.map { Array(repeating: -1, count: $0) }
        inProgress = Array(repeating: 0, count: pools)
        integral = Array(repeating: 0, count: pools)
        lastChange = Array(repeating: 0, count: pools)
    }

    private func advance(_ p: Int, _ now: SimTime) {
        integral[p] += Double(inProgress[p]) * Double(now - lastChange[p])
        lastChange[p] = now
    }

    /// Loop-time (loop·ns) pool `p`'s batches held their loops from the start to `now`.
    func busyTime(_ p: Int, now: SimTime) -> Double {
        advance(p, now)
        return integral[p]
    }

    var enabled: Bool { perPod > 0 }

    private func grow(_ p: Int, _ r: Int) {
        while busy[p].count <= r { busy[p].append(0); waiting[p].append(Deque()) }
    }

    /// Replica `r` of pool `p` would start a batch of topic `t`'s partition `part`: true when
    /// one of its loops is free (it is now taken); false when all are busy (the partition waits
    /// in the replica's FIFO).
    func begin(_ p: Int, _ r: Int, topic t: Int, _ part: Int, now: SimTime) -> Bool {
        grow(p, r)
        if busy[p][r] < Int32(perPod) {
            busy[p][r] += 1
            advance(p, now)
            inProgress[p] += 1
            return true
        }
        if waitingOn[t][part] != Int32(r) {
            waitingOn[t][part] = Int32(r)
            waiting[p][r].append((Int32(t), Int32(part)))
            waits += 1
        }
        return false
    }

    /// A batch of replica `r` of pool `p` ended (processed or lost): its loop is free.
    func end(_ p: Int, _ r: Int, now: SimTime) {
        grow(p, r)
        busy[p][r] = max(0, busy[p][r] - 1)
        advance(p, now)
        inProgress[p] = max(0, inProgress[p] - 1)
    }

    /// The next partition waiting for replica `r` of pool `p`, if a loop is free and one waits.
    func next(_ p: Int, _ r: Int) -> (topic: Int, partition: Int)? {
        grow(p, r)
        while busy[p][r] < Int32(perPod), let (t, part) = waiting[p][r].popFirst() {
            guard waitingOn[Int(t)][Int(part)] == Int32(r) else { continue }
            waitingOn[Int(t)][Int(part)] = -1
            return (Int(t), Int(part))
        }
        return nil
    }
}
