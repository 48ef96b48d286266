import Foundation
import Platform
@testable import Scenario
import SimCore
import Testing
@testable import World

/// Clustered geography (`regions.<r>.metros`): restaurants and couriers are placed in metro
/// discs chosen by share, uniformly inside each disc. Truths from outside the code: the disc
/// centres from the equirectangular offset written out here, the binomial count per metro
/// and the uniform disc's radial law P(r < R/2) = 1/4.
@Suite struct MetroGeographyTests {
    /// Three metros in WorldScenario.base's 4 km city at (0°, 45°): A at the centre (share 0.5,
    /// 1 km), B 2.5 km east (0.3, 500 m), C 2.5 km west (0.2, 800 m; reaches 3.3 km < 4 km).
    static let metros = "regions.only.metros=[{ share: 0.5, radius: 1km }, { share: 0.3, radius: 500m, distance: 2.5km, bearing: 90 }, { share: 0.2, radius: 800m, distance: 2.5km, bearing: 270 }]"
    static let shares = [0.5, 0.3, 0.2]
    static let radii = [1000.0, 500, 800]
    /// Metres per degree of latitude, as `PlatformMath.offset`.
    static let m = 111_320.0
    /// Each disc's centre: 2.5 km east / west of (0°, 45°) is ±2500 / (111,320 × cos 45°) degrees.
    static let centres: [(lon: Double, lat: Double)] = [(0, 45), (2500 / (m * cos(Double.pi / 4)), 45), (-2500 / (m * cos(Double.pi / 4)), 45)]

    /// Metres from metro `i`'s centre (equirectangular at the centre's latitude).
    static func distance(_ p: DispatchPosition, from i: Int) -> Double {
        let c = centres[i]
        let dx = (p.longitude - c.lon) * m * cos(c.lat * Double.pi / 180), dy = (p.latitude - c.lat) * m
        return (dx * dx + dy * dy).squareRoot()
    }

    /// The metro whose disc holds `p` (the discs are 1 km or more apart), or nil.
    static func disc(of p: DispatchPosition) -> Int? {
        (0..<3).first { distance(p, from: $0) <= radii[$0] * (1 + 1e-9) }
    }

