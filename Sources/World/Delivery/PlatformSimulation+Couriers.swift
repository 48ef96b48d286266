import DequeModule
import Platform
import Scenario
import SimCore

/// Couriers: positions along their trips, location pings, trip steps, shifts.

extension PlatformSimulation {
    // MARK: couriers

    func position(_ k: Int, at t: SimTime) -> DispatchPosition {
        // Field by field: copying the whole Courier would retain its order list.
        guard couriers[k].onTrip else { return couriers[k].position }
        let restaurant = couriers[k].restaurant
        if t < couriers[k].arrivalAt { return Self.lerp(couriers[k].position, restaurant, couriers[k].departureAt, couriers[k].arrivalAt, t) }
        if t < couriers[k].pickupAt { return restaurant }
        return Self.lerp(restaurant, couriers[k].end, couriers[k].pickupAt, couriers[k].completionAt, t)
    }

    static func lerp(_ a: DispatchPosition, _ b: DispatchPosition, _ t0: SimTime, _ t1: SimTime, _ t: SimTime) -> DispatchPosition {
        guard t1 > t0 else { return b }
        let f = min(1, max(0, Double(t - t0) / Double(t1 - t0)))
        return DispatchPosition(x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f)
    }

    func ping(_ k: Int, _ s: inout Scheduler) {
        pings += 1
        let c = Int(couriers[k].city)
        let p = position(k, at: s.now)
        let onTrip = couriers[k].onTrip
        let q = newRequest(Request(kind: .locationUpdate, city: Int32(c), pool: 0, start: s.now, subject: k,
                                   longitude: p.longitude, latitude: p.latitude, session: Int32(k)))
        submit(q, pool: servingPool(c, 1), &s)
        let next = s.now + (onTrip ? config.pingTrip : config.pingIdle)
        s.schedule(at: next, kind: Kind.ping.rawValue, target: UInt32(k), payload: couriers[k].pingGeneration)
        scheduleShiftEnd(k, before: next, &s)
    }

    /// Schedules the shift's end if it falls before `time` (the courier's next ping, which
    /// would otherwise look again) and is not scheduled yet.
    @inline(__always) func scheduleShiftEnd(_ k: Int, before time: SimTime, _ s: inout Scheduler) {
        guard !couriers[k].shiftEndScheduled, couriers[k].shiftEndsAt <= time else { return }
        couriers[k].shiftEndScheduled = true
        s.schedule(at: max(s.now, couriers[k].shiftEndsAt), kind: Kind.shiftEnd.rawValue, target: UInt32(k), payload: couriers[k].pingGeneration)
    }

    /// The trip's pick-up: every order of the bundle is picked up (a status write each).
    func pickedUp(_ k: Int, _ s: inout Scheduler) {
        for o in couriers[k].orders { writeStatus(o, &s) }
    }

    /// The shift is over: log off now if idle, else after the trip in hand.
    func shiftEnd(_ k: Int, _ s: inout Scheduler) {
        if couriers[k].onTrip {
            couriers[k].leaving = true
        } else {
            replaceCourier(k, &s)
        }
    }

    /// The courier logs off (leaves the geo index, stops pinging) and the next shift's courier
    /// logs on at a random point of the city: `couriers.count` stay on duty.
    func replaceCourier(_ k: Int, _ s: inout Scheduler) {
        let c = Int(couriers[k].city)
        if couriers[k].indexed { _ = cities[c].source.index.remove(k) }
        shiftsEnded += 1
        let region = config.regions[c]
        let p = Self.offset(DispatchPosition(longitude: region.longitude, latitude: region.latitude), uniformDiscOf: region.cityRadius, shiftStream)
        couriers[k].position = p
        couriers[k].known = p
        couriers[k].indexed = false
        couriers[k].leaving = false
        couriers[k].since = s.now
        couriers[k].idleSince = s.now
        couriers[k].pingGeneration &+= 1
        s.schedule(at: s.now, kind: Kind.ping.rawValue, target: UInt32(k), payload: couriers[k].pingGeneration)
        couriers[k].shiftEndScheduled = false
        if let shift = config.shiftLength { couriers[k].shiftEndsAt = s.now + max(SimUnit.minute, shift.sampleTime(shiftStream)) }
    }

    func courierStep(_ k: Int, step: Int, _ s: inout Scheduler) {
        if step < couriers[k].orders.count {
            let o = couriers[k].orders[step]
            orders[o].state = .delivered
            delivered += 1
            if orders[o].placedAt >= warmup { clickToDoor.record(s.now - orders[o].placedAt) }
            writeStatus(o, &s)
            releaseIfDone(o)
        } else {
            couriers[k].onTrip = false
            couriers[k].idleSince = s.now
            couriers[k].position = couriers[k].end
            couriers[k].orders.removeAll(keepingCapacity: true)
            if couriers[k].leaving { replaceCourier(k, &s) }
        }
    }
}
