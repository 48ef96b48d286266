import DequeModule
import Platform
import Scenario
import SimCore

/// Requests through the service pools: balancer (with sticky sessions), replica queues, CPU,
/// failures and retries, and each request type's stages until the client has its answer.
extension PlatformSimulation {
    func newRequest(_ r: Request) -> Int32 {
        if let i = freeRequests.popLast() { requests[Int(i)] = r; return i }
        requests.append(r)
        return Int32(requests.count - 1)
    }

    /// Sends a request through the pool's load balancer, or to its session's replica.
    func submit(_ q: Int32, pool p: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        requests[Int(q)].pool = Int32(p)
        let session = Int(requests[Int(q)].session)
        var chosen: Int?
        if session >= 0, !pool.sessionReplica.isEmpty, let r = pool.stickyReplica(session, now: s.now) {
            pool.stickyRouted += 1
            chosen = r
        } else {
            chosen = pool.choose(now: s.now, using: &lbRNG)
            pool.balancerRouted += 1
            if let r = chosen, session >= 0, !pool.sessionReplica.isEmpty { pool.bind(session, to: r, now: s.now) }
        }
        guard let r = chosen else {
            pool.failed += 1
            fail(q, timedOut: false, &s)
            return
        }
        pool.connectionOpened(r)
        requests[Int(q)].replica = Int32(r)
        if pool.replicas[r].state == .dead {
            // Routed to a crashed pod the health checks have not caught yet: no answer.
            s.schedule(after: pool.config.timeout, kind: Kind.requestFailed.rawValue, payload: UInt64(q))
            return
        }
        enqueue(q, pool, p, r, &s)
    }

    /// `pool` is `pools[p]`, passed down so the hot path reads the array once.
    func enqueue(_ q: Int32, _ pool: ServicePool, _ p: Int, _ r: Int, _ s: inout Scheduler) {
        requests[Int(q)].arrived = s.now
        requests[Int(q)].replica = Int32(r)
        if pool.replicas[r].busy < pool.cores {
            startCPU(q, pool, p, r, &s)
        } else {
            pool.replicas[r].queue.append(q)
            pool.queueChanged(1, s.now)
            if requests[Int(q)].kind.isClientCall {
                // The client's timeout runs while it waits: it gives up (and may retry) at
                // arrival + timeout, not when the replica would have reached it.
                queueTokens &+= 1
                requests[Int(q)].queued = true
                requests[Int(q)].token = queueTokens
                s.schedule(after: pool.timeout, kind: Kind.queueTimeout.rawValue, payload: UInt64(q) | UInt64(queueTokens) << 32)
            }
        }
    }

    func startCPU(_ q: Int32, _ pool: ServicePool, _ p: Int, _ r: Int, _ s: inout Scheduler) {
        pool.advance(s.now)
        pool.advanceReplica(r, s.now)
        pool.replicas[r].busy += 1
        pool.busyCores += 1
        let units = requests[Int(q)].units
        var d = pool.drawCPU(requests[Int(q)].kind.cpuType)
        // Saturating: a (clamped) extreme draw times many units must not trap the run.
        if units > 1 { d = d.multipliedReportingOverflow(by: SimTime(units)).overflow ? 1 << 62 : min(d * SimTime(units), 1 << 62) }
        s.schedule(after: d, kind: Kind.cpuDone.rawValue, target: UInt32(p), payload: UInt64(q))
    }

    func cpuDone(_ q: Int32, _ s: inout Scheduler) {
        let p = Int(requests[Int(q)].pool), r = Int(requests[Int(q)].replica)
        let pool = pools[p]
        if pool.replicas[r].state == .dead {
            lost(q, s.now, &s)
            return
        }
        pool.advance(s.now)
        pool.advanceReplica(r, s.now)
        pool.replicas[r].busy -= 1
        pool.busyCores -= 1
        while let next = pool.replicas[r].queue.popFirst() {
            pool.queueChanged(-1, s.now)
            requests[Int(next)].queued = false
            if requests[Int(next)].abandoned {
                freeRequests.append(next)
                continue
            }
            startCPU(next, pool, p, r, &s)
            break
        }
        pool.retireIfIdle(r, now: s.now)
        requests[Int(q)].stage = 1
        advance(q, &s)
    }

    /// A request on a pod that crashed: consumers put their record back, API calls time out.
    func lost(_ q: Int32, _ now: SimTime, _ s: inout Scheduler) {
        let req = requests[Int(q)]
        if req.kind.isConsumer {
            let t = topicIndex(pool: Int(req.pool))
            let isOrder = req.kind == .orderEvent
            kafka.putBack(t, KafkaTopic.Record(key: isOrder ? req.order : Int32(req.subject), orderID: isOrder ? req.subject : 0, longitude: req.longitude, latitude: req.latitude,
                                               producedAt: req.producedAt), Int(req.partition))
            freeRequests.append(q)
            dispatch(topic: t, Int(req.partition), &s)
        } else {
            let at = max(now, req.arrived + pools[Int(req.pool)].config.timeout)
            s.schedule(at: at, kind: Kind.requestFailed.rawValue, payload: UInt64(q))
        }
    }

