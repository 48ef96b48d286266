import Platform
import Scenario
import SimCore

/// Kafka: each up region's `order_events` and `location_updates` topics with their consumer
/// groups (see README.md in this folder). Owns the topics, the `kafka.<region>` random streams (acks=all
/// latencies) and the rebalance events.
///
/// Topic index `t = region * 2 + (0 order_events, 1 location_updates)`. The component does not
/// know the consuming pools: the caller names the group's members on a membership change and
/// asks for the next record of a partition; it hands out records, it does not process them.
final class KafkaCluster {
    enum Kind: UInt32 { case rebalanceDone, brokerDetected, isrShrink }

    /// nil for a region that is down.
    private let topics: [KafkaTopic?]
    /// One `kafka.<region>` stream per region: a topic's draws come from its own region's.
    private let streams: [RandomStream]
    /// Non-owning handles of `streams` and each topic's replication factor: acks=all runs once
    /// per produced record, without retaining a stream or a topic.
    private let handles: [RandomHandle]
    private let replications: [Int]
    private let produceLatency: Distribution
    /// Per region, its acks=all draws computed ahead by a waiting thread (`drawAhead`), or nil.
    private var ahead: [PrefetchedDraws.Handle?] = []
    private var aheadBuffers: [PrefetchedDraws] = []
    private let rebalancePause: SimTime
    /// Per region, its brokers (`kafka.brokers`), nil without them or for a region that is down.
    let brokers: [KafkaBrokers?]

    init(config: PlatformConfig, seeder: StreamSeeder, series: SimTime) {
        let streams = config.regions.map { seeder.stream("kafka.\($0.name)") }
        self.streams = streams
        handles = streams.map(\.handle)
        produceLatency = config.produceLatency
        rebalancePause = config.rebalancePause
        var topics: [KafkaTopic?] = []
        for region in config.regions {
            if region.down {
                topics.append(nil); topics.append(nil)
            } else {
                topics.append(KafkaTopic(name: "order_events", partitions: config.orderEvents.partitions,
                                         replication: config.orderEvents.replication, series: series))
                topics.append(KafkaTopic(name: "location_updates", partitions: config.locationUpdates.partitions,
                                         replication: config.locationUpdates.replication, series: series))
            }
        }
        self.topics = topics
        replications = topics.map { $0?.replication ?? 0 }
        brokers = config.regions.map { region in
            config.kafkaBrokers.flatMap { region.down ? nil : KafkaBrokers(settings: $0, orderEvents: config.orderEvents, locationUpdates: config.locationUpdates) }
        }
    }

    /// Topic `t` itself (nil for a down region's), for batched polling
    /// (`PlatformSimulation+Polling`), which leaves a batch's records at the head until commit.
    func topicObject(_ t: Int) -> KafkaTopic? { topics[t] }

    /// The topic index of `region`'s order_events (`orderEvents`) or location_updates.
    @inline(__always) static func topic(region: Int, orderEvents: Bool) -> Int { region * 2 + (orderEvents ? 0 : 1) }

    func exists(_ t: Int) -> Bool { topics[t] != nil }
    func partitions(_ t: Int) -> Int { topics[t]?.partitions ?? 0 }
    /// Topic `t`'s consumer-group lag: records produced and not yet committed, over all
    /// partitions (what kafka_exporter's `kafka_consumergroup_lag` sums); nil without the topic.
    func consumerLag(_ t: Int) -> Int? { topics[t]?.lag }

    /// The partition of a record keyed by `key` (Kafka's key partitioner).
    @inline(__always) func partition(_ t: Int, forKey key: Int) -> Int { withTopic(t) { $0.partition(forKey: key) } }

    /// Runs `body` with up topic `t` borrowed, not retained: a retain and release per produced
    /// or consumed record were among the largest ARC costs in `perf` (national-day slice). The
    /// topics live as long as the cluster (`topics` is a `let`).
    @inline(__always) private func withTopic<R>(_ t: Int, _ body: (KafkaTopic) throws -> R) rethrows -> R {
        try Unmanaged.passUnretained(topics[t].unsafelyUnwrapped)._withUnsafeGuaranteedRef(body)
    }

