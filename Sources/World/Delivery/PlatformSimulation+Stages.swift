import Platform
import Scenario
import SimCore

/// Each request type's steps between its CPU and its answer: the wiring of the services to
/// the database, the caches, Kafka, the orders, the couriers and matching. `Services` says
/// when a step is due (`.stage`), the components below do the work, `Services.next` and
/// `Services.finish` move the request on.
extension PlatformSimulation {
    /// The request's next step after its CPU (stage 1) and after each modelled latency.
    func advance(_ q: Int32, _ s: inout Scheduler) {
        let req = services.request(q)
        let c = Int(req.city)
        let region = services.region(ofPool: Int(req.pool))
        switch req.kind {
        case .placeOrder:
            switch req.stage {
            case 1:
                // INSERT on the shard of hash(order_id), on the primary (across regions: a message).
                write(q, from: region, &s)
            case 2:
                // acks=all: the leader waits for the slowest in-sync follower.
                let t = KafkaCluster.topic(region: region, orderEvents: true)
                let part = kafka.partition(t, forKey: req.subject)
                services.setPartition(q, part)
                services.setArrived(q, s.now)
                services.next(q, stage: 3, after: kafka.hasBrokers(region: region) ? kafka.send(t, part, request: q, now: s.now) : kafka.acksAll(t), &s)
            default:
                let t = KafkaCluster.topic(region: region, orderEvents: true)
                if kafka.hasBrokers(region: region), !produceAcknowledged(q, t, Int(req.partition), stage: 3, &s) { return }
                stages.charge(q, .kafka, at: s.now)
                measurements.produced(start: req.start, s.now - req.arrived)
                let o = Int(req.order)
                let traced = orders[o].tracedReady
                orders.place(o, now: s.now, readyAt: traced >= 0 ? max(traced, s.now)
                                                                   : demand.readyTime(city: Int(orders[o].city), restaurant: Int(orders[o].restaurant), now: s.now))
                kafka.append(t, KafkaTopic.Record(key: req.order, orderID: req.subject, longitude: 0, latitude: 0, producedAt: s.now),
                             to: Int(req.partition), now: s.now)
                matching.scheduleCancel(city: Int(orders[o].city), slot: o, &s)
                scheduleStatusRead(city: c, customer: req.session, orderID: req.subject, visibleAt: req.visibleAt, at: s.now + config.statusReadDelay, &s)
                services.finish(q, s.now)
                dispatch(topic: t, Int(req.partition), &s)
            }
        case .menuView:
            let slot = services.cacheSlot(of: q)
            if req.stage == 2 || req.stage == 4 { stages.charge(q, .cache, at: s.now) }
            switch req.stage {
            case 1:
                let (hit, after) = caches.lookup(region: region, req.subject, slot: slot, request: Int(q), now: s.now)
                services.next(q, stage: hit ? 4 : 2, after: after, &s)
            case 2:
                if caches.resumeAfterL2(region: region, req.subject, slot: slot, now: s.now) {
                    services.finish(q, s.now)
                } else {
                    let after = database.menuRead(from: region, key: req.subject, now: s.now, counted: req.start >= warmup)
                    chargeRead(q, after, s.now)
                    services.next(q, stage: 3, after: after, &s)
                }
            case 3:
                caches.complete(region: region, req.subject, slot: slot, now: s.now)
                services.finish(q, s.now)
            default:
                services.finish(q, s.now)
            }
        case .orderStatus:
            if req.stage == 1 {
                let after = database.statusRead(region: region, orderID: req.subject, visibleAt: req.visibleAt, now: s.now, counted: req.start >= warmup)
                chargeRead(q, after, s.now)
                services.next(q, stage: 2, after: after, &s)
            } else {
                services.finish(q, s.now)
            }
        case .orderHistory:
            if req.stage == 1 {
                let after = database.historyQuery(region: region, customer: req.subject, s.now, counted: req.start >= warmup)
                chargeRead(q, after, s.now)
                services.next(q, stage: 2, after: after, &s)
            } else {
                services.finish(q, s.now)
            }
        case .statusWrite:
            // Acknowledged to the writer: the customer's app reads the order after the delay.
            scheduleStatusRead(city: c, customer: req.session, orderID: req.subject, visibleAt: req.visibleAt, at: s.now + config.statusReadDelay, &s)
            services.release(q)
        case .locationUpdate:
            let t = KafkaCluster.topic(region: region, orderEvents: false)
            if req.stage == 1 {
                let part = kafka.partition(t, forKey: req.subject)
                services.setPartition(q, part)
                services.next(q, stage: 2, after: kafka.hasBrokers(region: region) ? kafka.send(t, part, request: q, now: s.now) : kafka.acksAll(t), &s)
            } else {
                if kafka.hasBrokers(region: region), !produceAcknowledged(q, t, Int(req.partition), stage: 2, &s) { return }
                stages.charge(q, .kafka, at: s.now)
                // A ping record carries the time the position was taken (the ping's start).
                kafka.append(t, KafkaTopic.Record(key: Int32(req.subject), orderID: 0, longitude: req.longitude, latitude: req.latitude,
                                                  producedAt: req.start), to: Int(req.partition), now: s.now)
                services.finish(q, s.now)
                dispatch(topic: t, Int(req.partition), &s)
            }
        case .locationConsume:
            let t = KafkaCluster.topic(region: region, orderEvents: false)
            kafka.commit(t, Int(req.partition), now: s.now)
            couriers.pingConsumed(req.subject, producedAt: req.producedAt, longitude: req.longitude, latitude: req.latitude)
            services.release(q)
            dispatch(topic: t, Int(req.partition), &s)
        case .orderEvent:
            let t = KafkaCluster.topic(region: region, orderEvents: true)
            kafka.commit(t, Int(req.partition), now: s.now)
            let o = Int(req.order)
            if orders.consume(o, id: req.subject) {
                if orders[o].state == .pending {
                    let oc = Int(orders[o].city)
                    matching.open(city: oc, o)
                    if matching.isGreedy { greedyMatch(oc, o, s.now, &s) }
                }
                orders.releaseIfDone(o)
            }
            services.release(q)
            dispatch(topic: t, Int(req.partition), &s)
        case .locationBatch, .orderEventBatch:
            batchStep(q, &s)
        case .matchBatch:
            matching.batchEnded(city: c)
            services.finish(q, s.now)
            runMatching(c, s.now, part: Int(req.partition), &s)
        }
    }
}

extension PlatformSimulation {
    /// Where each client call's time goes (`Measurements.stages`).
    var stages: StageClock { measurements.stages }

    /// Request `q`'s database read, issued at `now` and answered after `after`: its
    /// cross-region trip, its wait for a core and its service, as the database just served it.
    @inline(__always) func chargeRead(_ q: Int32, _ after: SimTime, _ now: SimTime) {
        let split = database.lastRead
        stages.chargeRead(q, now: now, total: after, trip: split.trip, wait: split.wait)
    }
}
