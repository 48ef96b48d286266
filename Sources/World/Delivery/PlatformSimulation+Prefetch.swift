import SimCore

extension PlatformSimulation {
    /// The next event's memory, loaded while the current event runs (`EventHandler.prefetch`):
    /// a courier event's slot and, for a ping, the courier's cookie in its location_service
    /// pool. At national scale these are a cache miss each per ping; started one event early
    /// they overlap the current event's work. A hint only: it changes no state.
    @inline(__always)
    public func prefetch(_ next: Event) {
        guard (next.kind >> 8) & 0xFF == ComponentID.couriers.rawValue, next.kind & 0xFF == Couriers.Kind.ping.rawValue else { return }
        let k = Int(next.target)
        couriers.prefetch(k)
        guard config.stickySessions else { return }
        let p = services.servingPool(couriers.cityOfSlot(k), 1)
        if p >= 0 { services.withPool(p) { $0.prefetchSession(k) } }
    }
}