    /// acks=all: the leader's append plus the slowest of (replication - 1) follower fetches.
    func acksAll(_ t: Int) -> SimTime {
        if !ahead.isEmpty, let a = ahead[t / 2] { return a.next() }
        // The slowest of `replication` draws, as that many separate draws would give.
        return produceLatency.sampleMaxTime(handles[t / 2], count: max(1, replications[t]))
    }

    /// From now on region `r`'s acks=all draws come through a ring `prefetcher` fills, where the
    /// draws are one law: no brokers (whose leader-only appends draw from the same
    /// `kafka.<region>` stream) and both topics of one replication factor. Returns whether it did.
    @discardableResult
    func drawAhead(region r: Int, _ prefetcher: DrawPrefetcher) -> Bool {
        let t = KafkaCluster.topic(region: r, orderEvents: true)
        guard brokers[r] == nil, exists(t), exists(t + 1), replications[t] == replications[t + 1] else { return false }
        if ahead.isEmpty { ahead = Array(repeating: nil, count: handles.count) }
        let law = produceLatency, handle = handles[r], n = max(1, replications[t])
        let b = prefetcher.buffer { law.sampleMaxTime(handle, count: n) }
        aheadBuffers.append(b)
        ahead[r] = b.handle
        return true
    }

    /// acks=1: the leader's append alone.
    func leaderAppend(_ t: Int) -> SimTime { produceLatency.sampleTime(handles[t / 2]) }

    /// The record is acknowledged: appended to partition `p`, visible to the group.
    @inline(__always) func append(_ t: Int, _ record: KafkaTopic.Record, to p: Int, now: SimTime) {
        withTopic(t) { $0.append(record, to: p, now: now) }
    }

    /// The head record of partition `p` and the member that owns it, if the group may consume
    /// it now (not paused, nothing of that partition in processing, an owner assigned).
    @inline(__always) func next(_ t: Int, _ p: Int) -> (record: KafkaTopic.Record, owner: Int)? {
        guard let topic = topics[t], !topic.paused, !topic.inFlight[p], topic.owner[p] >= 0,
              let record = topic.queues[p].first else { return nil }
        return (record, topic.owner[p])
    }

    /// The owner took the head record returned by `next`: it is in processing.
    @inline(__always) func take(_ t: Int, _ p: Int) {
        withTopic(t) { topic in
            topic.queues[p].removeFirst()
            topic.inFlight[p] = true
        }
    }

    /// The record in processing on partition `p` is done (its offset committed).
    @inline(__always) func commit(_ t: Int, _ p: Int, now: SimTime) { withTopic(t) { $0.commit(p, now: now) } }

    /// The record's consumer crashed: it goes back to the head of its partition.
    func putBack(_ t: Int, _ record: KafkaTopic.Record, _ p: Int) { topics[t].unsafelyUnwrapped.putBack(record, p) }

    /// Membership changed to `members` (ready consumer replicas, in id order): revoke every
    /// partition and pause for `rebalance_pause` (none at t = 0). A group still waiting for a
    /// crashed member's session to time out stays paused (the timeout starts the next one).
    func rebalance(_ t: Int, members: [Int], waitingForCrashed: Bool, _ s: inout Scheduler) {
        guard let topic = topics[t] else { return }
        let gen = topic.beginRebalance(members: members, now: s.now)
        guard !waitingForCrashed else { return }
        s.schedule(after: s.now == 0 ? 0 : rebalancePause, kind: ComponentID.kafka.kind(Kind.rebalanceDone.rawValue),
                   target: UInt32(t), payload: gen)
    }

    /// One of this component's events. Returns the topic whose partitions were just assigned
    /// (the caller offers each partition's head record to its owner), or nil.
    func handle(_ e: Event, _ now: SimTime) -> Int? {
        switch Kind(rawValue: e.kind & 0xFF).unsafelyUnwrapped {
        case .rebalanceDone:
            let t = Int(e.target)
            if let topic = topics[t], topic.endRebalance(e.payload, now: now) { return t }
            return nil
        case .brokerDetected:
            brokers[Int(e.target)]?.detect(Int(e.payload & 0xFFFF), generation: e.payload >> 16, now: now)
            return nil
        case .isrShrink:
            brokers[Int(e.target)]?.shrink(Int(e.payload & 0xFFFF), generation: e.payload >> 16)
            return nil
        }
    }

