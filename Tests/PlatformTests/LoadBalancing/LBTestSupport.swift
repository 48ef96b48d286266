import Platform

/// Returns fixed draws in order and counts how many were taken.
struct LBReplayRNG: RandomNumberGenerator {
    var draws: [UInt64]
    var taken = 0
    init(_ draws: [UInt64]) { self.draws = draws }
    mutating func next() -> UInt64 {
        precondition(taken < draws.count, "LBReplayRNG ran out of draws")
        defer { taken += 1 }
        return draws[taken]
    }
}

/// LBSplitMix64: a tiny deterministic generator for randomized scenarios.
struct LBSplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