    /// A client call still waiting in a replica queue `timeout` after it arrived: the client
    /// gives up now. The queued entry is marked abandoned (the replica drops it when it gets
    /// there) and a copy carries the failure, and the retry if any, on.
    func queueTimeout(_ q: Int32, token: UInt32, _ s: inout Scheduler) {
        guard requests[Int(q)].queued, requests[Int(q)].token == token, !requests[Int(q)].abandoned else { return }
        requests[Int(q)].abandoned = true
        pools[Int(requests[Int(q)].pool)].timeouts += 1
        var copy = requests[Int(q)]
        copy.queued = false
        copy.abandoned = false
        fail(newRequest(copy), timedOut: true, &s)
    }

    /// The call failed (timeout, no backend, dead pod): the client retries it through the
    /// balancer after a jittered exponential backoff while it has retries left, else gives up.
    func fail(_ q: Int32, timedOut: Bool, _ s: inout Scheduler) {
        let req = requests[Int(q)]
        let pool = pools[Int(req.pool)]
        if req.viaBalancer && req.replica >= 0 {
            pool.connectionClosed(Int(req.replica), failed: true, now: s.now)
            pool.replicas[Int(req.replica)].failedAt = s.now
        }
        if req.kind.isClientCall && Int(req.attempt) < pool.config.retries {
            // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, base·2^k).
            let cap = Double(pool.config.retryBackoff) * Double(1 << Int(req.attempt))
            requests[Int(q)].attempt += 1
            requests[Int(q)].replica = -1
            requests[Int(q)].stage = 0
            pool.retries += 1
            s.schedule(after: SimTime(retryStream.uniform() * cap), kind: Kind.submitRequest.rawValue, payload: UInt64(q))
            return
        }
        let c = Int(req.city)
        switch req.kind {
        case .placeOrder:
            let o = Int(req.order)
            orders[o].state = .failed
            rejected += 1
            cities[c].placeOrderFailed += 1
            releaseIfDone(o)
        case .menuView: cities[c].menuFailed += 1
        case .orderStatus: cities[c].statusFailed += 1
        case .orderHistory: cities[c].historyFailed += 1
        case .locationUpdate: cities[c].pingsFailed += 1
        case .matchBatch: cities[c].matchPending = false
        case .orderEvent, .locationConsume, .statusWrite: break
        }
        freeRequests.append(q)
    }

