import Platform
import Scenario
import SimCore

/// One region's L2 as Redis Cluster masters (`cache.l2.nodes`): which node holds a menu key
/// (``RedisClusterSlots``: CRC16 of `menu:<id>` mod 16384, slots split as `redis-cli --cluster
/// create` does), a FIFO queue per node (`ops_per_second`), and node loss: a lost node's keys are
/// gone and its slots serve nothing until it is back, empty (no persistence and no replica:
/// an assumption of this model; a Redis replica would take over after `node_timeout`).
final class RedisNodes {
    /// One node loss: its nodes, the keys they held, and the L3 loads at its start and end.
    struct Loss { var nodes: Range<Int>; var start: SimTime; var keysCold = 0; var l3AtStart = 0; var l3AtBack: Int?; var back: SimTime? }

    let settings: PlatformConfig.RedisNodeSettings
    let slots: RedisClusterSlots
    private(set) var down: [Bool]
    private var free: [SimTime]
    private(set) var busy: [SimTime]
    private let unit: SimTime
    /// Node per menu key, filled on first use (-1: not yet hashed).
    private var nodeOfKey: [Int16] = []
    private(set) var losses: [Int: Loss] = [:]
    private(set) var keysCold = 0

    init(settings: PlatformConfig.RedisNodeSettings) {
        self.settings = settings
        slots = RedisClusterSlots(nodes: settings.count)
        down = Array(repeating: false, count: settings.count)
        free = Array(repeating: 0, count: settings.count)
        busy = Array(repeating: 0, count: settings.count)
        unit = settings.opsPerSecond > 0 ? max(1, SimUnit.fromSeconds(1 / settings.opsPerSecond)) : 0
    }

    /// The node holding menu key `key`.
    func node(of key: Int) -> Int {
        guard key >= 0, key < 10_000_000 else { return slots.node(ofSlot: RedisClusterSlots.menuSlot(key)) }
        if key >= nodeOfKey.count { nodeOfKey += Array(repeating: -1, count: key + 1 - nodeOfKey.count) }
        if nodeOfKey[key] < 0 { nodeOfKey[key] = Int16(slots.node(ofSlot: RedisClusterSlots.menuSlot(key))) }
        return Int(nodeOfKey[key])
    }

    @inline(__always) func isDown(_ key: Int) -> Bool { down[node(of: key)] }

    /// One command on the key's node: the wait in its queue (0 when unlimited or down).
    func wait(_ key: Int, now: SimTime) -> SimTime {
        guard unit > 0 else { return 0 }
        let n = node(of: key)
        guard !down[n] else { return 0 }
        let start = max(now, free[n])
        free[n] = start + unit
        busy[n] += unit
        return start - now
    }

    /// Nodes `nodes` stop (fault `fault`): the keys of `stored` on them are gone (returned for
    /// the caller to delete).
    func lose(_ nodes: Range<Int>, fault: Int, stored: [Int], l3Loads: Int, now: SimTime) -> [Int] {
        for n in nodes { down[n] = true }
        let gone = stored.filter { nodes.contains(node(of: $0)) }
        keysCold += gone.count
        losses[fault] = Loss(nodes: nodes, start: now, keysCold: gone.count, l3AtStart: l3Loads)
        return gone
    }

    func recover(_ nodes: Range<Int>, fault: Int, l3Loads: Int, now: SimTime) {
        for n in nodes { down[n] = false }
        losses[fault]?.back = now
        losses[fault]?.l3AtBack = l3Loads
    }
}
