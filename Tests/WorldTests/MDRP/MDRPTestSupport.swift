import CapsimTestSupport
import Foundation

/// Paths and tiny hand-made instances shared by the MDRP tests.
enum MDRPTestSupport {
    /// capsim's own small instance (Tests/Fixtures/mdrp/capsim-small).
    static var fixture: String { RealSystems.repositoryRoot + "/Tests/Fixtures/mdrp/capsim-small" }

    /// Optional local copies of Grubhub's public MDRP instances (github grubhub/mdrplib,
    /// `public_instances`), looked for in ../shared/data/mdrp (or $CAPSIM_SHARED_DIR/data/mdrp),
    /// sorted; empty on a clone without them, and the tests that need them are skipped.
    static var sharedInstances: [String] {
        let base = RealSystems.sharedDirectory ?? ProcessInfo.processInfo.environment["CAPSIM_SHARED_DIR"]
        guard let base else { return [] }
        let dir = base + "/data/mdrp"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.sorted().map { dir + "/" + $0 }.filter {
            FileManager.default.fileExists(atPath: $0 + "/orders.txt")
        }
    }

    /// Writes the files into a new temporary directory and returns it.
    static func write(_ files: [String: String]) throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory(prefix: "capsim-mdrp")
        for (name, text) in files { try text.write(toFile: dir.file(name), atomically: true, encoding: .utf8) }
        return dir
    }

    /// The tiny instance "T" whose solution is worked out by hand in the tests:
    /// r1 at (0, 0); courier c1 at (0, 640) on 0-60; o1 at (960, 0) placed 0 ready 10;
    /// o2 at (960, 640) placed 1 ready 12; 320 m/min, 4 + 4 service minutes.
    /// Travel: c1 -> r1 2 min, r1 -> o1 3 min, o1 -> o2 2 min.
    static func tinyInstance(onTime: Int = 0, offTime: Int = 60) -> [String: String] {
        [
            "restaurants.txt": "restaurant\tx\ty\nr1\t0\t0\n",
            "couriers.txt": "courier\tx\ty\ton_time\toff_time\nc1\t0\t640\t\(onTime)\t\(offTime)\n",
            "orders.txt": "order\tx\ty\tplacement_time\trestaurant\tready_time\no1\t960\t0\t0\tr1\t10\no2\t960\t640\t1\tr1\t12\n",
            "instance_parameters.txt": "meters_per_minute\tpickup service minutes\tdropoff service minutes\ttarget click-to-door\tmaximum click-to-door\tpay per order\tguaranteed pay per hour\n320\t4\t4\t40\t90\t10\t15\n",
        ]
    }

    /// Hand-derived feasible solution of the tiny instance: assigned at 1, c1 leaves at 1,
    /// reaches r1 at 3, picks up at 12 (latest ready), leaves at 14 (2 min service after),
    /// reaches o1 at 17, hands over at 19, leaves at 21, reaches o2 at 23, hands over at 25.
    static let tinyAssignments = "assignment_time pickup_time courier orders\n1 12 c1 o1 o2\n"
    static let tinyOrders = """
        order placement_time restaurant x y ready_time pickup_time dropoff_time courier
        o1 0 r1 960 0 10 12 19 c1
        o2 1 r1 960 640 12 12 25 c1

        """
    static let tinyCouriers = """
        courier departure_time origin destination
        c1 1 c1 r1
        c1 14 r1 o1
        c1 21 o1 o2

        """

    /// A hand-broken variant of the tiny solution, and the rule it breaks.
    struct Variant: Sendable {
        var name: String
        var instance: [String: String] = MDRPTestSupport.tinyInstance()
        var assignments = MDRPTestSupport.tinyAssignments
        var orders = MDRPTestSupport.tinyOrders
        var couriers = MDRPTestSupport.tinyCouriers
        /// The only rule the validator may report.
        var rule: MDRPValidator.Rule
        /// Whether grubhub's evaluator checks this rule too (it does not compare the orders
        /// file with the assignments).
        var evaluatorChecks = true
    }

    /// One minimal breakage per rule; each comment says why it breaks exactly that rule.
    static let brokenVariants: [Variant] = [
        Variant(name: "order in two assignments", assignments: tinyAssignments + "2 12 c1 o2\n", rule: .orderInManyAssignments),
        // o2 is placed at minute 1.
        Variant(name: "assignment before placement",
                assignments: tinyAssignments.replacingOccurrences(of: "1 12 c1", with: "0 12 c1"),
                rule: .assignmentBeforePlacement),
        Variant(name: "pickup after off time", instance: tinyInstance(offTime: 11), rule: .pickupAfterOffTime),
        // At 9 c1 is at r1 (arrived 3, leaves 14), but o1 is ready at 10 and o2 at 12.
        Variant(name: "pickup before ready",
                assignments: tinyAssignments.replacingOccurrences(of: "1 12 c1", with: "1 9 c1"),
                orders: tinyOrders.replacingOccurrences(of: "10 12 19", with: "10 9 19")
                    .replacingOccurrences(of: "12 12 25", with: "12 9 25"),
                rule: .pickupBeforeReady),
        // The bundle claims o2 first, but o2 is dropped at 25 and o1 at 19.
        Variant(name: "drop-offs out of sequence",
                assignments: tinyAssignments.replacingOccurrences(of: "o1 o2", with: "o2 o1"), rule: .dropoffSequence),
        // The first move must leave from the courier's start, not from r1.
        Variant(name: "discontinuous moves",
                couriers: tinyCouriers.replacingOccurrences(of: "c1 1 c1 r1", with: "c1 1 r1 r1"), rule: .discontinuousMoves),
        // On duty from 2, yet the first move departs at 1.
        Variant(name: "departure before on time", instance: tinyInstance(onTime: 2), rule: .timeRunsBackwards),
        // c1 reaches o1 at 17; at 17 the evaluator still sees it in transit.
        Variant(name: "drop-off at the arrival instant",
                orders: tinyOrders.replacingOccurrences(of: "10 12 19", with: "10 12 17"), rule: .dropoffLocation),
        // At 16 c1 is still driving from r1 (left 14) to o1 (3 minutes).
        Variant(name: "drop-off while driving",
                orders: tinyOrders.replacingOccurrences(of: "10 12 19", with: "10 12 16"), rule: .dropoffLocation),
        // Leaving its start at 10, c1 reaches r1 at 12: still in transit at the 12 pickup.
        Variant(name: "pickup away from the restaurant",
                couriers: tinyCouriers.replacingOccurrences(of: "c1 1 c1 r1", with: "c1 10 c1 r1"), rule: .pickupLocation),
        Variant(name: "orders file disagrees",
                orders: tinyOrders.replacingOccurrences(of: "10 12 19 c1", with: "10 13 19 c1"),
                rule: .orderRecordMismatch, evaluatorChecks: false),
    ]
}
