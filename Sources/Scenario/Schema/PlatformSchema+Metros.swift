/// Clustered geography (`regions.<r>.metros`), decoded by `PlatformConfig.decodeMetros`.
/// Off unless a region lists metros: its restaurants and couriers are then spread over the
/// metro discs, each holding its `share` of them, instead of uniformly over `city_radius`.
extension PlatformSchema {
    /// One metro area of a region: a disc at `distance` and `bearing` from the region's centre.
    /// Only its area and share shape the run (no trip crosses between metros), so the offsets
    /// place it inside the region's disc and need not be the real map.
    static let metro = ObjectSchema("One metro area: a disc holding `share` of the region's restaurants and couriers", [
        Field("share", .number(min: 0, max: 1), required: true,
              "Share of the region's restaurants and couriers (and so of its orders) in this metro; the shares of a region add up to 1"),
        Field("radius", .distance(min: "100m", max: "500km"), required: true,
              "Radius of the metro's disc (e.g. from an urban area's land area: √(area / π))"),
        Field("distance", .distance(min: "0m", max: "500km"), default: "0km",
              "From the region's centre to the metro's centre; the disc must lie inside city_radius"),
        Field("bearing", .number(min: 0, max: 360), default: "0", "Direction of the metro's centre from the region's centre, degrees clockwise from north"),
        Field("core_share", .number(min: 0, max: 1), default: "0",
              "Share of the metro's restaurants and couriers placed uniformly in its dense core (a concentric disc of core_radius), the rest uniformly over the whole disc; below 1; 0: no core"),
        Field("core_radius", .distance(min: "0m", max: "500km"), default: "0km",
              "Radius of the dense core (e.g. √(principal city's land area / π)); above 0 and at most radius when core_share > 0"),
    ])

    /// The region keys of the clustered geography (appended to `region`).
    static let metroFields: [Field] = [
        Field("metros", .array(.object(metro)),
              "Metro areas: restaurants, customers and couriers are placed in these discs by share instead of uniformly over city_radius (absent: uniform)"),
        Field("metro_scale", .number(min: 0.001, max: 1000), default: "1",
              "Multiplies every metro's radius and distance (0.25 keeps the density of a 1/16 slice whose city_radius is quartered)"),
    ]
}
