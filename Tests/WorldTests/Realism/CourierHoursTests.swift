import Testing
import World

/// Courier hours after the warm-up: on duty (the staffing curve's level integrated over time)
/// and on trips.
@Suite struct CourierHoursTests {
    /// 100 couriers × [1, 2, 0.5, 1.5] per local hour (utc_offset −1, start_at 1h: t = 0 is
    /// local hour 0), 150 min, warm-up 1 min, no orders: on duty 100 from 1 to 60 min, 200
    /// from 60 to 120 min, 50 from 120 to 150 min = 98.33 + 200 + 25 = 323.33 courier hours,
    /// none on a trip.
    @Test func dutyHoursIntegrateTheStaffingCurve() throws {
        let m = try WorldScenario.run(DemandClockTests.staffedCity)
        #expect(m.counterValue("orders.placed") == 0)
        let duty = try #require(m.counterValue("couriers.only.duty_hours"))
        #expect(abs(duty - (100.0 * 59 / 60 + 200 + 25)) < 1e-9, "duty hours \(duty)")
        #expect(m.counterValue("couriers.only.busy_hours") == 0)
        #expect(m.counterValue("couriers.only.utilisation") == 0)
    }

    /// A fixed fleet (20 couriers, no staffing curve, no shifts) is on duty for the whole
    /// measured span: 20 × 19 min; every trip lies inside it, so busy ≤ duty.
    @Test func fixedFleetIsOnDutyForTheMeasuredSpan() throws {
        let m = try WorldScenario.run()
        let duty = try #require(m.counterValue("couriers.only.duty_hours"))
        #expect(abs(duty - 20.0 * 19 / 60) < 1e-9, "duty hours \(duty)")
        let busy = try #require(m.counterValue("couriers.only.busy_hours"))
        #expect(busy <= duty, "busy \(busy) h of \(duty) h on duty")
        let u = try #require(m.counterValue("couriers.only.utilisation"))
        #expect(abs(u - busy / duty) < 1e-12)
    }
}
