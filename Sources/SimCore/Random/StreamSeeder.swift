/// Derives per-stream seeds from (scenario seed, stream name), stably.
///
/// The name is hashed with FNV-1a (64-bit), mixed with the scenario seed through SplitMix64
/// finalisers, and reduced to 32 bits (MT19937 uses only 32 bits of its seed); a zero is
/// redrawn, never remapped. The mapping depends on nothing but its inputs: not on the order
/// in which streams are created, nor on which other streams exist.
public struct StreamSeeder: Sendable {
    public let masterSeed: UInt64

    public init(masterSeed: UInt64) { self.masterSeed = masterSeed }

    /// The 32-bit non-zero seed of the stream called `name`.
    public func seed(for name: String) -> UInt32 {
        var state = masterSeed ^ StreamSeeder.splitmix(StreamSeeder.fnv1a(name))
        while true {
            state = StreamSeeder.splitmix(state)
            let s = UInt32(truncatingIfNeeded: state ^ (state >> 32))
            if s != 0 { return s }
        }
    }

    /// A new stream called `name`.
    public func stream(_ name: String) -> RandomStream { RandomStream(seed: seed(for: name)) }

    /// The master seed of replication `index`. Replication 0 keeps the scenario's own seed,
    /// so a single run equals the first of several.
    public static func replicationSeed(_ seed: UInt64, index: Int) -> UInt64 {
        index == 0 ? seed : splitmix(seed ^ splitmix(0x5EED_0000_0000_0000 &+ UInt64(index)))
    }

    /// FNV-1a 64-bit over the UTF-8 bytes of `s`.
    public static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// SplitMix64's output function applied to `x + golden gamma` (Steele et al. 2014).
    public static func splitmix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
