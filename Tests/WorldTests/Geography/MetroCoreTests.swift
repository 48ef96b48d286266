import Foundation
import Platform
@testable import Scenario
import SimCore
import Testing
@testable import World

/// A metro's dense core (`core_share`, `core_radius`): that share of its restaurants and
/// couriers lies uniformly in a concentric disc of `core_radius`, the rest uniformly over the
/// whole disc. Truth from outside the code: a point then falls within `core_radius` of the
/// centre with probability core_share + (1 − core_share)·(core_radius / radius)² (the core
/// draws, plus the uniform disc's area ratio), so the count in the core is binomial.
@Suite struct MetroCoreTests {
    /// MetroGeographyTests' three metros, A with a core of 40 % in 400 m (of 1 km), B with 50 %
    /// in 200 m (of 500 m), C without a core.
    static let cores = "regions.only.metros=[{ share: 0.5, radius: 1km, core_share: 0.4, core_radius: 400m }, { share: 0.3, radius: 500m, distance: 2.5km, bearing: 90, core_share: 0.5, core_radius: 200m }, { share: 0.2, radius: 800m, distance: 2.5km, bearing: 270 }]"
    static let coreRadii = [400.0, 200, 0]
    /// A: 0.4 + 0.6 × 0.4² = 0.496; B: 0.5 + 0.5 × 0.4² = 0.58; C (no core): P(r < R/2) = 0.25.
    static let pInCore = [0.4 + 0.6 * 0.16, 0.5 + 0.5 * 0.16, 0.25]

    static func geography(_ overrides: [String] = []) throws -> CityGeography {
        CityGeography(try MetroGeographyTests.config([cores] + overrides).1.regions[0])
    }

    /// 40,000 draws: every point in its metro's disc, the metros binomial by share, and the
    /// count within the core radius (C: within R/2) binomial with pInCore, each within 4
    /// standard deviations (MetroGeographyTests.expectBinomial: A n ≈ 20,000, p 0.496,
    /// ± 283; B n ≈ 12,000, p 0.58, ± 216; a fair draw falls outside with probability 6e-5
    /// per check and the seed is fixed). A core that were ignored would give A 0.16 and B
    /// 0.16, 24 and 30 sd away; a core holding all of core_share without the remainder's
    /// share of it (p = core_share) would be 13 and 19 sd away.
    @Test func theCoreHoldsItsShareAndTheRemaindersAreaShare() throws {
        let geography = try Self.geography()
        #expect(geography.discs.map(\.coreShare) == [0.4, 0.5, 0] && geography.discs.map(\.coreRadius) == Self.coreRadii)
        let stream = RandomStream(seed: 17)
        let n = 40_000
        var count = [0, 0, 0], inCore = [0, 0, 0]
        for _ in 0..<n {
            let (i, p) = geography.draw(stream)
            try #require((0..<3).contains(i))
            let r = MetroGeographyTests.distance(p, from: i)
            #expect(r <= MetroGeographyTests.radii[i] * (1 + 1e-9), "metro \(i): \(r) m from its centre")
            count[i] += 1
            if r < (i < 2 ? Self.coreRadii[i] : MetroGeographyTests.radii[i] / 2) { inCore[i] += 1 }
        }
        for i in 0..<3 {
            MetroGeographyTests.expectBinomial(count[i], n: n, p: MetroGeographyTests.shares[i], "metro \(i) share")
            MetroGeographyTests.expectBinomial(inCore[i], n: count[i], p: Self.pInCore[i], "metro \(i) within its core radius")
        }
    }

    /// core_share 0 (the default) makes no extra draw: the same seed gives exactly the
    /// positions of the metros written without core keys, even with a core_radius given.
    @Test func noCoreDrawsExactlyAsBefore() throws {
        let plain = CityGeography(try MetroGeographyTests.config().1.regions[0])
        let zero = CityGeography(try MetroGeographyTests.config(["regions.only.metros=[{ share: 0.5, radius: 1km, core_share: 0, core_radius: 300m }, { share: 0.3, radius: 500m, distance: 2.5km, bearing: 90 }, { share: 0.2, radius: 800m, distance: 2.5km, bearing: 270 }]"]).1.regions[0])
        let a = RandomStream(seed: 5), b = RandomStream(seed: 5)
        for k in 0..<2_000 {
            let p = plain.draw(a), q = zero.draw(b)
            #expect(p.metro == q.metro && p.position == q.position, "draw \(k)")
        }
    }

