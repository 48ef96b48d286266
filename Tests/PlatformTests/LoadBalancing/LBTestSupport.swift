import CapsimTestSupport
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

typealias LBSplitMix64 = SplitMix64
