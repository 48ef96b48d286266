import Foundation
import Platform
import SimCore
import Testing
import World

@Suite struct OrderTraceTests {
    @Test func parsesPlanarTraceWithUnitsAndSortsByPlacement() throws {
        let csv = """
            order,placement_time,restaurant,restaurant_x,restaurant_y,customer_x,customer_y,ready_time
            a,2min,R1,100,200,500,600,10min
            b,30,R2,0,0,1,1,
            "c,1",30,R1,100,200,700,800,45s

            """
        let t = try OrderTrace.parse(text: csv)
        #expect(t.coordinates == .planar)
        #expect(t.orders.map(\.id) == ["b", "c,1", "a"])  // 30 s (line 3), 30 s (line 4), 120 s
        #expect(t.orders[2].placedAt == 120 * SimUnit.second && t.orders[2].readyAt == 600 * SimUnit.second)
        #expect(t.orders[0].readyAt == nil)
        #expect(t.restaurants.map(\.key) == ["R1", "R2"])
        #expect(t.restaurants[0].position == DispatchPosition(x: 100, y: 200))
        #expect(t.span == 90 * SimUnit.second)
        let d = try t.dispatchOrders(defaultPreparation: 300 * SimUnit.second)
        #expect(d[0].readyAt == 330 * SimUnit.second && d[0].restaurantID == 1 && d[0].id == 0)
        #expect(d[2].customerPosition == DispatchPosition(x: 500, y: 600))
    }

    @Test func rejectsReadyBeforePlacement() throws {
        // "c,1": ready 1.5 s, placed 30 s.
        let csv = "order,placement_time,restaurant,restaurant_x,restaurant_y,customer_x,customer_y,ready_time\nc,30,R1,1,2,3,4,1500ms\n"
        #expect { try OrderTrace.parse(text: csv) } throws: { e in
            let e = e as! DataFileError
            return e.line == 2 && e.field == "ready_time"
        }
    }

    @Test func geographicTraceIdentifiesRestaurantsByCoordinates() throws {
        let csv = "placement_time,restaurant_lon,restaurant_lat,customer_lon,customer_lat\n0,13.40,52.52,13.41,52.53\n1h,13.40,52.52,13.38,52.50\n"
        let t = try OrderTrace.parse(text: csv)
        #expect(t.coordinates == .geographic)
        #expect(t.restaurants.count == 1 && t.restaurants[0].key == "13.40,52.52")
        #expect(t.orders.map(\.id) == ["line2", "line3"])
        #expect(t.orders[1].placedAt == SimUnit.hour)
    }

    @Test func restaurantIDsOnlyTakePositionsFromTheScenario() throws {
        let csv = "placement_time,restaurant,customer_x,customer_y\n0,R7,1,1\n"
        let t = try OrderTrace.parse(text: csv, file: "demand.csv")
        #expect(t.restaurants[0].position == nil)
        #expect(throws: DataFileError.self) { try t.dispatchOrders(defaultPreparation: 0) }
        let d = try t.dispatchOrders(defaultPreparation: 0, restaurantPositions: ["R7": DispatchPosition(x: 5, y: 5)])
        #expect(d[0].restaurantPosition == DispatchPosition(x: 5, y: 5))
    }

    /// (csv, expected line, expected field)
    static let malformed: [(String, Int, String)] = [
        ("placement_time,restaurant\n0,R1\n", 1, "customer_x"),
        ("restaurant,customer_x,customer_y\nR1,1,1\n", 1, "placement_time"),
        ("placement_time,customer_x,customer_y\n0,1,1\n", 1, "restaurant"),
        ("placement_time,restaurant,customer_x\n0,R1,1\n", 1, "customer_y"),
        ("placement_time,restaurant,customer_x,customer_y,restaurant_lon,restaurant_lat\n0,R1,1,1,1,1\n", 1, ""),
        ("placement_time,restaurant,customer_x,customer_y\n5 min,R1,1,1\n0,R1,1,x\n", 3, "customer_y"),
        ("placement_time,restaurant,customer_x,customer_y\n5m,R1,1,1\n", 2, "placement_time"),
        ("placement_time,restaurant,customer_x,customer_y\n-1,R1,1,1\n", 2, "placement_time"),
        ("placement_time,restaurant,customer_lon,customer_lat\n0,R1,200,1\n", 2, "customer_lon"),
        ("placement_time,restaurant,customer_lon,customer_lat\n0,R1,1,89\n", 2, "customer_lat"),
        ("order,placement_time,restaurant,customer_x,customer_y\na,0,R1,1,1\na,1,R1,1,1\n", 3, "order"),
        ("placement_time,restaurant,restaurant_x,restaurant_y,customer_x,customer_y\n0,R1,0,0,1,1\n1,R1,5,0,1,1\n", 3, "restaurant_x"),
        ("placement_time,restaurant,customer_x,customer_y\n0,\"R1,1,1\n", 2, ""),
        ("placement_time,restaurant,customer_x,customer_y\n0,R1,1\n", 2, ""),
    ]

    @Test(arguments: 0..<malformed.count)
    func malformedTracesNameLineAndField(index: Int) throws {
        let (csv, line, field) = Self.malformed[index]
        do {
            _ = try OrderTrace.parse(text: csv, file: "t.csv")
            Issue.record("case \(index) parsed")
        } catch let e as DataFileError {
            #expect(e.file == "t.csv" && e.line == line && e.field == field, "case \(index): \(e)")
            #expect(e.description.hasPrefix("t.csv") && e.description.contains("Fix: "))
        }
    }

    @Test func timeUnits() {
        #expect(OrderTrace.parseTime("12.5") == 12_500_000_000)
        #expect(OrderTrace.parseTime("250ms") == 250_000_000)
        #expect(OrderTrace.parseTime("7us") == 7_000)
        #expect(OrderTrace.parseTime("3ns") == 3)
        #expect(OrderTrace.parseTime("1.5min") == 90 * SimUnit.second)
        #expect(OrderTrace.parseTime("2h") == 2 * SimUnit.hour)
        #expect(OrderTrace.parseTime(" 4 s ") == 4 * SimUnit.second)
        #expect(OrderTrace.parseTime("") == nil && OrderTrace.parseTime("1d") == nil && OrderTrace.parseTime("min") == nil)
    }
}