    /// The warm-up is over: lag statistics restart.
    func warmupEnded(_ now: SimTime) {
        for case let topic? in topics { topic.resetLagStatistics(at: now) }
    }
}

// MARK: metrics

extension KafkaCluster {
    func report(into m: inout RunMetrics, regions: [PlatformConfig.Region], at now: SimTime) {
        for (t, topic) in topics.enumerated() {
            guard let topic else { continue }
            let label = "kafka.\(topic.name)@\(regions[t / 2].name)"
            m.gauge("\(label).lag", mean: topic.lagGauge.mean(until: now), max: topic.lagGauge.max, unit: "records")
            m.counter("\(label).max_partition_lag", Double(topic.maxPartitionLag.max() ?? 0))
            m.counter("\(label).rebalances", Double(topic.rebalances))
            m.counter("\(label).max_consumers", Double(topic.maxMembers))
            m.counter("\(label).produced", Double(topic.produced.reduce(0, +)))
            m.counter("\(label).paused_seconds", SimUnit.seconds(topic.pausedTime))
            MetricsFormat.addLevels(&m, "\(label).lag", unit: "records", &topic.lagSeries, at: now, extreme: "max")
            let width = String(topic.partitions - 1).count
            for p in 0..<topic.partitions {
                let id = String(repeating: "0", count: width - String(p).count) + String(p)
                m.gauge("\(label).partition.\(id).lag", mean: topic.meanLag(p, until: now), max: Double(topic.maxPartitionLag[p]), unit: "records")
            }
        }
    }

    /// No committed offset beyond the produced ones, on any partition.
    var offsetsWithinProduced: Bool {
        for case let topic? in topics { for p in 0..<topic.partitions where topic.consumed[p] > topic.produced[p] { return false } }
        return true
    }

    func findCappedConsumers(_ m: inout RunMetrics, regions: [PlatformConfig.Region]) {
        for (t, topic) in topics.enumerated() {
            guard let topic, topic.maxMembers > topic.partitions else { continue }
            let svc = t % 2 == 0 ? "matching_service" : "location_service"
            m.findings.append(("warning", "consumers_capped_by_partitions",
                               "\(svc)@\(regions[t / 2].name) reached \(topic.maxMembers) consumers for the \(topic.partitions) partitions of \(topic.name): \(topic.maxMembers - topic.partitions) sit idle; more replicas add no consuming capacity"))
        }
    }

    func findPartitionSkew(_ m: inout RunMetrics, regions: [PlatformConfig.Region]) {
        for (t, topic) in topics.enumerated() {
            guard let topic else { continue }
            let total = topic.produced.reduce(0, +)
            let mean = Double(total) / Double(topic.partitions)
            let mx = Double(topic.produced.max() ?? 0)
            if mean >= 20, mx / mean > 1.5 {
                m.findings.append(("info", "partition_skew", "\(topic.name)@\(regions[t / 2].name): busiest partition \(Int(mx)) records, \(MetricsFormat.fmt(mx / mean))× the mean \(MetricsFormat.fmt(mean))"))
            }
        }
    }

    func findStalls(_ m: inout RunMetrics, regions: [PlatformConfig.Region], sessionTimeout: SimTime) {
        for (t, topic) in topics.enumerated() {
            guard let topic, topic.pausedTime > 0 else { continue }
            m.findings.append(("info", "consumer_stall",
                               "\(topic.name)@\(regions[t / 2].name): the consumer group was paused \(MetricsFormat.fmt(SimUnit.seconds(topic.pausedTime))) s in \(topic.rebalances) rebalances (pause \(MetricsFormat.fmt(SimUnit.seconds(rebalancePause))) s; a crashed consumer is expelled after \(MetricsFormat.fmt(SimUnit.seconds(sessionTimeout))) s); the largest partition lag was \(topic.maxPartitionLag.max() ?? 0) records"))
        }
    }
}