    /// `metro_scale` 0.5 halves the core radii as it halves the discs.
    @Test func metroScaleScalesTheCore() throws {
        let geography = try Self.geography(["regions.only.metro_scale=0.5"])
        #expect(geography.discs.map(\.coreRadius) == [200, 100, 0] && geography.discs.map(\.radius) == [500, 250, 400])
    }

    /// The world uses it: of 4,000 restaurants built by PlatformSimulation, those in A lie
    /// within 400 m of its centre binomially with p 0.496 (n ≈ 2,000, ± 4 sd = ± 89).
    @Test func restaurantsFollowTheCore() throws {
        let (c, platform) = try MetroGeographyTests.config([Self.cores, "restaurants.count=4000", "demand.orders_per_hour=0.001/h"])
        let model = PlatformSimulation(scenario: c, config: platform, seed: 3)
        var inA = 0, coreA = 0
        for k in 0..<4000 {
            let p = model.demand.restaurant(city: 0, k)
            guard MetroGeographyTests.disc(of: p) == 0 else { continue }
            inA += 1
            if MetroGeographyTests.distance(p, from: 0) < 400 { coreA += 1 }
        }
        MetroGeographyTests.expectBinomial(inA, n: 4000, p: 0.5, "restaurants in A")
        MetroGeographyTests.expectBinomial(coreA, n: inA, p: Self.pInCore[0], "restaurants in A's core")
    }

    // MARK: bad input

    @Test func coreShareMustBeBelowOne() throws {
        let e = try MetroGeographyTests.refusal(["regions.only.metros.0.core_share=1", "regions.only.metros.0.core_radius=500m"])
        #expect(e.path == "regions.only.metros[0].core_share" && e.message == "core_share is 1.0; it must be below 1", "\(e)")
        #expect(e.fix.hasPrefix("use a core_share from 0 to below 1"))
        let negative = try MetroGeographyTests.refusal(["regions.only.metros.0.core_share=-0.1", "regions.only.metros.0.core_radius=500m"])
        #expect(negative.path.hasSuffix("core_share"), "\(negative)")
    }

    @Test func aCoreNeedsARadiusWithinTheMetro() throws {
        let missing = try MetroGeographyTests.refusal(["regions.only.metros.1.core_share=0.3"])
        #expect(missing.path == "regions.only.metros[1].core_radius" && missing.message == "core_share is 0.3 but the core has no radius", "\(missing)")
        #expect(missing.fix == "give core_radius (above 0, at most radius 0.5km) or set core_share to 0")
        let wide = try MetroGeographyTests.refusal(["regions.only.metros.1.core_share=0.3", "regions.only.metros.1.core_radius=600m"])
        #expect(wide.path == "regions.only.metros[1].core_radius" && wide.message == "core_radius 0.6km is wider than the metro's radius 0.5km", "\(wide)")
        #expect(wide.fix == "make core_radius at most 0.5km (or widen radius)")
    }

    /// A core error points at the scenario file and line of the metro (line 6 of WorldScenario.base).
    @Test func coreErrorsNameTheFileAndLine() throws {
        let body = WorldScenario.base.replacingOccurrences(of: "city_radius: 4km }",
                                                           with: "city_radius: 4km, metros: [{ share: 1, radius: 1km, core_share: 0.5, core_radius: 2km }] }")
        let path = NSTemporaryDirectory() + "capsim-core-\(UUID().uuidString.prefix(8)).yaml"
        try body.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do { _ = try ScenarioConfig.load(path: path); Issue.record("accepted") } catch {
            #expect(error.errors.map(\.path) == ["regions.only.metros[0].core_radius"], "\(error.errors)")
            #expect(error.errors.allSatisfy { $0.location.file == path && $0.location.line == 6 }, "\(error.errors.map(\.location))")
        }
    }
}
