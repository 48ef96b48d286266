/// A proleptic Gregorian calendar date (no time zone), with day-count conversions.
///
/// Source: Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms"
/// (howardhinnant.github.io/date_algorithms.html), `days_from_civil` and `civil_from_days`:
/// exact for every date representable here, branch-light, no tables, no Foundation.
/// Day 0 is 1970-01-01, matching PostgreSQL's `date - date '1970-01-01'`.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    /// 1...12
    public let month: Int
    /// 1...daysInMonth
    public let day: Int

    /// - Precondition: `month` in 1...12 and `day` in 1...`daysInMonth(year, month)`.
    public init(year: Int, month: Int, day: Int) {
        precondition((1...12).contains(month), "month out of range: \(month)")
        precondition(day >= 1 && day <= CivilDate.daysInMonth(year: year, month: month), "day out of range: \(day)")
        self.year = year
        self.month = month
        self.day = day
    }

    @usableFromInline init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `days_from_civil`: days since 1970-01-01 (negative before).
    /// - Complexity: O(1).
    @inlinable
    public var daysSinceUnixEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let m = Int64(month)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400                                       // [0, 399]
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1  // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy               // [0, 146096]
        return era * 146_097 + doe - 719_468
    }

    /// `civil_from_days`: the date `days` after 1970-01-01.
    /// - Complexity: O(1).
    @inlinable
    public init(daysSinceUnixEpoch days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097                                           // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365     // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)                     // [0, 365]
        let mp = (5 * doy + 2) / 153                                          // [0, 11], March = 0
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(unchecked: Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }

    /// `year * 12 + (month - 1)`: consecutive integers for consecutive months.
    @inlinable public var monthOrdinal: Int { year * 12 + (month - 1) }

    /// The first day of the month with this ordinal.
    @inlinable
    public static func firstOfMonth(ordinal: Int) -> CivilDate {
        let y = ordinal >= 0 ? ordinal / 12 : (ordinal - 11) / 12  // floor division
        return CivilDate(unchecked: y, ordinal - y * 12 + 1, 1)
    }

    public static func < (l: CivilDate, r: CivilDate) -> Bool {
        (l.year, l.month, l.day) < (r.year, r.month, r.day)
    }

    /// ISO 8601 `YYYY-MM-DD` (years 0...9999 zero-padded to 4 digits), as PostgreSQL prints a date.
    public var description: String {
        "\(CivilDate.pad(year, 4))-\(CivilDate.pad(month, 2))-\(CivilDate.pad(day, 2))"
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v.magnitude)
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }
}
