/// The fault schedule (`faults:`) and what protects a service (`services.<name>.circuit_breaker`,
/// `retry_budget`, `limit_req`), decoded by `PlatformConfig.decodeFaults` and `decodeProtection`.
extension PlatformSchema {
    static let serviceNames = ["order_service", "location_service", "matching_service"]

    /// One fault. Which keys a kind needs is checked by the decoder (one schema for every
    /// kind keeps the list a plain list): `replica_crash` needs `service` and either `at`
    /// (with `region`, `count`) or `rate`; `region_outage` needs `region` and `at`;
    /// `db_primary_failure` needs `shard` and `at`; `region_partition` needs `regions`, `at`, `for`.
    static let fault = ObjectSchema("One fault of the schedule", [
        Field("kind", .enumeration(["replica_crash", "region_outage", "db_primary_failure", "region_partition", "broker_loss", "redis_node_loss"]), required: true,
              "replica_crash: pods of one service crash (at a time, or at a rate); region_outage: a region's services become unreachable; db_primary_failure: an orders shard's primary is lost and a standby promoted; region_partition: messages between two regions cannot cross; broker_loss: Kafka brokers stop (needs kafka.brokers); redis_node_loss: L2 Redis nodes stop and come back empty (needs cache.l2.nodes)"),
        Field("region", .string, "Where: the region (replica_crash with `at`, region_outage)"),
        Field("service", .enumeration(serviceNames), "Where: the service (replica_crash)"),
        Field("at", .duration, "When the fault starts"),
        Field("for", .positiveDuration(), default: .derived("until the end of the run"), "How long it lasts (region_outage)"),
        Field("count", .integer(min: 1, max: 100_000), default: "1", "Replicas that crash (lowest live ids first; replica_crash with `at`)"),
        Field("rate", .rate, "Crash rate of one replica, e.g. 0.1/h, in every region for the whole run (replica_crash without `at`)"),
        Field("detection", .enumeration(["health_check", "dns"]), default: "health_check",
              "How clients leave a failed region: health_check (a global balancer moves every client when `fall` probes `check_interval` apart have failed); dns (the same checks change the DNS answer, each client moves when its cached answer expires, within `dns_ttl`)"),
        Field("check_interval", .duration(min: "1s"), default: "10s", "Between health-check probes of a region (Route 53 fast interval: 10 s)"),
        Field("fall", .integer(min: 1, max: 10), default: "3", "Failed probes before a region is out, passed probes before it is back (Route 53 failure threshold default: 3)"),
        Field("dns_ttl", .duration, default: "60s", "TTL of the region's DNS record (Route 53 recommends 60 s or less for health-checked records)"),
        Field("shard", .integer(min: 0, max: 4095), "Which orders shard loses its primary (db_primary_failure; 0 … database.shards − 1)"),
        Field("promotion", .duration, default: "10s",
              "db_primary_failure: from detection (the leader key expired: `fall` × `check_interval` = Patroni's ttl 30 s with loop_wait 10 s) to the promoted standby accepting writes (assumption: one Patroni loop_wait for the race and pg_ctl promote)"),
        Field("writes", .enumeration(["wait", "fail"]), default: "wait",
              "db_primary_failure: what writes to the shard do until the promotion: wait (the app reconnects and writes them on the new primary) or fail (the client sees an error, retries, gives up)"),
        Field("regions", .array(.string), "The two regions a region_partition cuts apart, e.g. [us_east, eu_west]"),
        Field("timeout", .duration(min: "1ms"), default: "5s",
              "region_partition: a message that cannot cross fails this long after it was sent, unless the partition heals first (assumption: services' default client timeout)"),
        Field("broker", .integer(min: 0, max: 999), default: "0", "broker_loss: the first broker id lost (`count` brokers from it)"),
        Field("node", .integer(min: 0, max: 999), default: "0", "redis_node_loss: the first L2 node lost (`count` nodes from it)"),
    ])

    /// resilience4j CircuitBreakerConfig, COUNT_BASED window (its defaults).
    static let circuitBreaker = ObjectSchema("Circuit breaker (resilience4j CircuitBreakerConfig, count-based window)", [
        Field("failure_rate", .percentage, required: true, "Failure rate in the window at or above which the breaker opens (failureRateThreshold, resilience4j default 50)"),
        Field("window", .integer(min: 1, max: 100_000), default: "100", "Calls in the sliding window (slidingWindowSize)"),
        Field("minimum_calls", .integer(min: 1, max: 100_000), default: "100", "Calls before the rate counts (minimumNumberOfCalls)"),
        Field("wait", .duration(min: "1ms"), default: "60s", "Open this long before trial calls (waitDurationInOpenState)"),
        Field("half_open_calls", .integer(min: 1, max: 100_000), default: "10", "Trial calls in the half-open state (permittedNumberOfCallsInHalfOpenState)"),
    ])

    /// Finagle RetryBudget(ttl, minRetriesPerSec, percentCanRetry).
    static let retryBudget = ObjectSchema("Retry budget (Finagle RetryBudget)", [
        Field("percent", .percentage, required: true, "Retries allowed as a share of requests (percentCanRetry; Finagle default 20 %)"),
        Field("min_per_second", .integer(min: 0, max: 1_000_000), default: "10", "Retries always allowed per second (minRetriesPerSec)"),
        Field("ttl", .duration(min: "1s", max: "60s"), default: "10s", "How long a request's deposit counts (ttl)"),
    ])

    /// NGINX `limit_req zone=... rate=...; limit_req ... burst=N nodelay;`.
    static let limitReq = ObjectSchema("Rate limit at the balancer (NGINX limit_req with nodelay)", [
        Field("rate", .rate, required: true, "Requests per second (or minute) the pool's balancer passes, e.g. 500/s"),
        Field("burst", .integer(min: 0, max: 10_000_000), default: "0", "Requests above the rate passed at once before refusals start (burst=)"),
    ])
}
