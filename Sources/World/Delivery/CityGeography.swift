import Platform
import Scenario
import SimCore

/// Where a city's restaurants and couriers are placed: uniformly over the region's disc
/// (`city_radius`), or, with `regions.<r>.metros`, in metro discs chosen by share. Real
/// platforms serve metro areas, not a uniform national disc, and how many idle couriers an
/// order finds within the matching radius depends on the local density (docs/calibration.md,
/// "Metro geography"). Shared by `Demand` (restaurants; customers lie around them) and
/// `Couriers` (the first positions and each new shift's log-on); each draws from its own
/// stream, so the geography holds no state besides the discs.
struct CityGeography {
    /// One metro disc: its centre and radius (metres, `metro_scale` applied) and the share
    /// of entities up to and including it.
    struct Disc {
        let centre: DispatchPosition
        let radius: Double
        let cumulativeShare: Double
        /// The dense core (`core_share`, `core_radius`): that share of the metro's entities
        /// lies uniformly in a concentric disc of `coreRadius` (`metro_scale` applied); 0: none.
        var coreShare: Double = 0
        var coreRadius: Double = 0
    }

    let centre: DispatchPosition
    let cityRadius: Double
    /// Empty: uniform over `cityRadius`.
    let discs: [Disc]

    init(_ region: PlatformConfig.Region) {
        centre = DispatchPosition(longitude: region.longitude, latitude: region.latitude)
        cityRadius = region.cityRadius
        var cumulative = 0.0
        discs = region.metros.map { m in
            cumulative += m.share
            let d = m.distance * region.metroScale, b = m.bearing * Double.pi / 180
            return Disc(centre: PlatformMath.offset(DispatchPosition(longitude: region.longitude, latitude: region.latitude),
                                                    east: d * _sin(b), north: d * _cos(b)),
                        radius: m.radius * region.metroScale, cumulativeShare: cumulative,
                        coreShare: m.coreShare, coreRadius: m.coreRadius * region.metroScale)
        }
    }

    /// The metro an entity falls in for the uniform draw `u` in [0, 1): the first whose
    /// cumulative share exceeds `u` (the last when rounding leaves the shares a hair below 1).
    func metro(for u: Double) -> Int {
        for (i, d) in discs.enumerated() where u < d.cumulativeShare { return i }
        return discs.count - 1
    }

    /// A position and its metro (-1 without metros). Without metros exactly the draw the
    /// uniform disc always made (two uniforms), so scenarios without metros are unchanged;
    /// with metros one uniform picks the metro by share, two place it uniformly in its disc.
    /// A metro with a core (`coreShare` > 0) draws one more uniform first: below `coreShare`
    /// the entity lies uniformly in the core disc, else uniformly in the whole metro disc (so
    /// the core holds coreShare + (1 − coreShare)·(coreRadius / radius)² of them). Metros
    /// without a core make no extra draw, so scenarios without cores are unchanged.
    func draw(_ stream: RandomStream) -> (metro: Int, position: DispatchPosition) {
        guard !discs.isEmpty else { return (-1, PlatformMath.offset(centre, uniformDiscOf: cityRadius, stream)) }
        let i = metro(for: stream.uniform())
        let d = discs[i]
        let radius = d.coreShare > 0 && stream.uniform() < d.coreShare ? d.coreRadius : d.radius
        return (i, PlatformMath.offset(d.centre, uniformDiscOf: radius, stream))
    }

    @inline(__always) func position(_ stream: RandomStream) -> DispatchPosition { draw(stream).position }
}