    static func config(_ overrides: [String] = []) throws -> (ScenarioConfig, PlatformConfig) {
        let c = try PlatformSimulationTests.load(WorldScenario.base, overrides: [metros] + overrides)
        var errors: [ScenarioError] = []
        return (c, try #require(PlatformConfig.decode(c.document, errors: &errors), "\(errors)"))
    }

    /// |count − n·p| within 4 binomial standard deviations √(n·p·(1 − p)): a fair draw falls
    /// outside with probability 6e-5 per check; the seeds are fixed, so the result is exact.
    static func expectBinomial(_ count: Int, n: Int, p: Double, _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let sd = (Double(n) * p * (1 - p)).squareRoot()
        #expect(abs(Double(count) - Double(n) * p) <= 4 * sd, "\(what): \(count) of \(n), expected \(Double(n) * p) ± \(4 * sd)", sourceLocation: sourceLocation)
    }

    /// 40,000 draws: each lies in the disc of the metro it names; the metros' counts are
    /// binomial(40,000, share) (A 20,000 ± 400, B 12,000 ± 367, C 8,000 ± 320); inside each
    /// disc P(r < R/2) = (1/2)² = 1/4 and P(r < R/√2) = 1/2.
    @Test func drawsFallInTheirDiscsByShareAndUniformly() throws {
        let geography = CityGeography(try Self.config().1.regions[0])
        let stream = RandomStream(seed: 11)
        let n = 40_000
        var count = [0, 0, 0], inner = [0, 0, 0], half = [0, 0, 0]
        for _ in 0..<n {
            let (i, p) = geography.draw(stream)
            try #require((0..<3).contains(i))
            let r = Self.distance(p, from: i)
            #expect(r <= Self.radii[i] * (1 + 1e-9), "metro \(i): \(r) m from its centre")
            count[i] += 1
            if r < Self.radii[i] / 2 { inner[i] += 1 }
            if r < Self.radii[i] / 2.0.squareRoot() { half[i] += 1 }
        }
        for i in 0..<3 {
            Self.expectBinomial(count[i], n: n, p: Self.shares[i], "metro \(i) share")
            Self.expectBinomial(inner[i], n: count[i], p: 0.25, "metro \(i) P(r < R/2)")
            Self.expectBinomial(half[i], n: count[i], p: 0.5, "metro \(i) P(r < R/√2)")
        }
    }

    /// `metro_scale` 0.5 halves every radius and distance: B's centre is 1.25 km east and
    /// its disc 250 m.
    @Test func metroScaleScalesRadiiAndDistances() throws {
        let geography = CityGeography(try Self.config(["regions.only.metro_scale=0.5"]).1.regions[0])
        let b = geography.discs[1]
        let expectedLon = 1250 / (Self.m * cos(Double.pi / 4))
        #expect(abs(b.centre.longitude - expectedLon) < 1e-12 && abs(b.centre.latitude - 45) < 1e-12)
        #expect(b.radius == 250 && geography.discs[0].radius == 500 && geography.discs[2].radius == 400)
        #expect(geography.discs.map(\.cumulativeShare) == [0.5, 0.8, 1.0])
    }

    /// The world uses the geography: 4,000 restaurants and 3,000 couriers built by
    /// `PlatformSimulation` all lie in a metro disc, binomially by share; and after 20 min of
    /// 2-minute shifts with no orders (every courier logged on anew several times, none on a
    /// trip) every courier is still inside a disc.
    @Test func restaurantsAndCouriersLieInTheMetroDiscs() throws {
        let (c, platform) = try Self.config(["restaurants.count=4000", "couriers.count=3000", "couriers.shift_length=2min",
                                             "demand.orders_per_hour=0.001/h"])
        let model = PlatformSimulation(scenario: c, config: platform, seed: 3)
        var rest = [0, 0, 0]
        for k in 0..<4000 {
            let d = try #require(Self.disc(of: model.demand.restaurant(city: 0, k)), "restaurant \(k) outside every metro")
            rest[d] += 1
        }
        var cour = [0, 0, 0]
        for k in 0..<3000 {
            let d = try #require(Self.disc(of: model.couriers.position(k, at: 0)), "courier \(k) outside every metro")
            cour[d] += 1
        }
        for i in 0..<3 {
            Self.expectBinomial(rest[i], n: 4000, p: Self.shares[i], "restaurants in metro \(i)")
            Self.expectBinomial(cour[i], n: 3000, p: Self.shares[i], "couriers in metro \(i)")
        }
        var s = Scheduler(reservingCapacity: 1 << 12)
        model.start(&s)
        _ = s.run(model, until: try #require(c.duration))
        let m = model.metrics(at: s.now)
        #expect(m.counterValue("orders.placed") == 0)
        // Each courier's first shift ends at t0 < 2 min (a uniform point of a 2 min shift), then
        // every 2 min: t0, t0 + 2, ..., t0 + 18 < 20 min, at least 10 log-ons each.
        #expect(try #require(m.counterValue("couriers.shifts_ended")) >= 30_000)
        for k in 0..<3000 {
            #expect(Self.disc(of: model.couriers.position(k, at: s.now)) != nil, "courier \(k) logged on outside every metro")
        }
    }

    // MARK: bad input

    static func refusal(_ overrides: [String]) throws -> ScenarioError {
        do {
            _ = try Self.config(overrides)
        } catch let e as ScenarioErrors {
            #expect(e.errors.count == 1, "\(e)")
            return try #require(e.errors.first)
        }
        Issue.record("no error for \(overrides)")
        throw CancellationError()
    }

    @Test func sharesMustAddUpToOne() throws {
        let e = try Self.refusal(["regions.only.metros.2.share=0.3"])
        #expect(e.path == "regions.only.metros" && e.message == "the metros' shares add up to 1.1, not 1")
        #expect(e.fix.hasPrefix("make the shares of regions.only's metros sum to 1"))
    }

    @Test func aMetroMustLieInsideTheRegion() throws {
        // B at 3.6 km with 500 m reaches 4.1 km > city_radius 4 km.
        let e = try Self.refusal(["regions.only.metros.1.distance=3.6km"])
        #expect(e.path == "regions.only.metros[1]" && e.message.contains("reaches 4.1km") && e.message.contains("beyond city_radius 4.0km"))
        #expect(e.fix.hasPrefix("move it closer (distance ≤ 3.5km)"))
        // metro_scale 2 takes A (1 km at the centre) to 2 km, B to 6 km and C to 6.6 km: B and C.
        do { _ = try Self.config(["regions.only.metro_scale=2"]); Issue.record("metro_scale 2 accepted") } catch let e as ScenarioErrors {
            #expect(e.errors.map(\.path) == ["regions.only.metros[1]", "regions.only.metros[2]"])
        }
    }

    @Test func aRadiusMustBePositiveAndTheListNotEmpty() throws {
        let e = try Self.refusal(["regions.only.metros.0.radius=0km"])
        #expect(e.path == "regions.only.metros.0.radius" || e.path == "regions.only.metros[0].radius", "\(e)")
        #expect(e.fix == "use a value from 100m to 500km")
        let empty = try Self.refusal(["regions.only.metros=[]"])
        #expect(empty.path == "regions.only.metros" && empty.message == "the metro list is empty")
    }

    /// A metro error points at the scenario file and line of the metro.
    @Test func errorsNameTheFileAndLine() throws {
        // The region is line 6 of WorldScenario.base; the metros are written on it.
        let body = WorldScenario.base.replacingOccurrences(of: "city_radius: 4km }",
                                                           with: "city_radius: 4km, metros: [{ share: 0.5, radius: 1km }, { share: 0.6, radius: 5km }] }")
        let path = NSTemporaryDirectory() + "capsim-metro-\(UUID().uuidString.prefix(8)).yaml"
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do { _ = try ScenarioConfig.load(path: path); Issue.record("accepted") } catch {
            let errors = error.errors.sorted { $0.path < $1.path }
            #expect(errors.map(\.path) == ["regions.only.metros", "regions.only.metros[1]"], "\(errors)")
            #expect(errors.allSatisfy { $0.location.file == path && $0.location.line == 6 }, "\(errors.map(\.location))")
        }
    }
}
