import Foundation

extension MDRPInstance {
    /// The files of an instance directory (grubhub/mdrplib `public_instances/<name>/`).
    public static let requiredFiles = ["orders.txt", "restaurants.txt", "couriers.txt", "instance_parameters.txt"]

    /// Loads an instance directory: orders.txt, restaurants.txt, couriers.txt,
    /// instance_parameters.txt (tab-separated, one header line each; columns found by name)
    /// and, when present, instance_characteristics.txt.
    ///
    /// Checks, each failing with a `DataFileError` naming file, line, field and a fix:
    /// every required column present; numbers parse; times are whole minutes (capsim replays
    /// on whole minutes, see `MDRPReplay`); ids non-empty, without whitespace and unique across
    /// all three entity files (the evaluator keeps one location table keyed by id); each
    /// order's restaurant exists; ready_time >= placement_time; off_time > on_time; speed > 0;
    /// service and click-to-door minutes >= 0.
    ///
    /// - Complexity: O(file size).
    public static func load(directory: String) throws -> MDRPInstance {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw DataFileError(
                file: directory, line: 0, field: "", problem: "no such directory",
                fix: "pass the directory holding orders.txt, restaurants.txt, couriers.txt and instance_parameters.txt")
        }
        func path(_ f: String) -> String { (directory as NSString).appendingPathComponent(f) }
        func display(_ f: String) -> String { path(f) }
        let fix = "an MDRP instance directory holds orders.txt, restaurants.txt, couriers.txt and instance_parameters.txt (tab-separated, as in grubhub/mdrplib public_instances)"
        let restaurants = try DelimitedTable.read(path: path("restaurants.txt"), display: display("restaurants.txt"), separator: .tab, missingFix: fix)
        let orders = try DelimitedTable.read(path: path("orders.txt"), display: display("orders.txt"), separator: .tab, missingFix: fix)
        let couriers = try DelimitedTable.read(path: path("couriers.txt"), display: display("couriers.txt"), separator: .tab, missingFix: fix)
        let params = try DelimitedTable.read(
            path: path("instance_parameters.txt"), display: display("instance_parameters.txt"), separator: .tab,
            missingFix: fix)
        var characteristics: [(key: String, value: String)] = []
        let cpath = path("instance_characteristics.txt")
        if FileManager.default.fileExists(atPath: cpath),
           let data = FileManager.default.contents(atPath: cpath), let text = String(data: data, encoding: .utf8) {
            characteristics = parseCharacteristics(text)
        }
        let name = (directory as NSString).standardizingPath.split(separator: "/").last.map(String.init) ?? directory
        return try build(
            name: name, restaurants: restaurants, orders: orders, couriers: couriers, parameters: params,
            characteristics: characteristics)
    }

    /// Parses an instance from in-memory file contents (for tests and generated instances);
    /// `name` prefixes the file names in error messages.
    public static func parse(
        name: String, orders: String, restaurants: String, couriers: String, parameters: String
    ) throws -> MDRPInstance {
        try build(
            name: name,
            restaurants: DelimitedTable.parse(text: restaurants, file: "\(name)/restaurants.txt", separator: .tab),
            orders: DelimitedTable.parse(text: orders, file: "\(name)/orders.txt", separator: .tab),
            couriers: DelimitedTable.parse(text: couriers, file: "\(name)/couriers.txt", separator: .tab),
            parameters: DelimitedTable.parse(text: parameters, file: "\(name)/instance_parameters.txt", separator: .tab),
            characteristics: [])
    }

    /// "key: value" lines; other lines (the percentile tables) are kept whole with an empty value.
    static func parseCharacteristics(_ text: String) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        for raw in text.split(whereSeparator: { $0.isNewline }) {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            if let colon = line.firstIndex(of: ":") {
                out.append((String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                            String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            } else {
                out.append((line, ""))
            }
        }
        return out
    }

    static let minutesFix = "write the time as a whole number of minutes from the start of the day, e.g. 615"

    /// Bounds that keep every replay time sum inside Int64 nanoseconds: times up to ten
    /// years in minutes, service and click-to-door minutes up to a week, coordinates
    /// within 1000 km of the origin, speeds from 1 m/min to 1000 km/min, pay up to 10^9.
    public static let maxMinutes = 5_256_000, maxServiceMinutes = 10_080
    public static let maxCoordinate = 1_000_000.0
    static let speedRange = 1.0...1_000_000.0

    /// A time in whole minutes, 0 to `maxMinutes`.
    static func minutes(_ t: DelimitedTable, _ row: (line: Int, fields: [String]), _ column: Int) throws -> Int {
        let v = try t.int(row, column, what: "a whole number of minutes", fix: minutesFix)
        if v < 0 {
            throw DataFileError(file: t.file, line: row.line, field: t.header[column], problem: "the time \(v) is negative", fix: minutesFix)
        }
        if v > maxMinutes {
            throw DataFileError(file: t.file, line: row.line, field: t.header[column],
                                problem: "the time \(v) is beyond the limit of \(maxMinutes) minutes (ten years)", fix: minutesFix)
        }
        return v
    }

    /// A coordinate in metres within `maxCoordinate` of the origin.
    static func coordinate(_ t: DelimitedTable, _ row: (line: Int, fields: [String]), _ column: Int) throws -> Double {
        let v = try t.double(row, column, what: "a number of metres", fix: "write the coordinate in metres as a decimal number, e.g. 8708")
        if abs(v) > maxCoordinate {
            throw DataFileError(file: t.file, line: row.line, field: t.header[column],
                                problem: "\(v) m is more than 1000 km from the origin",
                                fix: "use metres within ±1000000 of the instance's origin")
        }
        return v
    }

    static func build(
        name: String, restaurants rt: DelimitedTable, orders ot: DelimitedTable, couriers ct: DelimitedTable,
        parameters pt: DelimitedTable, characteristics: [(key: String, value: String)]
    ) throws -> MDRPInstance {
        // Ids must be unique across the three entity files: the evaluator resolves every
        // location id (restaurant, order drop-off, courier start) in one table.
        var seen: [String: (file: String, line: Int)] = [:]
        func claim(_ id: String, _ table: DelimitedTable, _ line: Int, _ field: String) throws {
            if let first = seen[id] {
                throw DataFileError(
                    file: table.file, line: line, field: field,
                    problem: "the id \"\(id)\" is already used at \(first.file) line \(first.line)",
                    fix: "give every order, restaurant and courier its own id (Grubhub prefixes them o, r and c)")
            }
            seen[id] = (table.file, line)
        }

        // restaurants.txt
        let rID = try rt.requireColumn("restaurant"), rX = try rt.requireColumn("x"), rY = try rt.requireColumn("y")
        var restaurants: [MDRPRestaurant] = []
        var restaurantIndex: [String: Int] = [:]
        for row in rt.rows {
            let id = try rt.identifier(row, rID)
            try claim(id, rt, row.line, "restaurant")
            restaurantIndex[id] = restaurants.count
            restaurants.append(MDRPRestaurant(
                id: id, x: try coordinate(rt, row, rX), y: try coordinate(rt, row, rY)))
        }

        // orders.txt
        let oID = try ot.requireColumn("order"), oX = try ot.requireColumn("x"), oY = try ot.requireColumn("y")
        let oPlace = try ot.requireColumn("placement_time"), oRest = try ot.requireColumn("restaurant")
        let oReady = try ot.requireColumn("ready_time")
        var orders: [MDRPOrder] = []
        orders.reserveCapacity(ot.rows.count)
        for row in ot.rows {
            let id = try ot.identifier(row, oID)
            try claim(id, ot, row.line, "order")
            let placement = try minutes(ot, row, oPlace)
            let ready = try minutes(ot, row, oReady)
            if placement < 0 {
                throw DataFileError(file: ot.file, line: row.line, field: "placement_time",
                                    problem: "the time \(placement) is negative", fix: minutesFix)
            }
            if ready < placement {
                throw DataFileError(
                    file: ot.file, line: row.line, field: "ready_time",
                    problem: "the order is ready (\(ready)) before it is placed (\(placement))",
                    fix: "make ready_time at least placement_time")
            }
            let rid = row.fields[oRest]
            guard let ri = restaurantIndex[rid] else {
                throw DataFileError(
                    file: ot.file, line: row.line, field: "restaurant",
                    problem: "no restaurant \"\(rid)\" in \(rt.file)",
                    fix: "use a restaurant id listed in restaurants.txt, or add that restaurant there")
            }
            orders.append(MDRPOrder(
                id: id, x: try coordinate(ot, row, oX), y: try coordinate(ot, row, oY),
                placementTime: placement, restaurantIndex: ri, readyTime: ready))
        }

        // couriers.txt
        let cID = try ct.requireColumn("courier"), cX = try ct.requireColumn("x"), cY = try ct.requireColumn("y")
        let cOn = try ct.requireColumn("on_time"), cOff = try ct.requireColumn("off_time")
        var couriers: [MDRPCourier] = []
        for row in ct.rows {
            let id = try ct.identifier(row, cID)
            if id == "0" {
                throw DataFileError(
                    file: ct.file, line: row.line, field: "courier",
                    problem: "the courier id \"0\" is reserved (the solution files use 0 for a courier's start point)",
                    fix: "rename the courier, e.g. c0")
            }
            try claim(id, ct, row.line, "courier")
            let on = try minutes(ct, row, cOn)
            let off = try minutes(ct, row, cOff)
            if on < 0 {
                throw DataFileError(file: ct.file, line: row.line, field: "on_time",
                                    problem: "the time \(on) is negative", fix: minutesFix)
            }
            if off <= on {
                throw DataFileError(
                    file: ct.file, line: row.line, field: "off_time",
                    problem: "the shift ends (\(off)) no later than it starts (\(on))",
                    fix: "make off_time greater than on_time")
            }
            couriers.append(MDRPCourier(
                id: id, x: try coordinate(ct, row, cX), y: try coordinate(ct, row, cY), onTime: on, offTime: off))
        }

        // instance_parameters.txt
        guard pt.rows.count == 1, let prow = pt.rows.first else {
            throw DataFileError(
                file: pt.file, line: pt.rows.count > 1 ? pt.rows[1].line : 2, field: "",
                problem: "expected exactly one line of values after the header, found \(pt.rows.count)",
                fix: "keep the header and one tab-separated line such as: 320 4 4 40 90 10 15")
        }
        func pInt(_ name: String) throws -> Int {
            let v = try pt.int(prow, try pt.requireColumn(name), what: "a whole number of minutes",
                               fix: "write a whole number of minutes, e.g. 4")
            if v < 0 || v > maxServiceMinutes {
                throw DataFileError(file: pt.file, line: prow.line, field: name, problem: "\(v) is outside 0...\(maxServiceMinutes) minutes (a week)",
                                    fix: "use a number of minutes from 0 to \(maxServiceMinutes)")
            }
            return v
        }
        func pDouble(_ name: String, example: String) throws -> Double {
            let v = try pt.double(prow, try pt.requireColumn(name), what: "a number", fix: "write a decimal number, e.g. \(example)")
            if v < 0 || v > 1e9 {
                throw DataFileError(file: pt.file, line: prow.line, field: name, problem: "\(v) is outside 0...1000000000",
                                    fix: "use a value from 0 to 1000000000")
            }
            return v
        }
        let speed = try pDouble("meters_per_minute", example: "320")
        if !speedRange.contains(speed) {
            throw DataFileError(file: pt.file, line: prow.line, field: "meters_per_minute", problem: "the speed \(speed) is outside 1...1000000 m/min",
                                fix: "use a speed from 1 to 1000000 metres per minute, e.g. 320")
        }
        let parameters = MDRPParameters(
            metersPerMinute: speed, pickupServiceMinutes: try pInt("pickup service minutes"),
            dropoffServiceMinutes: try pInt("dropoff service minutes"),
            targetClickToDoorMinutes: try pInt("target click-to-door"),
            maximumClickToDoorMinutes: try pInt("maximum click-to-door"),
            payPerOrder: try pDouble("pay per order", example: "10"),
            guaranteedPayPerHour: try pDouble("guaranteed pay per hour", example: "15"))
        return MDRPInstance(
            name: name, orders: orders, restaurants: restaurants, couriers: couriers, parameters: parameters,
            characteristics: characteristics)
    }
}
