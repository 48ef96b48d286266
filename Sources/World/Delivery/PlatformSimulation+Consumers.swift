import Platform
import Scenario
import SimCore

/// The consuming pools' side of Kafka: offering a partition's head record to its owner
/// replica, putting back a record whose consumer crashed, and telling the group its members
/// when a pool's ready replicas change.
extension PlatformSimulation {
    /// Sends partition `part`'s head record of topic `t` to the replica that owns it, if the
    /// group may consume it and the owner is ready.
    func dispatch(topic t: Int, _ part: Int, _ s: inout Scheduler) {
        if config.consumer.batched { return poll(topic: t, part, &s) }
        guard let (record, r) = kafka.next(t, part) else { return }
        let region = t / 2
        let p = services.pool(region: region, service: t % 2 == 0 ? 2 : 1)
        let pool = services.pools[p]
        guard pool.replicas[r].state == .ready else { return }
        kafka.take(t, part)
        let kind: RequestKind = t % 2 == 0 ? .orderEvent : .locationConsume
        let q = services.newRequest(Request(kind: kind, city: Int32(region), pool: Int32(p), viaBalancer: false, start: s.now,
                                            subject: kind == .orderEvent ? record.orderID : Int(record.key), order: kind == .orderEvent ? record.key : -1,
                                            partition: Int32(part), longitude: record.longitude,
                                            latitude: record.latitude, producedAt: record.producedAt))
        services.enqueue(q, pool, p, r, &s)
    }

    /// A consumer's request on a pod that crashed: its record goes back to the head of its
    /// partition, which is offered again.
    func consumerLost(_ q: Int32, _ s: inout Scheduler) {
        let req = services.request(q)
        if req.kind.isBatch { return batchLost(q, &s) }
        let pool = services.pools[Int(req.pool)]
        let t = KafkaCluster.topic(region: pool.region, orderEvents: pool.service == 2)
        let isOrder = req.kind == .orderEvent
        kafka.putBack(t, KafkaTopic.Record(key: isOrder ? req.order : Int32(req.subject), orderID: isOrder ? req.subject : 0,
                                           longitude: req.longitude, latitude: req.latitude, producedAt: req.producedAt), Int(req.partition))
        services.release(q)
        dispatch(topic: t, Int(req.partition), &s)
    }

    func membershipChanged(_ p: Int, _ s: inout Scheduler) {
        let pool = services.pools[p]
        guard pool.service != 0 else { return }
        rebalance(topic: KafkaCluster.topic(region: pool.region, orderEvents: pool.service == 2), &s)
    }

    /// The group's members are the consuming pool's ready replicas (in id order).
    func rebalance(topic t: Int, _ s: inout Scheduler) {
        guard kafka.exists(t) else { return }
        let pool = services.pools[services.pool(region: t / 2, service: t % 2 == 0 ? 2 : 1)]
        var members: [Int] = []
        var waitingForCrashed = false
        for r in pool.replicas.indices {
            switch pool.replicas[r].state {
            case .ready: members.append(r)
            // A crashed member is in the group until its session times out: an eager
            // rebalance cannot finish before it has either rejoined or been expelled.
            case .dead: if pool.replicas[r].crashedAt + config.sessionTimeout > s.now { waitingForCrashed = true }
            case .starting, .terminating: break
            }
        }
        if s.now > 0 {
            measurements.mark(s.now, "rebalance", "\(t % 2 == 0 ? "order_events" : "location_updates")@\(config.regions[t / 2].name): rebalance, \(members.count) members")
        }
        // Stuck: the `consumerTimeout` of the crashed member starts the rebalance that completes.
        kafka.rebalance(t, members: members, waitingForCrashed: waitingForCrashed, &s)
    }
}
