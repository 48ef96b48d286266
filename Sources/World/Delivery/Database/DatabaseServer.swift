import SimCore

/// One database server's cores (a shard primary or a read replica) as a FIFO c-server queue.
/// PostgreSQL runs one backend process per connection, each on one core at a time, so the
/// cores serve statements first come, first served as the OS scheduler lets them.
///
/// The queue needs no events of its own: for a FIFO c-server queue fed in arrival order, a
/// job starts on the server that frees first, at max(arrival, that server's free time), and
/// ends one service later (the Kiefer–Wolfowitz workload recursion, exact for FIFO). Callers
/// therefore call `serve` at the job's arrival time (from an event at that time), in the
/// order jobs arrive; ties go to the lowest core index. Without cores (`nil`) every job starts
/// at once (the unlimited server of models before `database.cpu`).
struct DatabaseServer {
    /// When each core is next free; empty = unlimited.
    private var freeAt: [SimTime]
    /// Service time of the jobs counted (arrived at or after the warm-up).
    private(set) var busy: SimTime = 0
    private(set) var jobs = 0
    /// Counted jobs that found every core busy, and their total wait.
    private(set) var waited = 0
    private(set) var waitTotal: SimTime = 0
    private(set) var maxWait: SimTime = 0

    init(cores: Int?) {
        freeAt = Array(repeating: 0, count: cores ?? 0)
    }

    var cores: Int { freeAt.count }

    /// A job arriving `now` needing `service` of one core: returns when it completes.
    mutating func serve(now: SimTime, service: SimTime, counted: Bool) -> SimTime {
        var start = now
        if !freeAt.isEmpty {
            var i = 0
            for k in 1..<freeAt.count where freeAt[k] < freeAt[i] { i = k }
            start = max(now, freeAt[i])
            freeAt[i] = start + service
        }
        if counted {
            jobs += 1
            busy += service
            if start > now {
                waited += 1
                waitTotal += start - now
                maxWait = max(maxWait, start - now)
            }
        }
        return start + service
    }

    /// Busy share of its cores over `window` (0 for an unlimited server).
    func utilisation(over window: SimTime) -> Double {
        cores == 0 || window <= 0 ? 0 : Double(busy) / (Double(cores) * Double(window))
    }

    /// Mean wait for a core per counted job, seconds.
    var meanWait: Double { jobs == 0 ? 0 : SimUnit.seconds(waitTotal) / Double(jobs) }
}
