import Foundation
import Platform
import SimCore

/// Demand read from a user's own order log: a CSV file driving a scenario
/// (`demand: { trace: orders.csv }`).
///
/// Format: RFC 4180 CSV (comma-separated, optional double quotes, UTF-8, a header line;
/// blank lines ignored). Columns, found by header name in any order (names are
/// case-sensitive, extra columns are ignored):
///
/// | column | required | meaning |
/// | --- | --- | --- |
/// | `placement_time` | yes | when the customer ordered, from the start of the trace (see times below) |
/// | `ready_time` | no | when the food is ready, same clock; empty or absent = unknown (the scenario's preparation model applies) |
/// | `order` | no | order id (default: `line<N>`); must be unique |
/// | `restaurant` | one of these | restaurant id |
/// | `restaurant_x`, `restaurant_y` | ... | restaurant position in metres (planar), or |
/// | `restaurant_lon`, `restaurant_lat` | ... | restaurant position in degrees |
/// | `customer_x`, `customer_y` | one pair | drop-off position in metres, or |
/// | `customer_lon`, `customer_lat` | ... | drop-off position in degrees |
///
/// Times: a bare number is seconds (`90`, `12.5`); a number with a unit suffix is that
/// unit: `ns`, `us`, `ms`, `s`, `min`, `h` (`1500ms`, `2.5min`, `1h`). Times are rounded to
/// the nearest nanosecond and may not be negative; ready_time may not precede placement_time.
///
/// Positions: either all planar (x/y, metres, e.g. MDRP-style) or all geographic (lon/lat,
/// degrees, longitude in [-180, 180], latitude in [-85.05112878, 85.05112878], the range
/// Redis GEO accepts). A restaurant is identified by its id when the `restaurant` column is
/// present, otherwise by its exact coordinates; with both, every row naming the same id must
/// give the same position. With ids only, positions come from the scenario
/// (`dispatchOrders(restaurantPositions:)`).
///
/// Orders are sorted by placement time, ties by line number (stable), so a trace with
/// unsorted rows replays deterministically.
public struct OrderTrace: Sendable, Equatable {
    public enum Coordinates: String, Sendable, Equatable {
        /// x, y in metres.
        case planar
        /// longitude, latitude in degrees.
        case geographic
    }

    public struct Restaurant: Sendable, Equatable {
        /// The id from the `restaurant` column, or "x,y" / "lon,lat" as written when absent.
        public var key: String
        /// nil when the trace names the restaurant by id only.
        public var position: DispatchPosition?
    }

    public struct Order: Sendable, Equatable {
        public var id: String
        public var placedAt: SimTime
        public var readyAt: SimTime?
        /// Index into `OrderTrace.restaurants`.
        public var restaurantIndex: Int
        public var customer: DispatchPosition
        /// Line in the file (1-based), for messages.
        public var line: Int
    }

    /// The file as given to `load`/`parse`.
    public var file: String
    public var coordinates: Coordinates
    /// Sorted by (placedAt, line).
    public var orders: [Order]
    /// In order of first appearance in the file.
    public var restaurants: [Restaurant]

    /// Reads and checks a trace file; errors are `DataFileError`s naming line, column and fix.
    public static func load(path: String) throws -> OrderTrace {
        try make(DelimitedTable.read(
            path: path, display: path, separator: .comma,
            missingFix: "check the path of the trace (a CSV file with placement_time, restaurant and customer columns)"))
    }

    /// Parses trace text; `file` names it in error messages.
    public static func parse(text: String, file: String = "orders.csv") throws -> OrderTrace {
        try make(DelimitedTable.parse(text: text, file: file, separator: .comma))
    }

    /// Time from the first placement to the last.
    public var span: SimTime { (orders.last?.placedAt ?? 0) - (orders.first?.placedAt ?? 0) }

    /// The orders as the Platform matchers take them (id = index in `orders`,
    /// restaurantID = index in `restaurants`).
    ///
    /// - Parameters:
    ///   - defaultPreparation: ready = placement + this when the trace has no ready_time.
    ///   - restaurantPositions: positions of restaurants the trace names by id only.
    /// - Throws: `DataFileError` for the first order whose restaurant has no position.
    public func dispatchOrders(
        defaultPreparation: SimTime, restaurantPositions: [String: DispatchPosition] = [:]
    ) throws -> [DispatchOrder] {
        var positions: [DispatchPosition?] = restaurants.map { $0.position ?? restaurantPositions[$0.key] }
        var out: [DispatchOrder] = []
        out.reserveCapacity(orders.count)
        for (i, o) in orders.enumerated() {
            guard let rp = positions[o.restaurantIndex] else {
                throw DataFileError(
                    file: file, line: o.line, field: "restaurant",
                    problem: "restaurant \"\(restaurants[o.restaurantIndex].key)\" has no position in the trace or the scenario",
                    fix: "add restaurant_x/restaurant_y (or restaurant_lon/restaurant_lat) columns, or list the restaurant in the scenario")
            }
            positions[o.restaurantIndex] = rp
            out.append(DispatchOrder(
                id: i, restaurantID: o.restaurantIndex, restaurantPosition: rp, customerPosition: o.customer,
                placedAt: o.placedAt, readyAt: o.readyAt ?? o.placedAt + Swift.max(0, defaultPreparation)))
        }
        return out
    }

    /// Parses a trace time: seconds, or a number with unit ns|us|ms|s|min|h. nil if malformed.
    public static func parseTime(_ text: String) -> SimTime? {
        let s = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ns", 1), ("us", 1e3), ("ms", 1e6), ("min", 60e9), ("s", 1e9), ("h", 3600e9)]
        var number = Substring(s), scale = 1e9
        for (suffix, ns) in units where s.hasSuffix(suffix) {
            number = s.dropLast(suffix.count)
            scale = ns
            break
        }
        let n = number.trimmingCharacters(in: .whitespaces)
        guard !n.isEmpty, let v = Double(n), v.isFinite else { return nil }
        let ns = (v * scale).rounded()
        // Ten years at most (as scenario durations): sums of a few trace times stay in Int64.
        guard abs(ns) <= 3.1536e17 else { return nil }
        return SimTime(ns)
    }
}
