import Platform
import Scenario
import SimCore

/// Couriers (see README.md in this folder): every courier slot's position along its trip, its
/// location pings, its trip steps, its shifts, and per city the geo index of idle couriers
/// (`GEOADD` / `ZREM`). Owns the `pings` and `shifts` random streams and its events.
///
/// What a ping, a pick-up or a drop-off leads to (a request, status writes) is the caller's:
/// `handle` returns it, the caller carries it on (and, for a ping, then calls `schedulePing`).
final class Couriers {
    enum Kind: UInt32 { case ping, tripStep, pickedUp, shiftEnd, staffStep }

    /// What one of this component's events brings.
    enum Due {
        case none
        /// Courier `courier` of city `city` sends its position (location_service API).
        case ping(courier: Int, city: Int, position: DispatchPosition)
        /// The trip's pick-up: each of `orders(courier)` is picked up.
        case pickedUp(courier: Int)
        /// Order slot `order` is dropped off.
        case delivered(order: Int)
    }

    /// Hot fields first (a ping reads the city, the generation, the trip flag and the idle
    /// position; its next ping the shift end): one cache line per ping for an idle courier.
    private struct Courier {
        var city: Int32
        var onTrip = false
        var indexed = false
        var shiftEndScheduled = false
        /// On duty (`couriers.staffing` takes slots off duty when fewer couriers work).
        var onDuty = true
        var pingGeneration: UInt64 = 0
        /// When the current shift ends (`SimTime.max` without shifts), and whether its event
        /// is in the queue (`shiftEndScheduled`): it is scheduled by the last ping before it, so
        /// the queue holds a few shift ends instead of one per courier.
        var shiftEndsAt = SimTime.max
        /// Idle position, or where the current trip started.
        var position: DispatchPosition
        /// When the courier on duty in this slot logged on; pings taken earlier belong to
        /// the previous shift's courier.
        var since: SimTime = 0
        /// When the courier last became idle (logon or the end of a trip): only a ping taken
        /// since then may put it in the geo index.
        var idleSince: SimTime = 0
        /// The geohash score the geo index holds for this courier while `indexed`
        /// (`UInt64.max`: none; geohash scores have 52 bits).
        var indexedScore = UInt64.max
        var known: DispatchPosition
        var restaurant = DispatchPosition(x: 0, y: 0)
        var end = DispatchPosition(x: 0, y: 0)
        var departureAt: SimTime = 0
        var arrivalAt: SimTime = 0
        var pickupAt: SimTime = 0
        var completionAt: SimTime = 0
        var orders: [Int] = []
        /// The shift is over; log off when the trip in hand is done.
        var leaving = false
        /// Staffing took this courier off duty: log off after the trip in hand.
        var offAfterTrip = false
        /// Start of the current on-duty stretch (slot reused by a replacement: one stretch).
        var dutySince: SimTime = 0
    }

    private let config: PlatformConfig
    /// The built cities' slots (`addCity(build:)`), by global id.
    private let couriers = OffsetSlots<Courier>(reservingCapacity: 1024)
    /// Slots of every city, built or not (ids run city by city).
    private(set) var count = 0
    /// Per city: its courier slots, and the geo index of its idle couriers.
    private var cityCouriers: [[Int]] = []
    /// Per city, its first slot (slots are numbered city by city and keep their city).
    private var cityStart: [Int] = []
    /// Per city, one bit per slot (from `cityStart`): set while the courier is in the geo index
    /// and not on a trip (`matchable(_:city:now:)`), and how many are set.
    private var matchableBits: [[UInt64]] = []
    private var matchableCounts: [Int] = []
    private var sources: [GeoSetCandidateSource] = []
    /// Per city (one stream per region, so one region's couriers do not shift another's draws).
    private var pingStreams: [RandomStream] = []
    private var shiftStreams: [RandomStream] = []
    /// Per city: where couriers start and log on (`CityGeography`: where the restaurants are).
    private var geographies: [CityGeography] = []
    /// Per city: the couriers of `count × demand_share` (the staffing curve's 1.0).
    private var baseCount: [Int] = []
    private let seeder: StreamSeeder
    private(set) var pings = 0
    private(set) var shiftsEnded = 0
    /// Assignments to a courier already on a trip or beyond the bundle size (the
    /// `courier_bundle` invariant: 0).
    private(set) var bundleViolations = 0
    /// Per city: courier time on trips and on duty after `measuredFrom` (closed stretches;
    /// `Couriers+Hours` adds the open ones).
    private(set) var busyTime: [SimTime] = []
    private(set) var dutyTime: [SimTime] = []
    let measuredFrom: SimTime

