import Foundation
import SimCore

extension PlatformConfig {
    /// One metro area of a region (`regions.<r>.metros[i]`): a disc holding `share` of the
    /// region's restaurants and couriers. Distances are as written; the region's `metroScale`
    /// multiplies them where positions are drawn.
    public struct Metro: Sendable, Equatable {
        public var share: Double
        /// Metres.
        public var radius: Double
        /// From the region's centre to the metro's, metres.
        public var distance: Double
        /// Degrees clockwise from north.
        public var bearing: Double
        /// The share of the metro's restaurants and couriers placed in its dense core (a
        /// concentric disc of `coreRadius`, metres); the rest are uniform over the whole disc.
        /// 0: no core (uniform over the disc).
        public var coreShare: Double
        public var coreRadius: Double

        public init(share: Double, radius: Double, distance: Double = 0, bearing: Double = 0, coreShare: Double = 0, coreRadius: Double = 0) {
            self.share = share; self.radius = radius; self.distance = distance; self.bearing = bearing
            self.coreShare = coreShare; self.coreRadius = coreRadius
        }
    }

    /// `regions.<r>.metros` and `metro_scale` into `region`. Refused (with the metro's
    /// file:line, its key and a fix): shares that do not add up to 1, and a metro whose
    /// scaled disc reaches beyond the region's `city_radius`. A radius of 0 is refused by the
    /// schema (at least 100 m).
    static func decodeMetros(_ n: SchemaReader, into region: inout Region, errors: inout [ScenarioError]) {
        region.metroScale = n.double("metro_scale")
        guard let list = n.given("metros") else { return }
        let path = "regions.\(region.name).metros"
        let items = n.items("metros")
        if items.isEmpty {
            errors.append(ScenarioError(list.location, path: path, "the metro list is empty",
                                        fix: "list at least one metro ({ share: 1, radius: 20km }) or leave `metros` out for a uniform disc"))
            return
        }
        var metros: [Metro] = []
        for (i, m) in items.enumerated() {
            let metro = Metro(share: m.double("share"), radius: m.distance("radius"), distance: m.distance("distance"), bearing: m.double("bearing"),
                              coreShare: m.double("core_share"), coreRadius: m.distance("core_radius"))
            checkCore(metro, m, path: "\(path)[\(i)]", fallback: list.location, errors: &errors)
            let reach = (metro.distance + metro.radius) * region.metroScale
            if reach > region.cityRadius * (1 + 1e-9) {
                errors.append(ScenarioError(m.node?.location ?? list.location, path: "\(path)[\(i)]",
                                            "the metro reaches \(Self.km(reach)) from the region's centre (distance + radius, × metro_scale \(region.metroScale)), beyond city_radius \(Self.km(region.cityRadius))",
                                            fix: "move it closer (distance ≤ \(Self.km(max(0, region.cityRadius / region.metroScale - metro.radius)))), shrink its radius or widen city_radius"))
            }
            metros.append(metro)
        }
        let sum = metros.reduce(0) { $0 + $1.share }
        let total = (sum * 1e9).rounded() / 1e9
        if abs(sum - 1) > 1e-6 {
            errors.append(ScenarioError(list.location, path: path, "the metros' shares add up to \(total), not 1",
                                        fix: "make the shares of regions.\(region.name)'s metros sum to 1 (e.g. divide each by \(total))"))
        }
        region.metros = metros
    }

    /// A metro's dense core (`core_share`, `core_radius`), checked where the metro is decoded.
    /// Refused, with the metro item's file:line, the key and a fix: `core_share` of 1 (the
    /// schema already bounds it to [0, 1]; a core holding every entity is a smaller metro,
    /// written as its `radius`), a core without a radius, and a core wider than its metro.
    static func checkCore(_ metro: Metro, _ m: SchemaReader, path: String, fallback: SourceLocation, errors: inout [ScenarioError]) {
        let location = m.node?.location ?? fallback
        if metro.coreShare >= 1 {
            errors.append(ScenarioError(m.given("core_share")?.location ?? location, path: "\(path).core_share", "core_share is \(metro.coreShare); it must be below 1",
                                        fix: "use a core_share from 0 to below 1, or write a metro holding everything in its core as a smaller radius"))
        }
        if metro.coreShare > 0 && metro.coreRadius <= 0 {
            errors.append(ScenarioError(location, path: "\(path).core_radius", "core_share is \(metro.coreShare) but the core has no radius",
                                        fix: "give core_radius (above 0, at most radius \(km(metro.radius))) or set core_share to 0"))
        }
        if metro.coreRadius > metro.radius * (1 + 1e-9) {
            errors.append(ScenarioError(m.given("core_radius")?.location ?? location, path: "\(path).core_radius", "core_radius \(km(metro.coreRadius)) is wider than the metro's radius \(km(metro.radius))",
                                        fix: "make core_radius at most \(km(metro.radius)) (or widen radius)"))
        }
    }

    private static func km(_ metres: Double) -> String {
        let v = (metres / 1000 * 1000).rounded() / 1000
        return "\(v)km"
    }
}