    /// The request's next step after its CPU (stage 1) and after each modelled latency.
    func advance(_ q: Int32, _ s: inout Scheduler) {
        let req = requests[Int(q)]
        let c = Int(req.city)
        let region = poolRegions[Int(req.pool)]
        switch req.kind {
        case .placeOrder:
            switch req.stage {
            case 1:
                // INSERT on the shard of hash(order_id), on the primary.
                requests[Int(q)].arrived = s.now
                database.insert(q, orderID: req.subject, &s)
            case 2:
                // acks=all: the leader waits for the slowest in-sync follower.
                let t = KafkaCluster.topic(region: region, orderEvents: true)
                requests[Int(q)].partition = Int32(kafka.partition(t, forKey: req.subject))
                requests[Int(q)].stage = 3
                requests[Int(q)].arrived = s.now
                s.schedule(after: kafka.acksAll(t), kind: Kind.stage.rawValue, payload: UInt64(q))
            default:
                let t = KafkaCluster.topic(region: region, orderEvents: true)
                if req.start >= warmup { produceAck.record(s.now - req.arrived) }
                let o = Int(req.order)
                orders[o].state = .pending
                orders[o].awaitingConsume = true
                orders[o].placedAt = s.now
                orders[o].readyAt = orders[o].tracedReady >= 0 ? max(orders[o].tracedReady, s.now)
                    : s.now + config.prepTime.sampleTime(cities[c].prepStream)
                placed += 1
                kafka.append(t, KafkaTopic.Record(key: req.order, orderID: req.subject, longitude: 0, latitude: 0, producedAt: s.now),
                             to: Int(req.partition), now: s.now)
                scheduleCancel(city: Int(orders[o].city), slot: o, &s)
                scheduleStatusRead(city: c, customer: req.session, orderID: req.subject, visibleAt: req.visibleAt, at: s.now + config.statusReadDelay, &s)
                finish(q, &s)
                dispatch(topic: t, Int(req.partition), &s)
            }
        case .menuView:
            let slot = pools[Int(req.pool)].replicas[Int(req.replica)].cacheSlot
            switch req.stage {
            case 1:
                let (hit, after) = caches.lookup(region: region, req.subject, slot: slot, request: Int(q), now: s.now)
                requests[Int(q)].stage = hit ? 4 : 2
                s.schedule(after: after, kind: Kind.stage.rawValue, payload: UInt64(q))
            case 2:
                if caches.resumeAfterL2(region: region, req.subject, slot: slot, now: s.now) {
                    finish(q, &s)
                } else {
                    requests[Int(q)].stage = 3
                    s.schedule(after: database.readTime(from: region, counted: req.start >= warmup), kind: Kind.stage.rawValue, payload: UInt64(q))
                }
            case 3:
                caches.complete(region: region, req.subject, slot: slot, now: s.now)
                finish(q, &s)
            default:
                finish(q, &s)
            }
        case .orderStatus:
            if req.stage == 1 {
                requests[Int(q)].stage = 2
                s.schedule(after: database.statusRead(region: region, visibleAt: req.visibleAt, now: s.now, counted: req.start >= warmup),
                           kind: Kind.stage.rawValue, payload: UInt64(q))
            } else {
                finish(q, &s)
            }
        case .orderHistory:
            if req.stage == 1 {
                requests[Int(q)].stage = 2
                s.schedule(after: database.historyQuery(region: region, s.now, counted: req.start >= warmup), kind: Kind.stage.rawValue, payload: UInt64(q))
            } else {
                finish(q, &s)
            }
        case .statusWrite:
            // Acknowledged to the writer: the customer's app reads the order after the delay.
            scheduleStatusRead(city: c, customer: req.session, orderID: req.subject, visibleAt: req.visibleAt, at: s.now + config.statusReadDelay, &s)
            freeRequests.append(q)
        case .locationUpdate:
            if req.stage == 1 {
                let t = KafkaCluster.topic(region: region, orderEvents: false)
                requests[Int(q)].partition = Int32(kafka.partition(t, forKey: req.subject))
                requests[Int(q)].stage = 2
                s.schedule(after: kafka.acksAll(t), kind: Kind.stage.rawValue, payload: UInt64(q))
            } else {
                let t = KafkaCluster.topic(region: region, orderEvents: false)
                // A ping record carries the time the position was taken (the ping's start).
                kafka.append(t, KafkaTopic.Record(key: Int32(req.subject), orderID: 0, longitude: req.longitude, latitude: req.latitude,
                                                    producedAt: req.start),
                                  to: Int(req.partition), now: s.now)
                finish(q, &s)
                dispatch(topic: t, Int(req.partition), &s)
            }
        case .locationConsume:
            let t = KafkaCluster.topic(region: region, orderEvents: false)
            kafka.commit(t, Int(req.partition), now: s.now)
            let k = req.subject
            // A ping of the courier who held this slot before the current shift is history,
            // and one taken during a trip does not make the courier matchable after it.
            if req.producedAt >= couriers[k].since {
                let pos = DispatchPosition(longitude: req.longitude, latitude: req.latitude)
                couriers[k].known = pos
                if !couriers[k].onTrip && req.producedAt >= couriers[k].idleSince {
                    let cc = Int(couriers[k].city)
                    _ = try? cities[cc].source.index.add(k, longitude: pos.longitude, latitude: pos.latitude)
                    couriers[k].indexed = true
                }
            }
            freeRequests.append(q)
            dispatch(topic: t, Int(req.partition), &s)
        case .orderEvent:
            let t = KafkaCluster.topic(region: region, orderEvents: true)
            kafka.commit(t, Int(req.partition), now: s.now)
            let o = Int(req.order)
            if orders[o].id != req.subject || !orders[o].awaitingConsume {
                duplicateConsumption += 1
            } else {
                orders[o].awaitingConsume = false
                if orders[o].state == .pending {
                    let oc = Int(orders[o].city)
                    cities[oc].open.append(o)
                    if config.matchingPolicy == .greedy { greedyMatch(oc, o, s.now, &s) }
                }
                releaseIfDone(o)
            }
            freeRequests.append(q)
            dispatch(topic: t, Int(req.partition), &s)
        case .matchBatch:
            cities[c].matchPending = false
            finish(q, &s)
            runMatching(c, s.now, &s)
        }
    }

    /// The answer reaches the client: latency (plus the round trip when a failover region serves).
    func finish(_ q: Int32, _ s: inout Scheduler) {
        let req = requests[Int(q)]
        let pool = pools[Int(req.pool)]
        if req.viaBalancer { pool.connectionClosed(Int(req.replica), failed: false, now: s.now) }
        let c = Int(req.city)
        let lat = s.now - req.start + servingRTT[c]
        if req.kind.rawValue < 5 { endpointSeries[c * 5 + Int(req.kind.rawValue)].record(lat, at: s.now) }
        if req.start >= warmup {
            if servingRTT[c] > 0 && req.kind.isClientCall { crossRegionCalls += 1 }
            switch req.kind {
            case .placeOrder: cities[c].placeOrder.record(lat)
            case .menuView: cities[c].menuView.record(lat)
            case .orderStatus: cities[c].orderStatus.record(lat)
            case .orderHistory: cities[c].orderHistory.record(lat)
            case .locationUpdate: cities[c].locationUpdate.record(lat)
            default: break
            }
        }
        freeRequests.append(q)
    }
}
