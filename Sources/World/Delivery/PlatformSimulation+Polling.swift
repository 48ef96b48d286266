import Platform
import Scenario
import SimCore

/// Batched consumer polling (`kafka.consumer.batched`, `Kafka/KafkaConsumerBatch.swift`): the
/// consuming pools take a partition's records in polls of up to `max_poll_records`, one request
/// per poll whose CPU is `batch_cpu` plus each record's draw; the records stay at the head of
/// the partition until the poll's batch is done, then are applied in offset order (each ping
/// moves its courier in the geo index, each order opens for matching) and committed together.
/// Off, `dispatch` offers one record per request (`PlatformSimulation+Consumers`).
extension PlatformSimulation {
    /// Hands topic `t`'s partition `part` to its owner if the group may consume it, the owner is
    /// ready and the fetch answers now (`KafkaConsumerBatch.take`); `expired`: its fetch window
    /// just ended.
    func poll(topic t: Int, _ part: Int, expired: Bool = false, _ s: inout Scheduler) {
        guard let topic = kafka.topicObject(t), !topic.paused, !topic.inFlight[part], topic.owner[part] >= 0 else { return }
        let n = polling.take(t, part, available: topic.queues[part].count, assignment: topic.generation, expired: expired, &s)
        guard n > 0 else { return }
        let region = t / 2
        let p = services.pool(region: region, service: t % 2 == 0 ? 2 : 1)
        let pool = services.pools[p]
        let r = topic.owner[part]
        guard pool.replicas[r].state == .ready else { return }
        if loops.enabled, !loops.begin(p, r, topic: t, part, now: s.now) { return }
        polling.started(t, part, n)
        topic.inFlight[part] = true
        let q = services.newRequest(Request(kind: t % 2 == 0 ? .orderEventBatch : .locationBatch, city: Int32(region), pool: Int32(p),
                                            viaBalancer: false, start: s.now, subject: 0, partition: Int32(part), units: n))
        services.enqueue(q, pool, p, r, &s)
    }

    /// A fetch window ended (`KafkaConsumerBatch.Kind.fetchExpired`).
    func fetchExpired(_ e: Event, _ s: inout Scheduler) {
        guard let (t, part) = polling.expired(e) else { return }
        s.lp = LogicalProcess.region(t / 2)
        poll(topic: t, part, expired: true, &s)
    }

    /// The poll's batch `q` is processed: its records, in offset order, are applied and
    /// committed; the consumer polls again.
    func batchDone(_ q: Int32, _ s: inout Scheduler) {
        let req = services.request(q)
        let part = Int(req.partition)
        let region = services.region(ofPool: Int(req.pool))
        let orderEvents = req.kind == .orderEventBatch
        let t = KafkaCluster.topic(region: region, orderEvents: orderEvents)
        let topic = kafka.topicObject(t).unsafelyUnwrapped
        let n = polling.finished(t, part, now: s.now)
        topic.commit(part, count: n, now: s.now)
        if orderEvents {
            for _ in 0..<n {
                let record = topic.queues[part].removeFirst()
                let o = Int(record.key)
                if orders.consume(o, id: record.orderID) {
                    if orders[o].state == .pending {
                        let oc = Int(orders[o].city)
                        matching.open(city: oc, o)
                        if matching.isGreedy { greedyMatch(oc, o, s.now, &s) }
                    }
                    orders.releaseIfDone(o)
                }
            }
        } else {
            // The batch's moves into the geo index, in offset order (a courier's later ping
            // after its earlier one).
            for i in 0..<n {
                // The courier 8 records ahead starts loading (a hint: its slot is a cache miss).
                if i + 8 < n { couriers.prefetch(Int(topic.queues[part][8].key)) }
                let record = topic.queues[part].removeFirst()
                couriers.pingConsumed(Int(record.key), producedAt: record.producedAt, longitude: record.longitude, latitude: record.latitude)
            }
        }
        services.release(q)
        if loops.enabled { loopFreed(Int(req.pool), Int(req.replica), &s) }
        poll(topic: t, part, &s)
    }

    /// The poll's consumer crashed while processing batch `q`: nothing is committed, the
    /// records are still at the head of the partition, offered again.
    func batchLost(_ q: Int32, _ s: inout Scheduler) {
        let req = services.request(q)
        let part = Int(req.partition)
        let t = KafkaCluster.topic(region: services.region(ofPool: Int(req.pool)), orderEvents: req.kind == .orderEventBatch)
        polling.lost(t, part, now: s.now)
        kafka.topicObject(t).unsafelyUnwrapped.inFlight[part] = false
        services.release(q)
        if loops.enabled { loopFreed(Int(req.pool), Int(req.replica), &s) }
        poll(topic: t, part, &s)
    }

    /// The polls' counters in the report (only with `kafka.consumer.batched`).
    func reportPolling(into m: inout RunMetrics) {
        guard config.consumer.batched else { return }
        for t in polling.polls.indices where kafka.exists(t) {
            let label = "kafka.\(t % 2 == 0 ? "order_events" : "location_updates")@\(config.regions[t / 2].name)"
            let polls = polling.polls[t]
            m.counter("\(label).polls", Double(polls))
            m.counter("\(label).records_per_poll", polls == 0 ? 0 : Double(polling.polledRecords[t]) / Double(polls))
            m.counter("\(label).largest_poll", Double(polling.largestBatch[t]))
        }
    }
}