    init(config: PlatformConfig, seeder: StreamSeeder, measuredFrom: SimTime = 0) {
        self.config = config
        self.seeder = seeder
        self.measuredFrom = measuredFrom
    }

    /// Adds region `r`'s city and its couriers, placed from `geo` over the city's geography
    /// (the city disc, or its metro discs by share, as the restaurants). Not `build`: the city's
    /// slots keep their ids but hold nothing (another region's logical process owns them).
    func addCity(_ r: Int, geo: RandomStream, build: Bool = true) {
        let region = config.regions[r]
        let geography = CityGeography(region)
        var slots: [Int] = []
        let base = max(0, Int((Double(config.courierCount) * region.demandShare).rounded()))
        // With a staffing curve the city holds a slot for the busiest hour's couriers.
        let nCour = config.staffing.isEmpty ? base : Int((Double(base) * (config.staffing.max() ?? 1)).rounded())
        baseCount.append(base)
        busyTime.append(0)
        dutyTime.append(0)
        pingStreams.append(seeder.stream("pings.\(region.name)"))
        shiftStreams.append(seeder.stream("shifts.\(region.name)"))
        geographies.append(geography)
        cityStart.append(count)
        for _ in 0..<(build ? nCour : 0) {
            let p = geography.position(geo)
            slots.append(count + slots.count)
            couriers.append(Courier(city: Int32(r), position: p, known: p), id: count + slots.count - 1)
        }
        count += nCour
        matchableBits.append(Array(repeating: 0, count: (slots.count + 63) / 64))
        matchableCounts.append(0)
        cityCouriers.append(slots)
        sources.append(GeoSetCandidateSource())
    }

    /// Every courier's first ping, spread over one idle interval, and the shifts in progress;
    /// with `city`, only that city's (one region's logical process of a parallel run: each
    /// city draws from its own streams, so its draws are those of a run over every city).
    func start(_ s: inout Scheduler, city only: Int? = nil) {
        var offDuty = Array(repeating: false, count: count)
        if let only { for k in couriers.indices where Int(couriers[k].city) != only { couriers[k].onDuty = false } }
        if !config.staffing.isEmpty {
            for c in cityCouriers.indices where only == nil || only == c {
                for k in cityCouriers[c].dropFirst(target(c, at: 0)) { offDuty[k] = true; couriers[k].onDuty = false }
                s.schedule(at: nextHour(c, after: 0), kind: ComponentID.couriers.kind(Kind.staffStep.rawValue), target: UInt32(c))
            }
        }
        for k in couriers.indices where !offDuty[k] && (only == nil || only == Int(couriers[k].city)) {
            let c = Int(couriers[k].city)
            let pingStream = pingStreams[c], shiftStream = shiftStreams[c]
            let firstPing = SimTime(pingStream.uniform() * Double(config.pingIdle))
            s.schedule(at: firstPing, kind: ComponentID.couriers.kind(Kind.ping.rawValue), target: UInt32(k))
            if let shift = config.shiftLength {
                // Shifts in progress at t = 0: a uniform point of a drawn shift is left.
                couriers[k].shiftEndsAt = SimTime(shiftStream.uniform() * Double(shift.sampleTime(shiftStream)))
                scheduleShiftEnd(k, before: firstPing, &s)
            }
        }
    }

    /// One of this component's events: what it brings for the caller.
    func handle(_ e: Event, _ s: inout Scheduler) -> Due {
        let k = Int(e.target)
        switch Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped {
        case .ping:
            guard e.payload == couriers[k].pingGeneration else { return .none }
            pings += 1
            return .ping(courier: k, city: Int(couriers[k].city), position: position(k, at: s.now))
        case .tripStep:
            let step = Int(e.payload)
            if step < couriers[k].orders.count { return .delivered(order: couriers[k].orders[step]) }
            busyTime[Int(couriers[k].city)] += measured(couriers[k].departureAt, s.now)
            couriers[k].onTrip = false
            updateMatchable(k)
            couriers[k].idleSince = s.now
            couriers[k].position = couriers[k].end
            couriers[k].orders.removeAll(keepingCapacity: true)
            if couriers[k].offAfterTrip { logOff(k, at: s.now) } else if couriers[k].leaving { replaceCourier(k, &s) }
            return .none
        case .pickedUp:
            return .pickedUp(courier: k)
        case .shiftEnd:
            // The shift is over: log off now if idle, else after the trip in hand.
            guard e.payload == couriers[k].pingGeneration, couriers[k].onDuty else { return .none }
            if couriers[k].onTrip { couriers[k].leaving = true } else { replaceCourier(k, &s) }
            return .none
        case .staffStep:
            // `target` holds the city here.
            restaff(k, &s)
            s.schedule(at: nextHour(k, after: s.now), kind: ComponentID.couriers.kind(Kind.staffStep.rawValue), target: UInt32(k))
            return .none
        }
    }

