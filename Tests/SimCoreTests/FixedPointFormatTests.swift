import Testing
@testable import SimCore

/// `String(format:decimals:)`, the locale-free formatting every report number goes through.
@Suite struct FixedPointFormatTests {
    @Test func roundsHalfAwayAndPadsTheFraction() {
        #expect(String(format: 2.5, decimals: 0) == "3")
        #expect(String(format: -1.005, decimals: 1) == "-1.0")
        #expect(String(format: 0.05, decimals: 3) == "0.050")
        #expect(String(format: 1234.5678, decimals: 2) == "1234.57")
    }

    /// A tiny cost (a fuzzed `costs.cross_region_gb=1e-300`) asked for hundreds of decimals
    /// and trapped converting 10^20 to UInt64; the digits stop at 18.
    @Test func asksForMoreThanEighteenDecimalsGetEighteen() {
        #expect(String(format: 1e-300, decimals: 300) == "0." + String(repeating: "0", count: 18))
        #expect(String(format: 0.5, decimals: 25) == "0.5" + String(repeating: "0", count: 17))
    }
}
