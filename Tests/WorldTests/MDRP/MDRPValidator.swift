import Foundation

/// An MDRP solution checker written from the rules of issue 6 and the feasibility section of
/// grubhub/mdrplib `MDRP_code/compute_performance_summary.py`, independently of capsim's
/// replay: it reads the instance and the three solution files as text itself, computes
/// travel times itself, and shares no code with `World`.
///
/// Reading follows the evaluator: assignments and couriers files split on any whitespace,
/// first line skipped as a header; the orders file split on single spaces (pandas
/// `sep=' '`), nine fields, empty = missing; a courier's origin `0` means its start.
///
/// Timeline semantics follow the evaluator too: a courier's timeline starts at (on_time, its
/// start); each move adds (departure, in transit) and (departure + travel, destination),
/// travel = ceil(euclidean / meters_per_minute). The courier's place at instant t is the
/// place of the last timeline entry strictly before t (`bisect_left(times, t) - 1`).
struct MDRPValidator {
    enum Rule: String, CaseIterable, Sendable {
        /// A line that cannot be read (field count, number, unknown id).
        case format
        case orderInManyAssignments
        case assignmentBeforePlacement
        case pickupAfterOffTime
        case pickupBeforeReady
        /// Drop-offs of a bundle not in sequence or closer than the drop-off service time.
        case dropoffSequence
        /// A move's origin is not where the previous move ended (or the start, for the first).
        case discontinuousMoves
        /// Timeline times decrease: a departure before the previous arrival or before on_time.
        case timeRunsBackwards
        case dropoffLocation
        case pickupLocation
        /// The orders file disagrees with the assignments (courier, pickup time, or a
        /// delivered order in no assignment, or an assigned order without a drop-off).
        case orderRecordMismatch
    }

    struct Violation: CustomStringConvertible, Sendable {
        var rule: Rule
        var message: String
        var description: String { "\(rule.rawValue): \(message)" }
    }

    struct Instance {
        var points: [String: (x: Double, y: Double)] = [:]
        var orderPlacement: [String: Int] = [:]
        var orderReady: [String: Int] = [:]
        var orderRestaurant: [String: String] = [:]
        var orderIDs: [String] = []
        var courierOn: [String: Int] = [:]
        var courierOff: [String: Int] = [:]
        var metersPerMinute = 0.0
        var pickupService = 0
        var dropoffService = 0
        var target = 0
        var maximum = 0
        var payPerOrder = 0.0
        var guaranteedPerHour = 0.0
    }

    struct OrderRow {
        var pickup: Int?
        var dropoff: Int?
        var courier: String?
    }

    struct Assignment {
        var assignmentTime: Int
        var pickupTime: Int
        var courier: String
        var orders: [String]
    }

    // MARK: reading

    static func readInstance(directory: String) throws -> Instance {
        func table(_ name: String) throws -> [[String: String]] {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            let lines = text.split(separator: "\n").map { String($0).trimmingCharacters(in: .init(charactersIn: "\r")) }
                .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            let header = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return lines.dropFirst().map { line in
                let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                var row: [String: String] = [:]
                for (k, h) in header.enumerated() where k < f.count { row[h] = f[k] }
                return row
            }
        }
        var inst = Instance()
        for r in try table("restaurants.txt") { inst.points[r["restaurant"]!] = (Double(r["x"]!)!, Double(r["y"]!)!) }
        for o in try table("orders.txt") {
            let id = o["order"]!
            inst.orderIDs.append(id)
            inst.points[id] = (Double(o["x"]!)!, Double(o["y"]!)!)
            inst.orderPlacement[id] = Int(o["placement_time"]!)!
            inst.orderReady[id] = Int(o["ready_time"]!)!
            inst.orderRestaurant[id] = o["restaurant"]!
        }
        for c in try table("couriers.txt") {
            let id = c["courier"]!
            inst.points[id] = (Double(c["x"]!)!, Double(c["y"]!)!)
            inst.courierOn[id] = Int(c["on_time"]!)!
            inst.courierOff[id] = Int(c["off_time"]!)!
        }
        let p = try table("instance_parameters.txt")[0]
        inst.metersPerMinute = Double(p["meters_per_minute"]!)!
        inst.pickupService = Int(p["pickup service minutes"]!)!
        inst.dropoffService = Int(p["dropoff service minutes"]!)!
        inst.target = Int(p["target click-to-door"]!)!
        inst.maximum = Int(p["maximum click-to-door"]!)!
        inst.payPerOrder = Double(p["pay per order"]!)!
        inst.guaranteedPerHour = Double(p["guaranteed pay per hour"]!)!
        return inst
    }

