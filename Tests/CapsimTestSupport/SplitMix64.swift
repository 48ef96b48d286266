/// SplitMix64 (Steele, Lea & Flood 2014; the constants of java.util.SplittableRandom): one
/// small seeded generator for every randomised test, so each run sees the same inputs.
public struct SplitMix64: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }
    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An integer in 0..<n (modulo reduction: a bias below 2^-40 for test-sized n).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
