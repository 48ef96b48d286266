import Platform
import SimCore

extension OrderTrace {
    static let timeFix = "write seconds from the start of the trace (e.g. 754 or 12.5), or a number with a unit: ns, us, ms, s, min, h (e.g. 12.5min)"

    static func make(_ t: DelimitedTable) throws -> OrderTrace {
        // Which coordinate columns are present decides the system; mixing is an error.
        func pair(_ a: String, _ b: String) throws -> (Int, Int)? {
            let ia = t.columnIndex(a), ib = t.columnIndex(b)
            if ia == nil && ib == nil { return nil }
            guard let ia, let ib else {
                let missing = ia == nil ? a : b
                throw DataFileError(
                    file: t.file, line: t.headerLine, field: missing,
                    problem: "the header has \"\(ia == nil ? b : a)\" but not \"\(missing)\"",
                    fix: "add the column \"\(missing)\"; coordinates come in pairs")
            }
            return (ia, ib)
        }
        let cPlanar = try pair("customer_x", "customer_y"), cGeo = try pair("customer_lon", "customer_lat")
        let rPlanar = try pair("restaurant_x", "restaurant_y"), rGeo = try pair("restaurant_lon", "restaurant_lat")
        if cPlanar != nil && cGeo != nil || rPlanar != nil && rGeo != nil
            || (cPlanar != nil && rGeo != nil) || (cGeo != nil && rPlanar != nil) {
            throw DataFileError(
                file: t.file, line: t.headerLine, field: "",
                problem: "the header mixes planar (x/y) and geographic (lon/lat) coordinates",
                fix: "use either customer_x, customer_y, restaurant_x, restaurant_y (metres) or customer_lon, customer_lat, restaurant_lon, restaurant_lat (degrees)")
        }
        guard let customerColumns = cPlanar ?? cGeo else {
            throw DataFileError(
                file: t.file, line: t.headerLine, field: "customer_x",
                problem: "the header has no customer position columns (it has: \(t.header.joined(separator: ", ")))",
                fix: "add customer_x and customer_y (metres) or customer_lon and customer_lat (degrees)")
        }
        let coordinates: Coordinates = cPlanar != nil ? .planar : .geographic
        let restaurantColumns = rPlanar ?? rGeo
        let idColumn = t.columnIndex("restaurant")
        if idColumn == nil && restaurantColumns == nil {
            throw DataFileError(
                file: t.file, line: t.headerLine, field: "restaurant",
                problem: "the header names no restaurant: neither a \"restaurant\" id column nor restaurant coordinates",
                fix: "add a restaurant column (id) and/or restaurant_x, restaurant_y (or restaurant_lon, restaurant_lat)")
        }
        let placeColumn = try t.requireColumn(
            "placement_time", fix: "add a placement_time column: when each order was placed (seconds, or e.g. 12.5min)")
        let readyColumn = t.columnIndex("ready_time")
        let orderColumn = t.columnIndex("order")

        func time(_ row: (line: Int, fields: [String]), _ column: Int) throws -> SimTime {
            let s = row.fields[column]
            guard let v = parseTime(s) else {
                throw DataFileError(
                    file: t.file, line: row.line, field: t.header[column],
                    problem: s.isEmpty ? "the field is empty, expected a time" : "\"\(s)\" is not a time (or is beyond ten years)", fix: timeFix)
            }
            if v < 0 {
                throw DataFileError(file: t.file, line: row.line, field: t.header[column],
                                    problem: "the time \(s) is negative", fix: timeFix)
            }
            return v
        }
        func position(_ row: (line: Int, fields: [String]), _ cols: (Int, Int)) throws -> DispatchPosition {
            let unit = coordinates == .planar ? "a number of metres" : "a number of degrees"
            let fix = coordinates == .planar
                ? "write the coordinate in metres as a decimal number, e.g. 8708.5"
                : "write the coordinate in decimal degrees, e.g. 13.4050 (longitude) or 52.5200 (latitude)"
            let a = try t.double(row, cols.0, what: unit, fix: fix)
            let b = try t.double(row, cols.1, what: unit, fix: fix)
            if coordinates == .planar, abs(a) > MDRPInstance.maxCoordinate || abs(b) > MDRPInstance.maxCoordinate {
                throw DataFileError(file: t.file, line: row.line, field: t.header[abs(a) > MDRPInstance.maxCoordinate ? cols.0 : cols.1],
                                    problem: "the coordinate is more than 1000 km (1000000 m) from the origin",
                                    fix: "use metres within ±1000000 of the city's origin")
            }
            if coordinates == .geographic {
                if !(-180...180).contains(a) {
                    throw DataFileError(file: t.file, line: row.line, field: t.header[cols.0],
                                        problem: "longitude \(a) is outside -180...180",
                                        fix: "check the column order: longitude first (x), latitude second (y)")
                }
                if !(-85.05112878...85.05112878).contains(b) {
                    throw DataFileError(file: t.file, line: row.line, field: t.header[cols.1],
                                        problem: "latitude \(b) is outside -85.05112878...85.05112878 (the range Redis GEO accepts)",
                                        fix: "check the column order: longitude first (x), latitude second (y)")
                }
            }
            return DispatchPosition(x: a, y: b)
        }

        var restaurants: [Restaurant] = []
        var restaurantIndex: [String: (index: Int, line: Int)] = [:]
        var orderIDs: [String: Int] = [:]
        var orders: [Order] = []
        orders.reserveCapacity(t.rows.count)
        for row in t.rows {
            let placed = try time(row, placeColumn)
            var ready: SimTime? = nil
            if let rc = readyColumn, !row.fields[rc].isEmpty {
                let r = try time(row, rc)
                if r < placed {
                    throw DataFileError(
                        file: t.file, line: row.line, field: "ready_time",
                        problem: "the food is ready (\(row.fields[rc])) before the order is placed (\(row.fields[placeColumn]))",
                        fix: "make ready_time at least placement_time, or leave it empty")
                }
                ready = r
            }
            let id: String
            if let oc = orderColumn {
                id = try t.identifier(row, oc)
            } else {
                id = "line\(row.line)"
            }
            if let first = orderIDs[id] {
                throw DataFileError(file: t.file, line: row.line, field: "order",
                                    problem: "the order id \"\(id)\" is already used on line \(first)",
                                    fix: "give every order its own id")
            }
            orderIDs[id] = row.line
            var rpos: DispatchPosition? = nil
            if let rc = restaurantColumns { rpos = try position(row, rc) }
            let key: String
            if let ic = idColumn {
                key = try t.identifier(row, ic)
            } else {
                key = row.fields[restaurantColumns!.0] + "," + row.fields[restaurantColumns!.1]
            }
            let ri: Int
            if let known = restaurantIndex[key] {
                ri = known.index
                if let p = rpos, let q = restaurants[ri].position, p != q {
                    throw DataFileError(
                        file: t.file, line: row.line, field: restaurantColumns.map { t.header[$0.0] } ?? "restaurant",
                        problem: "restaurant \"\(key)\" is at (\(q.x), \(q.y)) on line \(known.line) but at (\(p.x), \(p.y)) here",
                        fix: "give a restaurant one position throughout, or give the two places different ids")
                }
            } else {
                ri = restaurants.count
                restaurantIndex[key] = (ri, row.line)
                restaurants.append(Restaurant(key: key, position: rpos))
            }
            orders.append(Order(
                id: id, placedAt: placed, readyAt: ready, restaurantIndex: ri,
                customer: try position(row, customerColumns), line: row.line))
        }
        // Stable by line: rows arrive in line order, and ties keep it.
        orders.sort { ($0.placedAt, $0.line) < ($1.placedAt, $1.line) }
        return OrderTrace(file: t.file, coordinates: coordinates, orders: orders, restaurants: restaurants)
    }
}