    static func travel(_ inst: Instance, _ a: String, _ b: String) -> Int? {
        guard let p = inst.points[a], let q = inst.points[b] else { return nil }
        let dx = q.x - p.x, dy = q.y - p.y
        return Int(((dx * dx + dy * dy).squareRoot() / inst.metersPerMinute).rounded(.up))
    }

    /// An integer field as the evaluator reads it (`int(float(x))`).
    static func number(_ s: String) -> Int? {
        if let v = Int(s) { return v }
        if let d = Double(s), d.isFinite { return Int(d) }
        return nil
    }

    // MARK: checking

    static func validate(instanceDirectory: String, solutionDirectory: String) throws -> [Violation] {
        let inst = try readInstance(directory: instanceDirectory)
        func read(_ name: String) throws -> String {
            try String(contentsOfFile: solutionDirectory + "/" + name, encoding: .utf8)
        }
        return validate(
            inst, assignments: try read("solution_info_assignments.txt"), orders: try read("solution_info_orders.txt"),
            couriers: try read("solution_info_couriers.txt"))
    }

    static func validate(_ inst: Instance, assignments aText: String, orders oText: String, couriers cText: String) -> [Violation] {
        var v: [Violation] = []
        func fail(_ r: Rule, _ m: String) { v.append(Violation(rule: r, message: m)) }

        // Assignments.
        var assignments: [Assignment] = []
        for (n, line) in aText.split(separator: "\n", omittingEmptySubsequences: false).enumerated().dropFirst() {
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if f.isEmpty { continue }
            guard f.count >= 4, let at = number(f[0]), let pt = number(f[1]) else {
                fail(.format, "assignments line \(n + 1): \(line)")
                continue
            }
            guard inst.courierOn[f[2]] != nil else {
                fail(.format, "assignments line \(n + 1): unknown courier \(f[2])")
                continue
            }
            let os = Array(f[3...])
            if let bad = os.first(where: { inst.orderPlacement[$0] == nil }) {
                fail(.format, "assignments line \(n + 1): unknown order \(bad)")
                continue
            }
            assignments.append(Assignment(assignmentTime: at, pickupTime: pt, courier: f[2], orders: os))
        }

        // Orders file: exactly nine single-space-separated fields, one line per order.
        var rows: [String: OrderRow] = [:]
        for (n, line) in oText.split(separator: "\n", omittingEmptySubsequences: false).enumerated().dropFirst() {
            if line.isEmpty { continue }
            let f = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 9 else {
                fail(.format, "orders line \(n + 1) has \(f.count) single-space fields, expected 9: \"\(line)\"")
                continue
            }
            guard inst.orderPlacement[f[0]] != nil else {
                fail(.format, "orders line \(n + 1): unknown order \(f[0])")
                continue
            }
            if number(f[1]) != inst.orderPlacement[f[0]] || number(f[5]) != inst.orderReady[f[0]]
                || f[2] != inst.orderRestaurant[f[0]] {
                fail(.format, "orders line \(n + 1): placement, ready time or restaurant differ from the instance")
            }
            if let p = inst.points[f[0]], Double(f[3]) != p.x || Double(f[4]) != p.y {
                fail(.format, "orders line \(n + 1): x, y differ from the instance")
            }
            let pickup = f[6].isEmpty ? nil : number(f[6])
            let drop = f[7].isEmpty ? nil : number(f[7])
            let courier = f[8].isEmpty ? nil : f[8]
            if (!f[6].isEmpty && pickup == nil) || (!f[7].isEmpty && drop == nil) {
                fail(.format, "orders line \(n + 1): a time is not a number")
            }
            if rows[f[0]] != nil { fail(.format, "orders file lists \(f[0]) twice") }
            rows[f[0]] = OrderRow(pickup: pickup, dropoff: drop, courier: courier)
        }
        for id in inst.orderIDs where rows[id] == nil { fail(.format, "orders file misses order \(id)") }

        // Rule: each order in at most one assignment.
        var assignmentOf: [String: Int] = [:]
        for (k, a) in assignments.enumerated() {
            for o in a.orders {
                if assignmentOf[o] != nil {
                    fail(.orderInManyAssignments, "\(o) is in assignments \(assignmentOf[o]! + 1) and \(k + 1)")
                } else {
                    assignmentOf[o] = k
                }
            }
        }
        for a in assignments {
            for o in a.orders {
                if a.assignmentTime < inst.orderPlacement[o]! {
                    fail(.assignmentBeforePlacement, "\(o) assigned at \(a.assignmentTime), placed at \(inst.orderPlacement[o]!)")
                }
                if a.pickupTime < inst.orderReady[o]! {
                    fail(.pickupBeforeReady, "\(o) picked up at \(a.pickupTime), ready at \(inst.orderReady[o]!)")
                }
            }
            if a.pickupTime > inst.courierOff[a.courier]! {
                fail(.pickupAfterOffTime, "\(a.courier) picks up at \(a.pickupTime), off at \(inst.courierOff[a.courier]!)")
            }
            // Drop-offs in sequence, at least the service time apart.
            var previous: Int? = nil
            for o in a.orders {
                guard let d = rows[o]?.dropoff else {
                    fail(.orderRecordMismatch, "\(o) is assigned but has no drop-off time")
                    continue
                }
                if let p = previous, d < p + inst.dropoffService {
                    fail(.dropoffSequence, "\(o) dropped at \(d), previous drop-off of its bundle at \(p)")
                }
                previous = d
            }
        }
        // The orders file agrees with the assignments.
        for id in inst.orderIDs {
            guard let r = rows[id] else { continue }
            let delivered = r.pickup != nil || r.dropoff != nil || r.courier != nil
            if let k = assignmentOf[id] {
                let a = assignments[k]
                if r.courier != a.courier || r.pickup != a.pickupTime || r.dropoff == nil {
                    fail(.orderRecordMismatch, "\(id): orders file says courier \(r.courier ?? "-") pickup \(r.pickup.map(String.init) ?? "-"), assignment says \(a.courier) at \(a.pickupTime)")
                }
            } else if delivered {
                fail(.orderRecordMismatch, "\(id) has delivery fields but is in no assignment")
            }
        }

        // Courier timelines.
        var times: [String: [Int]] = [:]
        var places: [String: [String]] = [:]
        var order: [String] = []
        for (n, line) in cText.split(separator: "\n", omittingEmptySubsequences: false).enumerated().dropFirst() {
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if f.isEmpty { continue }
            guard f.count == 4, let dep = number(f[1]), let on = inst.courierOn[f[0]] else {
                fail(.format, "couriers line \(n + 1): \(line)")
                continue
            }
            let c = f[0]
            let origin = f[2] == "0" ? c : f[2]
            if times[c] == nil {
                times[c] = [on]
                places[c] = [c]
                order.append(c)
            }
            guard let tt = travel(inst, origin, f[3]) else {
                fail(.format, "couriers line \(n + 1): unknown location in \(line)")
                continue
            }
            if origin != places[c]!.last! {
                fail(.discontinuousMoves, "\(c) leaves \(origin) at \(dep) but was at \(places[c]!.last!)")
            }
            times[c]!.append(dep)
            places[c]!.append("")
            times[c]!.append(dep + tt)
            places[c]!.append(f[3])
        }
        for c in order where times[c]! != times[c]!.sorted() {
            fail(.timeRunsBackwards, "\(c) timeline \(times[c]!)")
        }
        func place(_ c: String, _ t: Int) -> String? {
            guard let ts = times[c] else { return nil }
            var lo = 0, hi = ts.count  // bisect_left
            while lo < hi {
                let mid = (lo + hi) / 2
                if ts[mid] < t { lo = mid + 1 } else { hi = mid }
            }
            return lo - 1 >= 0 ? places[c]![lo - 1] : nil
        }
        for id in inst.orderIDs {
            guard let r = rows[id], let d = r.dropoff, let c = r.courier else { continue }
            let at = place(c, d)
            if at != id { fail(.dropoffLocation, "\(id) dropped at \(d) by \(c), who is at \(at.map { $0.isEmpty ? "(moving)" : $0 } ?? "(no timeline)")") }
        }
        for a in assignments {
            let restaurant = inst.orderRestaurant[a.orders[0]]!
            let at = place(a.courier, a.pickupTime)
            if at != restaurant {
                fail(.pickupLocation, "\(a.courier) picks up \(a.orders) at \(a.pickupTime) at \(restaurant) but is at \(at.map { $0.isEmpty ? "(moving)" : $0 } ?? "(no timeline)")")
            }
        }
        return v
    }

