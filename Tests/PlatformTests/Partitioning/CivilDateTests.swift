import Foundation
import Testing
@testable import Platform

@Suite("Civil dates and monthly range partitions")
struct CivilDateTests {
    @Test func knownDayCounts() {
        // Unix day numbers: 2024-01-01 = 1704067200 s / 86400; 2000-03-01 = 951868800 s / 86400.
        let cases: [(Int, Int, Int, Int64)] = [
            (1970, 1, 1, 0), (1969, 12, 31, -1), (2000, 3, 1, 11_017), (2024, 1, 1, 19_723),
            (2024, 2, 29, 19_782), (0, 3, 1, -719_468), (1600, 1, 1, -135_140),
        ]
        for (y, m, d, days) in cases {
            #expect(CivilDate(year: y, month: m, day: d).daysSinceUnixEpoch == days, "\(y)-\(m)-\(d)")
            #expect(CivilDate(daysSinceUnixEpoch: days) == CivilDate(year: y, month: m, day: d))
        }
    }

    /// Walk day by day with a naive calendar (increment day, roll month and year with the leap rule)
    /// from 1970-01-01 forwards to 2400 and backwards to 1500; both conversions must agree every day.
    @Test func bruteForceWalkAgreesBothWays() {
        func daysIn(_ y: Int, _ m: Int) -> Int {
            let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
            return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        }
        var (y, m, d) = (1970, 1, 1)
        var n: Int64 = 0
        var mismatches = 0
        while y <= 2400 {
            let c = CivilDate(daysSinceUnixEpoch: n)
            if c.year != y || c.month != m || c.day != d || CivilDate(year: y, month: m, day: d).daysSinceUnixEpoch != n {
                mismatches += 1
            }
            d += 1; n += 1
            if d > daysIn(y, m) { d = 1; m += 1; if m > 12 { m = 1; y += 1 } }
        }
        (y, m, d) = (1970, 1, 1)
        n = 0
        while y >= 1500 {
            let c = CivilDate(daysSinceUnixEpoch: n)
            if c.year != y || c.month != m || c.day != d || CivilDate(year: y, month: m, day: d).daysSinceUnixEpoch != n {
                mismatches += 1
            }
            d -= 1; n -= 1
            if d < 1 { m -= 1; if m < 1 { m = 12; y -= 1 }; d = daysIn(y, m) }
        }
        #expect(mismatches == 0)
    }

    @Test func agreesWithFoundationCalendar() {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        var rng = PartitioningSplitMix(seed: 99)
        for _ in 0..<2_000 {
            let days = Int64(rng.next() % 146_097) - 36_524  // 1870 ... 2270
            let c = CivilDate(daysSinceUnixEpoch: days)
            let parts = cal.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(days) * 86_400))
            #expect(parts.year == c.year && parts.month == c.month && parts.day == c.day, "day \(days)")
        }
    }

    @Test func monthOrdinalsAndFirstOfMonth() {
        #expect(CivilDate.firstOfMonth(ordinal: 2024 * 12) == CivilDate(year: 2024, month: 1, day: 1))
        #expect(CivilDate.firstOfMonth(ordinal: 2024 * 12 - 1) == CivilDate(year: 2023, month: 12, day: 1))
        #expect(CivilDate.firstOfMonth(ordinal: -1) == CivilDate(year: -1, month: 12, day: 1))
        #expect(CivilDate(year: 2024, month: 5, day: 17).description == "2024-05-17")
    }

    @Test func monthlyRangeRouting() {
        let day = 86_400 * TimeUnit.second
        let p = MonthlyRangePartitioning(epoch: CivilDate(year: 2024, month: 1, day: 1))
        #expect(p.partitionName(at: 0) == "orders_2024_01")
        #expect(p.partitionName(at: -1) == "orders_2023_12")
        #expect(p.partitionName(at: 31 * day - 1) == "orders_2024_01")
        #expect(p.partitionName(at: 31 * day) == "orders_2024_02")
        #expect(p.partitionName(at: 60 * day - 1) == "orders_2024_02")  // leap year: Feb has 29 days
        #expect(p.partitionName(at: 60 * day) == "orders_2024_03")
        #expect(p.instantBounds(ofMonthOrdinal: 2024 * 12 + 1) == 31 * day ..< 60 * day)
        let b = MonthlyRangePartitioning.bounds(ofMonthOrdinal: 2024 * 12)
        #expect(b.from.description == "2024-01-01" && b.to.description == "2024-02-01")
        #expect(p.partitionIndex(at: 0, firstMonthOrdinal: 2024 * 12, count: 12) == 0)
        #expect(p.partitionIndex(at: -1, firstMonthOrdinal: 2024 * 12, count: 12) == nil)
        #expect(p.partitionIndex(at: 366 * day, firstMonthOrdinal: 2024 * 12, count: 12) == nil)
        #expect(p.partitionIndex(at: 366 * day - 1, firstMonthOrdinal: 2024 * 12, count: 12) == 11)

        let q = MonthlyRangePartitioning(epoch: CivilDate(year: 2023, month: 11, day: 17), namePrefix: "ev")
        #expect(q.partitionName(at: 14 * day - 1) == "ev_2023_11")
        #expect(q.partitionName(at: 14 * day) == "ev_2023_12")
    }
}
