/// Redis Cluster's key distribution: a key's hash slot is CRC16 (XMODEM: polynomial 0x1021,
/// initial value 0, no reflection) of the key, or of its `{hash tag}` when it has a non-empty
/// one, modulo 16384 (redis `src/cluster.c` `keyHashSlot`, `src/crc16.c`). `redis-cli --cluster
/// create` splits the slots over the masters in contiguous ranges (redis `src/redis-cli.c`,
/// `clusterManagerCommandCreate`: `slotsPerNode = 16384 / n`, each range ending at
/// `lround(cursor + slotsPerNode - 1)`, the last at 16383).
public struct RedisClusterSlots: Sendable {
    public static let slotCount = 16384
    /// The first slot of each node's range, ascending; node i owns `starts[i] ..< starts[i + 1]`.
    public let starts: [Int]
    /// The node owning each slot.
    private let owner: [UInt16]

    public init(nodes: Int) {
        precondition(nodes >= 1 && nodes <= Self.slotCount)
        let perNode = Double(Self.slotCount) / Double(nodes)
        var starts: [Int] = []
        var first = 0, cursor = 0.0
        for i in 0..<nodes {
            var last = Int((cursor + perNode - 1).rounded(.toNearestOrAwayFromZero))
            if last > Self.slotCount || i == nodes - 1 { last = Self.slotCount - 1 }
            if last < first { last = first }
            starts.append(first)
            first = last + 1
            cursor += perNode
        }
        self.starts = starts
        var owner = [UInt16](repeating: 0, count: Self.slotCount)
        for i in 0..<nodes {
            let end = i + 1 < nodes ? starts[i + 1] : Self.slotCount
            for s in starts[i]..<end { owner[s] = UInt16(i) }
        }
        self.owner = owner
    }

    public var nodes: Int { starts.count }
    /// Slots owned by node `i`.
    public func slots(of i: Int) -> Int { (i + 1 < nodes ? starts[i + 1] : Self.slotCount) - starts[i] }
    @inline(__always) public func node(ofSlot slot: Int) -> Int { Int(owner[slot]) }
    @inline(__always) public func node(ofKey key: [UInt8]) -> Int { Int(owner[Self.hashSlot(key)]) }

    /// CRC16-XMODEM of `bytes`.
    public static func crc16(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0
        for b in bytes {
            crc ^= UInt16(b) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return crc
    }

    /// `keyHashSlot`: only the part between the first `{` and the next `}` is hashed when that is
    /// non-empty.
    public static func hashSlot(_ key: [UInt8]) -> Int {
        if let open = key.firstIndex(of: UInt8(ascii: "{")),
           let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1 {
            return Int(crc16(Array(key[(open + 1)..<close])) & 0x3FFF)
        }
        return Int(crc16(key) & 0x3FFF)
    }

    /// The slot of a menu key: Redis keys are strings, here `menu:<id>` (the key naming is an
    /// assumption; any fixed naming spreads the same way).
    public static func menuSlot(_ id: Int) -> Int { hashSlot(Array("menu:\(id)".utf8)) }
}
