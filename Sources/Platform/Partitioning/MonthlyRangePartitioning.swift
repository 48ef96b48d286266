/// Monthly `PARTITION BY RANGE (created_at)` routing: which `orders_YYYY_MM` partition a timestamp
/// falls in, for partitions declared
/// `CREATE TABLE orders_2024_01 PARTITION OF orders FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')`.
///
/// PostgreSQL semantics (postgres/postgres `src/backend/partitioning/partbounds.c`
/// `partition_range_datum_bsearch`, `get_partition_for_tuple` RANGE case): the lower bound is
/// inclusive, the upper bound exclusive, so midnight of the 1st belongs to the new month. For a
/// `timestamp without time zone` column the bounds are local midnights with no zone arithmetic;
/// this type treats an `Instant` as nanoseconds since midnight of `epoch` in that same local time.
/// With no `DEFAULT` partition, a row outside every declared month is rejected
/// ("no partition of relation ... found for row"): `partitionIndex` returns nil then.
///
/// Instants are floored to days, so instants before the epoch work. PostgreSQL stores microseconds:
/// a client that rounds (rather than truncates) nanoseconds to microseconds moves the last 500 ns
/// of a month into the next one; this type floors, which is what a truncating client sends.
public struct MonthlyRangePartitioning: Sendable, Hashable {
    /// The calendar date whose midnight is `Instant` 0.
    public let epoch: CivilDate
    /// `epoch` as days since 1970-01-01.
    public let epochDay: Int64
    /// Partition names are `<namePrefix>_YYYY_MM`.
    public let namePrefix: String

    @inlinable static var nanosecondsPerDay: Int64 { 86_400_000_000_000 }

    public init(epoch: CivilDate, namePrefix: String = "orders") {
        self.epoch = epoch
        epochDay = epoch.daysSinceUnixEpoch
        self.namePrefix = namePrefix
    }

    /// Days since 1970-01-01 of the local date containing `instant` (floor).
    @inlinable @inline(__always)
    public func day(at instant: Instant) -> Int64 {
        var q = instant / Self.nanosecondsPerDay
        if instant % Self.nanosecondsPerDay < 0 { q -= 1 }
        return epochDay + q
    }

    /// The month ordinal (`year * 12 + month - 1`) of the partition that receives `instant`.
    /// - Complexity: O(1), no allocation.
    @inlinable @inline(__always)
    public func monthOrdinal(at instant: Instant) -> Int {
        CivilDate(daysSinceUnixEpoch: day(at: instant)).monthOrdinal
    }

    /// Index into partitions declared for `count` consecutive months starting with
    /// `firstMonthOrdinal`, or nil if the instant falls outside them.
    @inlinable
    public func partitionIndex(at instant: Instant, firstMonthOrdinal: Int, count: Int) -> Int? {
        let i = monthOrdinal(at: instant) - firstMonthOrdinal
        return i >= 0 && i < count ? i : nil
    }

    /// `FROM` (inclusive) and `TO` (exclusive) dates of the month's partition.
    public static func bounds(ofMonthOrdinal ordinal: Int) -> (from: CivilDate, to: CivilDate) {
        (CivilDate.firstOfMonth(ordinal: ordinal), CivilDate.firstOfMonth(ordinal: ordinal + 1))
    }

    /// `FROM` and `TO` of the month's partition as instants on this epoch.
    public func instantBounds(ofMonthOrdinal ordinal: Int) -> Range<Instant> {
        let b = Self.bounds(ofMonthOrdinal: ordinal)
        return (b.from.daysSinceUnixEpoch - epochDay) * Self.nanosecondsPerDay
            ..< (b.to.daysSinceUnixEpoch - epochDay) * Self.nanosecondsPerDay
    }

    /// `orders_2024_01` for ordinal 2024*12+0.
    public func name(ofMonthOrdinal ordinal: Int) -> String {
        let d = CivilDate.firstOfMonth(ordinal: ordinal)
        return "\(namePrefix)_\(CivilDate.pad(d.year, 4))_\(CivilDate.pad(d.month, 2))"
    }

    /// The name of the partition that receives `instant`.
    public func partitionName(at instant: Instant) -> String {
        name(ofMonthOrdinal: monthOrdinal(at: instant))
    }
}
