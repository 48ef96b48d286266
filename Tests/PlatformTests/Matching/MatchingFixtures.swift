import CapsimTestSupport
import Testing
import Platform

typealias MatchingRNG = SplitMix64

enum MatchingFixtures {
    /// Redis' geohash round trip at step 26 (redis `src/geohash.c`: geohashEncode with
    /// truncation, geohashDecode cell centre): the position GEOPOS / WITHDIST use.
    static func redisDecoded(longitude: Double, latitude: Double) -> DispatchPosition {
        let latMin = -85.05112878, latMax = 85.05112878, lonMin = -180.0, lonMax = 180.0
        let scale = Double(UInt64(1) << 26)
        let ilat = UInt32((latitude - latMin) / (latMax - latMin) * scale)
        let ilon = UInt32((longitude - lonMin) / (lonMax - lonMin) * scale)
        let la0 = latMin + (Double(ilat) * 1.0 / scale) * (latMax - latMin)
        let la1 = latMin + (Double(ilat + 1) * 1.0 / scale) * (latMax - latMin)
        let lo0 = lonMin + (Double(ilon) * 1.0 / scale) * (lonMax - lonMin)
        let lo1 = lonMin + (Double(ilon + 1) * 1.0 / scale) * (lonMax - lonMin)
        return DispatchPosition(longitude: (lo0 + lo1) / 2, latitude: (la0 + la1) / 2)
    }

    /// Random planar orders in a `size` x `size` metre city with `restaurants` restaurants.
    static func planarOrders(
        count: Int, restaurants: Int, size: Double, now: Instant, rng: inout MatchingRNG,
        readySpread: Nanoseconds = 20 * TimeUnit.minute, firstID: Int = 1
    ) -> [DispatchOrder] {
        let rest = (0..<restaurants).map { _ in
            DispatchPosition(x: Double.random(in: 0..<size, using: &rng), y: Double.random(in: 0..<size, using: &rng))
        }
        return (0..<count).map { i in
            let r = Int.random(in: 0..<restaurants, using: &rng)
            let placed = now - Int64.random(in: 0...(10 * TimeUnit.minute), using: &rng)
            return DispatchOrder(
                id: firstID + i, restaurantID: r, restaurantPosition: rest[r],
                customerPosition: DispatchPosition(
                    x: Double.random(in: 0..<size, using: &rng), y: Double.random(in: 0..<size, using: &rng)),
                placedAt: placed, readyAt: now + Int64.random(in: 0...readySpread, using: &rng))
        }
    }

    static func planarCouriers(
        count: Int, size: Double, now: Instant, rng: inout MatchingRNG, firstID: Int = 1,
        busySpread: Nanoseconds = 0
    ) -> [DispatchCourier] {
        (0..<count).map { i in
            DispatchCourier(
                id: firstID + i,
                position: DispatchPosition(x: Double.random(in: 0..<size, using: &rng), y: Double.random(in: 0..<size, using: &rng)),
                availableAt: now + (busySpread > 0 ? Int64.random(in: -busySpread...busySpread, using: &rng) : 0))
        }
    }

    /// Runs a python3 script with stdin; nil when python (or a module) is unavailable and
    /// real systems are optional. Records an issue when they are required.
    static func python(_ script: String, input: String, needs modules: String) throws -> String? {
        guard Subprocess.which(RealSystems.python) != nil else {
            if RealSystems.required { Issue.record("python3 not found (\(RealSystems.python))") }
            return nil
        }
        let probe = try Subprocess.run(RealSystems.python, ["-c", "import \(modules)"], timeout: 120)
        guard probe.succeeded else {
            if RealSystems.required { Issue.record("python modules missing: \(modules): \(probe.stderr)") }
            return nil
        }
        let r = try Subprocess.run(RealSystems.python, ["-c", script], input: input, timeout: 300)
        guard r.succeeded else {
            Issue.record("python failed: \(r.stderr)")
            return nil
        }
        return r.stdout
    }
}
