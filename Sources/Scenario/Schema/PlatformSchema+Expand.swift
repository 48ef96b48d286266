/// Expanding-radius dispatch (`matching.expand`), decoded by `PlatformConfig.decodeExpand`. Off
/// unless `enabled: true`: every order is offered within `matching.radius` only, as before.
extension PlatformSchema {
    /// A real dispatcher widens the search for an order nobody near has taken: DelivApp's
    /// auto-dispatch ("How DelivApp auto-dispatch works", help.delivapp.com) has a first
    /// notify radius and "expand courier pool after (min)": if nobody accepts in that time the
    /// pool is broadened to a larger radius. Here the radius grows by `step` every `after`
    /// the order stays unmatched since it was offered, up to `max_radius`.
    static let expandSearch = ObjectSchema("Expanding-radius dispatch: an order left unmatched is offered to idle couriers in a wider radius", [
        Field("enabled", .boolean, default: "false", "Widen the search for orders left unmatched (false: matching.radius only)"),
        Field("after", .duration(min: "1s"), default: "1min",
              "The radius grows once per this long an order stays unmatched since it was offered (placement, or its release under dispatch_hold)"),
        Field("step", .distance(min: "1m", max: "1000km"), default: "2.7km", "Added to the radius at each growth"),
        Field("max_radius", .distance(min: "1m", max: "1000km"), default: "8.1km",
              "The widest radius; must exceed matching.radius. With dispatch_hold, the hold's travel estimate also searches this far"),
    ])
}
