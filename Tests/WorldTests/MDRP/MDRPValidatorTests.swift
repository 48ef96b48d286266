import CapsimTestSupport
import Foundation
import Testing

/// The validator must accept a hand-derived feasible solution and reject each rule's
/// hand-broken variant with exactly that rule.
@Suite struct MDRPValidatorTests {
    typealias S = MDRPTestSupport

    func rules(
        instance: [String: String] = S.tinyInstance(), assignments: String = S.tinyAssignments,
        orders: String = S.tinyOrders, couriers: String = S.tinyCouriers
    ) throws -> Set<MDRPValidator.Rule> {
        let dir = try S.write(instance)
        defer { dir.remove() }
        let inst = try MDRPValidator.readInstance(directory: dir.path)
        let v = MDRPValidator.validate(inst, assignments: assignments, orders: orders, couriers: couriers)
        return Set(v.map(\.rule))
    }

    @Test func acceptsHandDerivedSolution() throws {
        #expect(try rules() == [])
    }

    @Test func acceptsUndeliveredOrderWithEmptyFields() throws {
        let orders = "order placement_time restaurant x y ready_time pickup_time dropoff_time courier\n"
            + "o1 0 r1 960 0 10 12 19 c1\n" + "o2 1 r1 960 640 12   \n"
        let couriers = "courier departure_time origin destination\nc1 1 c1 r1\nc1 14 r1 o1\n"
        #expect(try rules(assignments: "assignment_time pickup_time courier orders\n1 12 c1 o1\n", orders: orders, couriers: couriers) == [])
    }

    @Test func acceptsZeroAsStartOrigin() throws {
        #expect(try rules(couriers: S.tinyCouriers.replacingOccurrences(of: "c1 1 c1 r1", with: "c1 1 0 r1")) == [])
    }

    @Test(arguments: MDRPTestSupport.brokenVariants.indices)
    func rejectsHandBrokenSolution(index: Int) throws {
        let b = S.brokenVariants[index]
        #expect(try rules(instance: b.instance, assignments: b.assignments, orders: b.orders, couriers: b.couriers) == [b.rule],
                "\(b.name)")
    }

    @Test func everyRuleHasABrokenVariant() {
        let covered = Set(S.brokenVariants.map(\.rule))
        #expect(covered == Set(MDRPValidator.Rule.allCases).subtracting([.format]))
    }

    @Test func rejectsDropoffsCloserThanServiceTime() throws {
        // o2 at 22 is only 3 minutes after o1 at 19; c1 (at o2 from 23) is also not there yet.
        let r = try rules(orders: S.tinyOrders.replacingOccurrences(of: "12 12 25", with: "12 12 22"))
        #expect(r.contains(.dropoffSequence))
    }

    @Test func rejectsDepartureBeforeArrival() throws {
        // Leaves r1 at 2 although it reaches r1 only at 3.
        let r = try rules(couriers: S.tinyCouriers.replacingOccurrences(of: "c1 14 r1 o1", with: "c1 2 r1 o1"))
        #expect(r.contains(.timeRunsBackwards))
    }

    @Test func rejectsDoubleSpacesInOrdersFile() throws {
        #expect(try rules(orders: S.tinyOrders.replacingOccurrences(of: "o1 0 r1", with: "o1  0 r1")).contains(.format))
    }
}
