import DequeModule
import SimCore

/// The orders database's events and the per-shard state its connections keep.
extension OrdersDatabase {
    enum Kind: UInt32 {
        /// The write holding its connection for `write_latency` committed (without `cpu` and `round_trips`).
        case writeDone
        /// A transaction's last statement reaches its shard primary (it joins the cores' queue).
        case atShard
        /// The transaction committed on the primary (its answer is on the way back).
        case committed
        /// The answer reached the writer: the connection is free.
        case released
    }

    /// A write waiting for one of its shard's connections.
    struct Pending {
        var token: Int32
        var update: Bool
        var region: Int
        var queuedAt: SimTime
    }

    struct Shard {
        var busy = 0
        var queue = Deque<Pending>()
        var writes = 0
        var waited = 0
        var maxQueue = 0
    }
}
