/// The version of the world model's behaviour, written into every report
/// (`model_version`) so that `capsim check` and `capsim compare` can tell a model change from
/// a regression.
///
/// Rule: bump `current` in the same commit as any change that alters what a bundled
/// scenario measures for the same seed (an event's timing or order, a distribution, a new
/// random draw, a routing or scaling decision). Changes that only add report output (a new
/// series, a new finding's wording) leave it alone.
public enum ModelVersion {
    /// 1: the first versioned model (per-interval level series, latency series, markers).
    /// 2: regions as logical processes (issue 10 step 2): one `lb`, `retries`, `db`,
    ///    `cache` and `kafka` stream per region (`name.<region>`, `replication.<primary>`), and
    ///    whatever crosses regions goes through `CrossRegionChannel`: a write from another
    ///    region reaches the primary one one-way trip after it is sent and only then takes a
    ///    shard connection; a down region's calls reach their failover region one one-way trip
    ///    later (their latency still counts the full round trip).
    ///    Also (issue 11): couriers draw pings and shifts from one stream per region
    ///    (`pings.<region>`, `shifts.<region>`); the bundled baseline's popularity (zipf 0.7), prep
    ///    time (gamma shape 4) and warm-up (30 min) are recalibrated.
    /// 3: (issue 17) a call a mid-run `region_outage` moved crosses to the failover region
    ///    through `CrossRegionChannel` (one one-way trip out, then the way back at the answer),
    ///    as a `down` region's calls do, instead of reaching the failover pool at once and
    ///    adding the round trip at the end; and a `down` region's calls count one round trip
    ///    again (the merge of models 2 and the fault schedule had them pay one and a half).
    ///    Changes region-outage*.yaml, retry-storm*.yaml and lost-region.yaml; the baseline and
    ///    the other bundled scenarios are unchanged.
    ///    And (issue 13) scenarios/national-day.yaml polls Kafka in batches (`kafka.consumer`): its
    ///    consumers take up to 500 records per poll, answered at 160 records or 500 ms, so
    ///    records wait longer before they are consumed (lag, matching delay). No other bundled
    ///    scenario changes (batching is off by default; the expanding geo search and the paged
    ///    session tables give the same results).
    /// 4: (issue 11) scenarios/national-day.yaml places us_east's and us_west's restaurants,
    ///    customers and couriers in metro discs (`regions.<r>.metros`: the largest urban areas
    ///    by population and land area) instead of one uniform disc per region; every position
    ///    of those regions, and so every trip, match and latency downstream, changes; and its
    ///    couriers.count is 41,600 (was 32,800; NYC DCWP's ~60 % utilisation). The what-ifs
    ///    that extend it (whatif/national-day-capacity.yaml, national-day-matching.yaml) change
    ///    with it. No other bundled scenario changes (no metros: the same two draws per
    ///    position as before; the uniform national-day slice's report.json is byte-identical).
    ///    Each of national-day's metros (Phoenix aside) then holds a dense core (`core_share`,
    ///    `core_radius`: its principal city, 2010 Census), which moves its positions again;
    ///    metros without a core make the same draws as before.
    /// 5: (issue 11) every multi-region platform scenario's report adds the order latencies per
    ///    region (`click_to_door@<region>`, `matching_delay@<region>`,
    ///    `courier.wait_for_food@<region>` in latency_ms; the global keys are unchanged): the
    ///    baseline, national-day and every what-if extending them (not validation/mmc.yaml). No
    ///    figure of the global keys changes.
    ///    And scenarios/national-day.yaml (with the what-ifs extending it) turns on expanding-radius
    ///    dispatch (`matching.expand`: an order unmatched a minute after its offer is offered
    ///    within 5.4 km, after two within 8.1 km; the hold's travel estimate looks as far), and
    ///    under the dispatch hold a released order now stays released until matched (before, a
    ///    nearer courier appearing held it back again, its matching delay running): every match,
    ///    trip and latency downstream of national-day's dispatch changes. No other bundled
    ///    scenario uses the hold or the expansion. national-day's eu_west (the UK and Ireland)
    ///    is placed in its ten largest urban areas (`metros`) instead of one uniform disc.
    ///    And (issue 13) scenarios/national-day.yaml sets `parallel_regions: true`: each region runs
    ///    as its own instance with its own event queue, in windows of the lookahead
    ///    (Regions/README.md). Its report and whatif/national-day-io-consumers*.yaml's (which
    ///    extend it) change in detail: equal-time events break ties per region, order ids are
    ///    numbered per region (so shard and partition counts move), and the primary's database
    ///    and replication-lag draws come in its own order; each city's order arrivals are the
    ///    same. whatif/national-day-capacity.yaml (and the what-ifs extending it) set it back to
    ///    false (transactions are not messages yet) and do not change; no other bundled scenario
    ///    changes (the key defaults to false).
    /// 6: (issue 11) scenarios/national-day.yaml (and the what-ifs extending it) sets the
    ///    dispatch hold's bundle and offer rules: `matching.dispatch_hold.bundling: oldest_first`
    ///    (the oldest order of a bundle is handed over first; a younger one joins only if its
    ///    food is ready no later and its click-to-door stays within the oldest's) and
    ///    `offer_to_estimate: true` (a released order is offered at once as far as the courier
    ///    the hold timed it for). Every match, trip and order latency downstream of its dispatch
    ///    changes (click_to_door, matching_delay, courier.wait_for_food and their per-region
    ///    keys, couriers' utilisation, status writes and reads); demand and the services' request
    ///    counts before matching do not. No other bundled scenario uses the hold (both keys are
    ///    off by default and only act with it).
    /// 7: (issue 11) scenarios/national-day.yaml (and the what-ifs extending it) sets
    ///    `matching.split: by_cell`: each city's batch run is split by geohash cell into one
    ///    matching_service request per ready replica (before: one request per city, which at
    ///    the full-scale us_east peak outlasted the 30 s interval). Every match, trip and order
    ///    latency downstream of its dispatch changes, and matching_service's requests and CPU
    ///    per request. whatif/national-day-matching.yaml now sets `split: none` (it set
    ///    `by_cell` before): its figures are those national-day-capacity.yaml gave under
    ///    version 6. No other bundled scenario changes (the key defaults to none).
    public static let current = 7
}