    // MARK: metrics, as the evaluator computes them

    struct Summary {
        var delivered = 0
        var meanClickToDoor = 0.0
        var totalPayment = 0.0
        var meanUtilization = 0.0
    }

    /// Delivered count, mean click-to-door, total payment and mean courier utilisation,
    /// computed from the files alone with the evaluator's formulas.
    static func summary(instanceDirectory: String, solutionDirectory: String) throws -> Summary {
        let inst = try readInstance(directory: instanceDirectory)
        let oText = try String(contentsOfFile: solutionDirectory + "/solution_info_orders.txt", encoding: .utf8)
        let aText = try String(contentsOfFile: solutionDirectory + "/solution_info_assignments.txt", encoding: .utf8)
        let cText = try String(contentsOfFile: solutionDirectory + "/solution_info_couriers.txt", encoding: .utf8)
        var s = Summary()
        var sum = 0
        var served: [String: Int] = [:], bundles: [String: Int] = [:], driving: [String: Int] = [:]
        for line in oText.split(separator: "\n").dropFirst() {
            let f = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 9, let d = number(f[7]), !f[8].isEmpty else { continue }
            s.delivered += 1
            sum += d - inst.orderPlacement[f[0]]!
            served[f[8], default: 0] += 1
        }
        for line in aText.split(separator: "\n").dropFirst() {
            let f = line.split(separator: " ").map(String.init)
            if f.count >= 4 { bundles[f[2], default: 0] += 1 }
        }
        for line in cText.split(separator: "\n").dropFirst() {
            let f = line.split(separator: " ").map(String.init)
            guard f.count == 4 else { continue }
            driving[f[0], default: 0] += travel(inst, f[2] == "0" ? f[0] : f[2], f[3]) ?? 0
        }
        s.meanClickToDoor = s.delivered == 0 ? 0 : Double(sum) / Double(s.delivered)
        var utilSum = 0.0
        for (c, on) in inst.courierOn.sorted(by: { $0.key < $1.key }) {
            let shift = inst.courierOff[c]! - on
            let busy = (driving[c] ?? 0) + (bundles[c] ?? 0) * inst.pickupService + (served[c] ?? 0) * inst.dropoffService
            utilSum += Double(busy) / Double(shift)
            s.totalPayment += max(Double(served[c] ?? 0) * inst.payPerOrder, Double(shift) * inst.guaranteedPerHour / 60)
        }
        s.meanUtilization = inst.courierOn.isEmpty ? 0 : utilSum / Double(inst.courierOn.count)
        return s
    }
}