    // MARK: staffing

    /// Couriers on duty in city `c` at `t`: `count × demand_share × staffing[local hour]`
    /// (the region's local clock, as demand's profile).
    private func target(_ c: Int, at t: SimTime) -> Int {
        let n = SimTime(config.staffing.count)
        let clock = config.profileStart + config.regions[c].utcOffset + t
        let hour = Int(((Self.floorDiv(clock, SimUnit.hour) % n) + n) % n)
        return min(cityCouriers[c].count, Int((Double(baseCount[c]) * config.staffing[hour]).rounded()))
    }

    private func nextHour(_ c: Int, after t: SimTime) -> SimTime {
        let offset = config.profileStart + config.regions[c].utcOffset
        return (Self.floorDiv(offset + t, SimUnit.hour) + 1) * SimUnit.hour - offset
    }

    @inline(__always) private static func floorDiv(_ a: SimTime, _ b: SimTime) -> SimTime { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// The hour's staffing: couriers log on (lowest off-duty slots first) or off (highest
    /// on-duty slots first; one on a trip finishes it) until the city has `target` on duty.
    private func restaff(_ c: Int, _ s: inout Scheduler) {
        let want = target(c, at: s.now)
        var have = 0
        for k in cityCouriers[c] where couriers[k].onDuty && !couriers[k].offAfterTrip { have += 1 }
        if have < want {
            for k in cityCouriers[c] where have < want && (!couriers[k].onDuty || couriers[k].offAfterTrip) {
                if couriers[k].offAfterTrip { couriers[k].offAfterTrip = false } else { logOn(k, &s) }
                have += 1
            }
        } else if have > want {
            for k in cityCouriers[c].reversed() where have > want && couriers[k].onDuty && !couriers[k].offAfterTrip {
                if couriers[k].onTrip { couriers[k].offAfterTrip = true } else { logOff(k, at: s.now) }
                have -= 1
            }
        }
    }

    /// Courier `k` goes off duty: out of the geo index, no more pings or shift end.
    private func logOff(_ k: Int, at now: SimTime) {
        let c = Int(couriers[k].city)
        if couriers[k].onDuty { dutyTime[c] += measured(couriers[k].dutySince, now) }
        if couriers[k].indexed { _ = sources[c].index.remove(k) }
        couriers[k].indexed = false
        updateMatchable(k)
        couriers[k].onDuty = false
        couriers[k].offAfterTrip = false
        couriers[k].leaving = false
        couriers[k].pingGeneration &+= 1
        couriers[k].shiftEndScheduled = false
        couriers[k].shiftEndsAt = .max
    }

    /// The part of [from, to) after `measuredFrom`.
    @inline(__always) func measured(_ from: SimTime, _ to: SimTime) -> SimTime { max(0, to - max(from, measuredFrom)) }

    /// Couriers on duty now (the report's level).
    var onDuty: Int {
        var n = 0
        for k in couriers.indices where couriers[k].onDuty { n += 1 }
        return n
    }

    /// After the caller sent the ping of `.ping`: the courier's next ping (and its shift end
    /// if it falls before it).
    func schedulePing(_ k: Int, _ s: inout Scheduler) {
        let next = s.now + (couriers[k].onTrip ? config.pingTrip : config.pingIdle)
        s.schedule(at: next, kind: ComponentID.couriers.kind(Kind.ping.rawValue), target: UInt32(k), payload: couriers[k].pingGeneration)
        scheduleShiftEnd(k, before: next, &s)
    }

    /// Starts loading courier `k`'s slot (a hint for the next event: `PlatformSimulation.prefetch`).
    @inline(__always) func prefetch(_ k: Int) { couriers.prefetch(k) }
    /// The city of slot `k` without reading the slot.
    @inline(__always) func cityOfSlot(_ k: Int) -> Int {
        var c = 0
        while c + 1 < cityStart.count && k >= cityStart[c + 1] { c += 1 }
        return c
    }

    /// The ids of the slots this instance built (`addCity(build:)`).
    var couriersBuilt: Range<Int> { couriers.indices }

    /// The order slots of courier `k`'s trip.
    @inline(__always) func orders(_ k: Int) -> [Int] { couriers[k].orders }
    @inline(__always) func city(_ k: Int) -> Int { Int(couriers[k].city) }
    /// The city of one of this component's events: a staffing step names it, the others a courier.
    @inline(__always) func city(of e: Event) -> Int { e.kind & 0xFF == Kind.staffStep.rawValue ? Int(e.target) : city(Int(e.target)) }
    @inline(__always) func isOnDuty(_ k: Int) -> Bool { couriers[k].onDuty }
    @inline(__always) func isOnTrip(_ k: Int) -> Bool { couriers[k].onTrip }
    @inline(__always) func dutySince(_ k: Int) -> SimTime { couriers[k].dutySince }
    @inline(__always) func departure(_ k: Int) -> SimTime { couriers[k].departureAt }
    @inline(__always) func source(city c: Int) -> GeoSetCandidateSource { sources[c] }

    /// Courier `k` of city `c` as the matcher sees it (at its last consumed position), if it is
    /// in the geo index and not on a trip; nil otherwise (another city's id included).
    @inline(__always) func matchable(_ k: Int, city c: Int, now: SimTime) -> DispatchCourier? {
        let i = k - cityStart[c]
        guard i >= 0, i >> 6 < matchableBits[c].count, matchableBits[c][i >> 6] & (UInt64(1) << UInt64(i & 63)) != 0 else { return nil }
        return DispatchCourier(id: k, position: couriers[k].known, availableAt: now)
    }

    /// How many of city `c`'s couriers are matchable. - Complexity: O(1).
    func matchableCount(city c: Int) -> Int { matchableCounts[c] }

    /// Courier `k`'s `matchableBits` bit from its flags (after either changes).
    @inline(__always) private func updateMatchable(_ k: Int) {
        let c = Int(couriers[k].city), i = k - cityStart[c]
        let bit = UInt64(1) << UInt64(i & 63), was = matchableBits[c][i >> 6] & bit != 0
        let isMatchable = couriers[k].indexed && !couriers[k].onTrip
        guard isMatchable != was else { return }
        matchableBits[c][i >> 6] ^= bit
        matchableCounts[c] += isMatchable ? 1 : -1
    }

    /// Courier `k`'s position at `t` (interpolated along its trip's legs).
    func position(_ k: Int, at t: SimTime) -> DispatchPosition {
        // Field by field: copying the whole Courier would retain its order list.
        guard couriers[k].onTrip else { return couriers[k].position }
        let restaurant = couriers[k].restaurant
        if t < couriers[k].arrivalAt { return Self.lerp(couriers[k].position, restaurant, couriers[k].departureAt, couriers[k].arrivalAt, t) }
        if t < couriers[k].pickupAt { return restaurant }
        return Self.lerp(restaurant, couriers[k].end, couriers[k].pickupAt, couriers[k].completionAt, t)
    }

    private static func lerp(_ a: DispatchPosition, _ b: DispatchPosition, _ t0: SimTime, _ t1: SimTime, _ t: SimTime) -> DispatchPosition {
        guard t1 > t0 else { return b }
        let f = min(1, max(0, Double(t - t0) / Double(t1 - t0)))
        return DispatchPosition(x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f)
    }

    /// A ping record of courier `k`, taken at `producedAt`, was consumed: its known position,
    /// and the geo index (`GEOADD`) if it is idle. A ping of the courier who held this slot
    /// before the current shift is history, and one taken during a trip does not make the
    /// courier matchable after it.
    func pingConsumed(_ k: Int, producedAt: SimTime, longitude: Double, latitude: Double) {
        guard producedAt >= couriers[k].since else { return }
        let pos = DispatchPosition(longitude: longitude, latitude: latitude)
        couriers[k].known = pos
        if !couriers[k].onTrip && producedAt >= couriers[k].idleSince {
            // An idle courier pings where it stands: a GEOADD of the score the index already
            // holds changes nothing (ZADD with an unchanged score), so it is skipped without
            // looking the member up.
            var score = UInt64.max
            if RedisGeohash.isValid(longitude: pos.longitude, latitude: pos.latitude) {
                score = RedisGeohash.score(longitude: pos.longitude, latitude: pos.latitude)
                if couriers[k].indexed && couriers[k].indexedScore == score { return }
                _ = try? sources[Int(couriers[k].city)].index.add(k, longitude: pos.longitude, latitude: pos.latitude)
            }
            couriers[k].indexedScore = score
            couriers[k].indexed = true
            updateMatchable(k)
        }
    }

    /// Courier `k` takes the trip `a` (from `restaurant` to `end`): out of the geo index
    /// (`ZREM`). Counts a break of the bundle rule (already on a trip, or more than
    /// `maxBundle` orders).
    func startTrip(_ a: DispatchAssignment, restaurant: DispatchPosition, end: DispatchPosition, maxBundle: Int) {
        let k = a.courierID
        let c = Int(couriers[k].city)
        if couriers[k].onTrip || a.orderIDs.count > maxBundle { bundleViolations += 1 }
        _ = sources[c].index.remove(k)
        couriers[k].indexed = false
        couriers[k].onTrip = true
        updateMatchable(k)
        couriers[k].departureAt = a.departureAt
        couriers[k].arrivalAt = a.arrivalAt
        couriers[k].pickupAt = a.pickupAt
        couriers[k].completionAt = a.completionAt
        couriers[k].restaurant = restaurant
        couriers[k].end = end
        couriers[k].orders = a.orderIDs
    }

    /// The trip's pick-up event (before the drop-offs: at equal times it must run before a
    /// drop-off frees an order's slot).
    func schedulePickUp(_ k: Int, at t: SimTime, _ s: inout Scheduler) {
        s.schedule(at: t, kind: ComponentID.couriers.kind(Kind.pickedUp.rawValue), target: UInt32(k))
    }

    /// Step `step` of the trip: the drop-off of its order `step`, or (`step` = order count)
    /// the trip's end.
    func scheduleStep(_ k: Int, _ step: Int, at t: SimTime, _ s: inout Scheduler) {
        s.schedule(at: t, kind: ComponentID.couriers.kind(Kind.tripStep.rawValue), target: UInt32(k), payload: UInt64(step))
    }

    /// Schedules the shift's end if it falls before `time` (the courier's next ping, which
    /// would otherwise look again) and is not scheduled yet.
    @inline(__always) private func scheduleShiftEnd(_ k: Int, before time: SimTime, _ s: inout Scheduler) {
        guard !couriers[k].shiftEndScheduled, couriers[k].shiftEndsAt <= time else { return }
        couriers[k].shiftEndScheduled = true
        s.schedule(at: max(s.now, couriers[k].shiftEndsAt), kind: ComponentID.couriers.kind(Kind.shiftEnd.rawValue), target: UInt32(k),
                   payload: couriers[k].pingGeneration)
    }

    /// The courier logs off (leaves the geo index, stops pinging) and the next shift's courier
    /// logs on at a random point of the city: `count` stay on duty.
    private func replaceCourier(_ k: Int, _ s: inout Scheduler) {
        let c = Int(couriers[k].city)
        if couriers[k].indexed { _ = sources[c].index.remove(k) }
        shiftsEnded += 1
        logOn(k, &s)
    }

    /// A courier logs on in slot `k` at a random point of the city's geography (a metro by
    /// share when it has metros), with a new shift.
    private func logOn(_ k: Int, _ s: inout Scheduler) {
        let c = Int(couriers[k].city)
        let shiftStream = shiftStreams[c]
        if !couriers[k].onDuty { couriers[k].dutySince = s.now }
        couriers[k].onDuty = true
        couriers[k].offAfterTrip = false
        let p = geographies[c].position(shiftStream)
        couriers[k].position = p
        couriers[k].known = p
        couriers[k].indexed = false
        updateMatchable(k)
        couriers[k].leaving = false
        couriers[k].since = s.now
        couriers[k].idleSince = s.now
        couriers[k].pingGeneration &+= 1
        s.schedule(at: s.now, kind: ComponentID.couriers.kind(Kind.ping.rawValue), target: UInt32(k), payload: couriers[k].pingGeneration)
        couriers[k].shiftEndScheduled = false
        if let shift = config.shiftLength { couriers[k].shiftEndsAt = s.now + max(SimUnit.minute, shift.sampleTime(shiftStream)) }
    }
}
