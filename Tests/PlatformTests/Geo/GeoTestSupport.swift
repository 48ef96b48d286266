import Foundation
@testable import Platform

/// SplitMix64: the Geo tests' deterministic random stream.
struct GeoSplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func uniform(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Redis's `WITHDIST` / `GEODIST` text: `%.4f` (redis 7.0 `addReplyDoubleDistance`).
func geoFormat4(_ d: Double) -> String { String(format: "%.4f", d) }

/// Redis 7.0's `addReplyHumanLongDouble` text (`ld2string(..., LD_STR_HUMAN)`): `%.17Lf`, trailing
/// zeros and a trailing dot removed, "-0" -> "0". A double converts to long double exactly, so `%.17f`
/// of the double prints the same digits.
func geoHumanLongDouble(_ x: Double) -> String {
    var s = String(format: "%.17f", x)
    if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
    }
    if s == "-0" { s = "0" }
    return s
}

extension GeoSet {
    /// Members of a search in reply order.
    func members(longitude: Double, latitude: Double, shape: GeoShape,
                 options: GeoSearchOptions = GeoSearchOptions()) throws -> [Member] {
        try search(longitude: longitude, latitude: latitude, shape: shape, options: options).map(\.member)
    }
}
