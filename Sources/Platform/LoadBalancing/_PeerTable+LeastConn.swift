/// NGINX `least_conn` over a ``_PeerTable``: `ngx_http_upstream_get_least_conn_peer`
/// (nginx/nginx `src/http/modules/ngx_http_upstream_least_conn_module.c`) without `conns++`.
/// See ``LeastConnectionsBalancer`` for the algorithm; both functions here return the same
/// peer and leave the same state as that C function.
extension _PeerTable {
    /// The general port, statement by statement. Returns nil when no peer is eligible (the
    /// caller then runs ``markAllLive()``, as NGINX does).
    /// - Complexity: O(n), two passes at most.
    @inlinable
    mutating func leastConnPick(nowSeconds t: Int64) -> Int? {
        // Everything mutable stays inside the closures: captured outer variables would be
        // stored to memory on every iteration.
        let (found, restored) = peers.withUnsafeMutableBufferPointer { p -> (Int, Int) in
            currentWeight.withUnsafeMutableBufferPointer { w -> (Int, Int) in
                conns.withUnsafeBufferPointer { c -> (Int, Int) in
                    var restored = 0
                    // Locals mirror best's conns and weight so the scan carries no load dependency.
                    var best = -1
                    var bestConns = 0
                    var bestWeight = 1
                    var many = false
                    for i in 0..<p.count {
                        if p[i].down { continue }
                        if p[i].maxFails != 0 && p[i].fails >= p[i].maxFails && t - p[i].checked <= p[i].failTimeout {
                            continue
                        }
                        let conns = Int(c[i])
                        if p[i].maxConns != 0 && conns >= p[i].maxConns { continue }
                        let lhs = conns &* bestWeight
                        let rhs = bestConns &* p[i].weight
                        if best < 0 || lhs < rhs {
                            best = i
                            bestConns = conns
                            bestWeight = p[i].weight
                            many = false
                        } else if lhs == rhs {
                            many = true
                        }
                    }
                    if best < 0 { return (-1, 0) }
                    var total = 0
                    if many {
                        // best changes inside this loop, but only to peers with the same conns/weight
                        // ratio, so comparing against the first best's ratio is NGINX's test.
                        var bestCurrent = w[best]
                        var i = best
                        while i < p.count {
                            defer { i += 1 }
                            if p[i].down { continue }
                            if Int(c[i]) &* bestWeight != bestConns &* p[i].weight { continue }
                            if p[i].maxFails != 0 && p[i].fails >= p[i].maxFails && t - p[i].checked <= p[i].failTimeout {
                                continue
                            }
                            if p[i].maxConns != 0 && Int(c[i]) >= p[i].maxConns { continue }
                            let e = p[i].effectiveWeight
                            let cw = w[i] &+ e
                            w[i] = cw
                            total &+= e
                            if e < p[i].weight {
                                p[i].effectiveWeight = e &+ 1
                                if p[i].isPlain { restored += 1 }
                            }
                            if cw > bestCurrent {
                                best = i
                                bestCurrent = cw
                            }
                        }
                    }
                    w[best] -= total
                    if t - p[best].checked > p[best].failTimeout { p[best].checked = t }
                    return (best, restored)
                }
            }
        }
        nonPlainCount -= restored
        return found < 0 ? nil : found
    }

    /// The same pick when there are at least two members, all plain (``_Peer/isPlain``), sharing
    /// one weight W, the simulator's usual case. Then every peer is eligible, NGINX's
    /// `conns * best->weight < best->conns * weight` is `conns < best->conns`, every
    /// `effective_weight` is W and stays W, and the C function reduces to:
    /// - the tied set T is the peers with the minimum `conns`;
    /// - with |T| > 1, every peer of T gains W, the first (in membership order) of the largest
    ///   new `current_weight` wins and loses |T| * W;
    /// - with |T| = 1 nothing changes `current_weight`, which is the same as adding W to the one
    ///   peer and taking 1 * W back, so one pass does both cases.
    /// Then `checked` is refreshed as in the general port.
    /// - Precondition: `count >= 2 && nonPlainCount == 0 && uniformWeight != 0`.
    /// - Complexity: O(n): a (vectorised) minimum over the `conns` array, then one pass over
    ///   `conns` and `current_weight` with no per-peer eligibility tests.
    @inlinable
    mutating func leastConnUniformPick(nowSeconds t: Int64) -> Int {
        assert(count >= 2 && uniformWeight != 0 && nonPlainCount == 0 && countNonPlain() == 0)
        let weight = uniformWeight
        let best = conns.withUnsafeBufferPointer { c -> Int in
            currentWeight.withUnsafeMutableBufferPointer { w -> Int in
                var least = Int32.max
                for i in 0..<c.count { least = min(least, c[i]) }
                var best = 0
                var bestCurrent = Int.min
                var tied = 0
                for i in 0..<c.count {
                    let isTied = c[i] == least
                    let cw = w[i] &+ (isTied ? weight : 0)
                    w[i] = cw
                    tied &+= isTied ? 1 : 0
                    // Int.min for peers outside T: a tied peer's current_weight would have to
                    // have wrapped around to tie with it.
                    let key = isTied ? cw : Int.min
                    if key > bestCurrent {
                        bestCurrent = key
                        best = i
                    }
                }
                w[best] -= tied &* weight
                return best
            }
        }
        if t - peers[best].checked > peers[best].failTimeout { peers[best].checked = t }
        return best
    }
}
