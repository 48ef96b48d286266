import CapsimTestSupport
import Foundation
import Testing
import World

/// Loading: the fixture and (when present) Grubhub's instances load with the counts their
/// files declare; malformed files fail with file, line, field and a fix.
@Suite struct MDRPInstanceLoaderTests {
    typealias S = MDRPTestSupport

    @Test func loadsFixture() throws {
        let inst = try MDRPInstance.load(directory: S.fixture)
        #expect(inst.name == "capsim-small")
        #expect(inst.orders.count == 40 && inst.restaurants.count == 8 && inst.couriers.count == 10)
        #expect(inst.parameters == MDRPParameters(
            metersPerMinute: 320, pickupServiceMinutes: 4, dropoffServiceMinutes: 4, targetClickToDoorMinutes: 40,
            maximumClickToDoorMinutes: 90, payPerOrder: 10, guaranteedPayPerHour: 15))
        #expect(inst.orders[0].id == "o1")
        #expect(inst.couriers[9] == MDRPCourier(id: "c10", x: 2020, y: 5823, onTime: 90, offTime: 130))
    }

    @Test(.enabled(if: !MDRPTestSupport.sharedInstances.isEmpty, "the Grubhub MDRP instances are not present (CAPSIM_SHARED_DIR/data/mdrp)"))
    func sharedInstancesMatchTheirCharacteristics() throws {
        for dir in S.sharedInstances {
            let inst = try MDRPInstance.load(directory: dir)
            // instance_characteristics.txt states the counts; the loader reads them separately.
            func stated(_ key: String) -> Int? {
                inst.characteristics.first { $0.key == key }.flatMap { Int($0.value) }
            }
            #expect(stated("number of orders") == inst.orders.count, "\(dir)")
            #expect(stated("number of restaurants") == inst.restaurants.count, "\(dir)")
            #expect(stated("number of couriers") == inst.couriers.count, "\(dir)")
            let hours = inst.characteristics.first { $0.key == "total courier hours" }.flatMap { Double($0.value) }
            #expect(hours.map { abs($0 - Double(inst.courierMinutes) / 60) < 0.006 } == true, "\(dir)")
        }
    }

    /// Loads the tiny instance with one file replaced and returns the error.
    func error(_ file: String, _ text: String) throws -> DataFileError {
        var files = S.tinyInstance()
        files[file] = text
        let dir = try S.write(files)
        defer { dir.remove() }
        do {
            _ = try MDRPInstance.load(directory: dir.path)
        } catch let e as DataFileError {
            #expect(e.description.contains(file))
            #expect(e.description.contains("Fix: "))
            #expect(!e.fix.isEmpty)
            return e
        }
        Issue.record("no error for \(file)")
        return DataFileError(file: "", line: -1, field: "", problem: "", fix: "")
    }

    let ordersHeader = "order\tx\ty\tplacement_time\trestaurant\tready_time\n"

    @Test func badNumber() throws {
        let e = try error("orders.txt", ordersHeader + "o1\t960\t0\t0\tr1\t10\no2\t960\t640\tx1\tr1\t12\n")
        #expect(e.line == 3 && e.field == "placement_time" && e.problem.contains("\"x1\""))
    }

    @Test func fractionalMinutes() throws {
        let e = try error("orders.txt", ordersHeader + "o1\t960\t0\t0\tr1\t10.5\n")
        #expect(e.line == 2 && e.field == "ready_time")
    }

    @Test func missingColumn() throws {
        let e = try error("couriers.txt", "courier\tx\ty\ton_time\nc1\t0\t0\t0\n")
        #expect(e.line == 1 && e.field == "off_time")
    }

    @Test func wrongFieldCount() throws {
        let e = try error("restaurants.txt", "restaurant\tx\ty\nr1\t0\n")
        #expect(e.line == 2 && e.problem.contains("2 fields"))
    }

    @Test func spacesInsteadOfTabs() throws {
        let e = try error("restaurants.txt", "restaurant\tx\ty\nr1 0 0\n")
        #expect(e.line == 2 && e.fix.contains("tab"))
    }

    @Test func unknownRestaurant() throws {
        let e = try error("orders.txt", ordersHeader + "o1\t960\t0\t0\tr9\t10\n")
        #expect(e.line == 2 && e.field == "restaurant" && e.problem.contains("r9"))
    }

    @Test func duplicateIDAcrossFiles() throws {
        let e = try error("orders.txt", ordersHeader + "r1\t960\t0\t0\tr1\t10\n")
        #expect(e.line == 2 && e.field == "order" && e.problem.contains("already used"))
    }

    @Test func readyBeforePlacement() throws {
        let e = try error("orders.txt", ordersHeader + "o1\t960\t0\t20\tr1\t10\n")
        #expect(e.line == 2 && e.field == "ready_time")
    }

    @Test func shiftEndsBeforeItStarts() throws {
        let e = try error("couriers.txt", "courier\tx\ty\ton_time\toff_time\nc1\t0\t0\t50\t50\n")
        #expect(e.line == 2 && e.field == "off_time")
    }

    @Test func parametersNeedOneLine() throws {
        let e = try error("instance_parameters.txt", "meters_per_minute\tpickup service minutes\n")
        #expect(e.problem.contains("exactly one line"))
    }

    @Test func zeroSpeed() throws {
        var p = S.tinyInstance()["instance_parameters.txt"]!
        p = p.replacingOccurrences(of: "\n320\t", with: "\n0\t")
        let e = try error("instance_parameters.txt", p)
        #expect(e.line == 2 && e.field == "meters_per_minute")
    }

    @Test func emptyFile() throws {
        let e = try error("orders.txt", "")
        #expect(e.problem.contains("empty"))
    }

    @Test func missingFileAndDirectory() throws {
        var files = S.tinyInstance()
        files["couriers.txt"] = nil
        let dir = try S.write(files)
        defer { dir.remove() }
        #expect(throws: DataFileError.self) { try MDRPInstance.load(directory: dir.path) }
        #expect(throws: DataFileError.self) { try MDRPInstance.load(directory: dir.path + "/nope") }
    }

    @Test func toleratesCRLFAndColumnOrder() throws {
        var files = S.tinyInstance()
        files["restaurants.txt"] = "y\trestaurant\tx\r\n0\tr1\t0\r\n\r\n"
        let dir = try S.write(files)
        defer { dir.remove() }
        let inst = try MDRPInstance.load(directory: dir.path)
        #expect(inst.restaurants == [MDRPRestaurant(id: "r1", x: 0, y: 0)])
    }
}
