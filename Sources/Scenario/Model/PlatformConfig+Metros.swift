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

        public init(share: Double, radius: Double, distance: Double = 0, bearing: Double = 0) {
            self.share = share; self.radius = radius; self.distance = distance; self.bearing = bearing
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
            let metro = Metro(share: m.double("share"), radius: m.distance("radius"), distance: m.distance("distance"), bearing: m.double("bearing"))
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

    private static func km(_ metres: Double) -> String {
        let v = (metres / 1000 * 1000).rounded() / 1000
        return "\(v)km"
    }
}
