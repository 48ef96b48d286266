import Foundation

/// Writes a replay as the three solution files grubhub/mdrplib's evaluator reads
/// (`MDRP_code/compute_performance_summary.py`, `read_solution_information`), one header
/// line each, fields separated by exactly one space, lines ending in "\n":
///
/// - `solution_info_assignments.txt`: `assignment_time pickup_time courier order...`, the
///   orders in drop-off sequence; one line per assignment in decision order. (The
///   evaluator splits on any whitespace and skips the first line.)
/// - `solution_info_orders.txt`: `order placement_time restaurant x y ready_time pickup_time
///   dropoff_time courier` for every order in instance order; x, y are the drop-off point.
///   An undelivered order leaves its last three fields empty ("o7 610 r3 8708 5633 622   "):
///   the evaluator reads this file with pandas `sep=' '`, so each empty field between single
///   spaces becomes a missing value.
/// - `solution_info_couriers.txt`: `courier departure_time origin destination` per move,
///   grouped by courier (instance order), in time order; a courier's start point is written
///   as its own id. Couriers that never move have no lines.
///
/// Times are the replay's whole minutes, written as integers. Each file is written to a
/// temporary file in the target directory and renamed over the target, so a reader never
/// sees a half-written file.
public enum MDRPSolutionWriter {
    public static let assignmentsFileName = "solution_info_assignments.txt"
    public static let ordersFileName = "solution_info_orders.txt"
    public static let couriersFileName = "solution_info_couriers.txt"

    public static func assignmentsText(_ r: MDRPRunResult) -> String {
        var out = "assignment_time pickup_time courier orders\n"
        for a in r.assignments {
            out += "\(a.assignmentTime) \(a.pickupTime) \(r.instance.couriers[a.courierIndex].id)"
            for o in a.orderIndices { out += " " + r.instance.orders[o].id }
            out += "\n"
        }
        return out
    }

    public static func ordersText(_ r: MDRPRunResult) -> String {
        var out = "order placement_time restaurant x y ready_time pickup_time dropoff_time courier\n"
        for (i, o) in r.instance.orders.enumerated() {
            let s = r.orders[i]
            let fields = [
                o.id, String(o.placementTime), r.instance.restaurants[o.restaurantIndex].id, number(o.x), number(o.y),
                String(o.readyTime),
                s.isDelivered ? s.pickupTime.map(String.init) ?? "" : "",
                s.isDelivered ? s.dropoffTime.map(String.init) ?? "" : "",
                s.isDelivered ? s.courierIndex.map { r.instance.couriers[$0].id } ?? "" : "",
            ]
            out += fields.joined(separator: " ") + "\n"
        }
        return out
    }

    public static func couriersText(_ r: MDRPRunResult) -> String {
        var out = "courier departure_time origin destination\n"
        for (c, list) in r.moves.enumerated() {
            let id = r.instance.couriers[c].id
            for m in list {
                out += "\(id) \(m.departureTime) \(m.origin.id(in: r.instance)) \(m.destination.id(in: r.instance))\n"
            }
        }
        return out
    }

    /// Writes the three files into `directory` (created if missing).
    public static func write(_ r: MDRPRunResult, to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw MDRPReplayError.cannotWrite(path: directory, reason: "\(error)")
        }
        try writeAtomically(assignmentsText(r), to: (directory as NSString).appendingPathComponent(assignmentsFileName))
        try writeAtomically(ordersText(r), to: (directory as NSString).appendingPathComponent(ordersFileName))
        try writeAtomically(couriersText(r), to: (directory as NSString).appendingPathComponent(couriersFileName))
    }

    /// Writes `text` to a temporary file beside `path`, then renames it over `path`.
    public static func writeAtomically(_ text: String, to path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let tmp = (dir.isEmpty ? "." : dir) + "/." + name + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) else {
            throw MDRPReplayError.cannotWrite(path: tmp, reason: "the file could not be created")
        }
        if rename(tmp, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: tmp)
            throw MDRPReplayError.cannotWrite(path: path, reason: reason)
        }
    }

    /// A coordinate as the instance files write it: integers without a decimal point,
    /// other values in Swift's shortest round-trip form.
    static func number(_ x: Double) -> String {
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }
}
