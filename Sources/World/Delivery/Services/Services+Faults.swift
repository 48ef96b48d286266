import Platform
import SimCore

/// The services' side of the fault schedule and of what protects a pool: before a call
/// reaches its pool's balancer, `RegionRouting` may move it to the failover region (or leave
/// it to time out against a lost region) and `Protection` may refuse it.
extension Services {
    /// Before the balancer: a region outage reroutes the call (`.crossRegion`: the caller sends
    /// it to the failover region through the channel, where it comes back here) or it times out
    /// against the unreachable region; then the pool's protection admits it. Sets the request's pool;
    /// nil when the call goes on to the balancer.
    func faultGate(_ q: Int32, pool target: Int, _ s: inout Scheduler) -> Due? {
        let req = request(q)
        var p = target, reachable = true
        if routing.active {
            p = routing.route(pool: target, region: region(ofPool: target), service: pools[target].service,
                              key: req.session >= 0 ? Int(req.session) : req.subject, now: s.now)
            if p < 0 { p = target; reachable = false } else { reroute(q, to: p) }
            // Moved to the failover region: it crosses the channel, and its protection and
            // balancer are the failover pool's when it arrives (this gate runs again there).
            if reachable && p != target { return .crossRegion(q) }
        }
        if protection.active && req.kind.isClientCall {
            switch protection.admit(pool: p, first: req.attempt == 0, atBalancer: reachable, now: s.now) {
            case .go: break
            case .rejected:
                reroute(q, to: p)
                return fail(q, &s)
            case .notPermitted:
                measurements.failed(kind: req.kind.rawValue, city: Int(req.city))
                return .gaveUp(q)
            }
        }
        guard reachable else {
            // No answer from the lost region: the client's timeout runs out.
            reroute(q, to: target)
            s.schedule(after: pools[target].config.timeout, kind: ComponentID.services.kind(Kind.requestFailed.rawValue), payload: UInt64(q))
            return Services.Due.none
        }
        return nil
    }
}
