/// The `costs:` section (prices of the resources a run holds) and the `plan:` section (what
/// `capsim plan` varies and which inputs are assumptions). Added to the scenario root by one
/// line in `ScenarioSchema.root`; decoded by `CostsConfig` and `PlanConfig`.
public enum CostsSchema {
    public static var sections: [Field] {
        [
            Field("costs", .object(costs), "Prices of the resources a run holds; every report then shows cost per hour by resource and cost per delivered order"),
            Field("plan", .object(plan), "Defaults for `capsim plan`: the inputs that are assumptions (for its sensitivity table)"),
        ]
    }

    static let price = SchemaType.number(min: 0)

    static let service = ObjectSchema("Price of one replica of a service", [
        Field("replica_hour", price, "Price per replica-hour (default: cores × costs.vcpu_hour)"),
    ])

    static let station = ObjectSchema("Price of one server of a queueing station", [
        Field("server_hour", price, required: true, "Price per server-hour"),
    ])

    static let costs = ObjectSchema("Resource prices, in `currency` per hour (or per GB)", [
        Field("currency", .string, required: true, "Currency code every price is in, e.g. USD"),
        Field("vcpu_hour", price, "Price per vCPU-hour; a service replica costs `cores` × this unless its replica_hour is given"),
        Field("services", .map(.object(service), keyDescription: "service"), "Per-service replica prices (order_service, location_service, matching_service)"),
        Field("shard_hour", price, "Price per database shard-hour (each of database.shards)"),
        Field("read_replica_hour", price, "Price per read-replica-hour (database.read_replicas in each region)"),
        Field("partition_hour", price, "Price per Kafka partition-hour (every topic's partitions, in each region's cluster)"),
        Field("broker_hour", price, "Price per Kafka broker-hour (brokers_per_region in each region)"),
        Field("brokers_per_region", .integer(min: 0, max: 10_000), default: "0", "Kafka brokers per region's cluster, priced at broker_hour"),
        Field("courier_hour", price, "Price per on-duty courier-hour (couriers.count)"),
        Field("cross_region_gb", price, "Price per GB of cross-region traffic"),
        Field("bytes_per_cross_region_call", .number(min: 0), "Assumed bytes per cross-region call, write or read (the model counts calls, not bytes); required with cross_region_gb"),
        Field("stations", .map(.object(station), keyDescription: "station"), "Queueing model: price per server-hour of each station"),
    ])

    static let plan = ObjectSchema("Options of `capsim plan`", [
        Field("vary", .array(.string), "Default --vary list: resources as path=LO..HI[:STEP] or path=v1,v2,... (services.<name>.replicas pins a pool's min and max)"),
        Field("demand", .string, "Default --demand: peak-hour demand range LO..HI, e.g. 8000/h..32000/h"),
        Field("steps", .integer(min: 1, max: 100), "Default --steps: demand levels from LO to HI"),
        Field("replications", .integer(min: 1, max: 1000), "Default --replications of `capsim plan`"),
        Field("assumptions", .array(.string), "Key paths of inputs that are assumptions (e.g. services.order_service.cpu.place_order, restaurants.prep_time, demand.orders_per_hour); `capsim plan` tables the answer with each at ±25 %"),
    ])
}
