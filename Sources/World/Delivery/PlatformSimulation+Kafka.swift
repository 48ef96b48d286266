import DequeModule
import Platform
import Scenario
import SimCore

/// Kafka consumer groups: dispatching records to the partition owners, rebalances.

extension PlatformSimulation {
    // MARK: Kafka consumers

    func dispatch(topic t: Int, _ part: Int, _ s: inout Scheduler) {
        guard let topic = topics[t], !topic.paused, !topic.inFlight[part], topic.owner[part] >= 0,
              let record = topic.queues[part].first else { return }
        let region = t / 2
        let p = poolOf[region][t % 2 == 0 ? 2 : 1]
        let r = topic.owner[part]
        guard pools[p].replicas[r].state == .ready else { return }
        topic.queues[part].removeFirst()
        topic.inFlight[part] = true
        let kind: RequestKind = t % 2 == 0 ? .orderEvent : .locationConsume
        let q = newRequest(Request(kind: kind, city: Int32(region), pool: Int32(p), viaBalancer: false, start: s.now,
                                   subject: kind == .orderEvent ? record.orderID : Int(record.key), order: kind == .orderEvent ? record.key : -1,
                                   partition: Int32(part), longitude: record.longitude,
                                   latitude: record.latitude, producedAt: record.producedAt))
        enqueue(q, pools[p], p, r, &s)
    }

    func membershipChanged(_ p: Int, _ s: inout Scheduler) {
        let pool = pools[p]
        guard pool.service != 0 else { return }
        rebalance(topic: pool.region * 2 + (pool.service == 2 ? 0 : 1), &s)
    }

    func rebalance(topic t: Int, _ s: inout Scheduler) {
        guard let topic = topics[t] else { return }
        let pool = pools[poolOf[t / 2][t % 2 == 0 ? 2 : 1]]
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
        let gen = topic.beginRebalance(members: members, now: s.now)
        // Stuck: the `consumerTimeout` of the crashed member starts the rebalance that completes.
        guard !waitingForCrashed else { return }
        s.schedule(after: s.now == 0 ? 0 : config.rebalancePause, kind: Kind.rebalanceDone.rawValue, target: UInt32(t), payload: gen)
    }
}
