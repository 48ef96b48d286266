/// The queueing-network model's section.
public enum QueueingSchema {
    static let arrival = ObjectSchema("An external arrival stream into one station", exclusive: [["rate", "interarrival"]], [
        Field("to", .string, required: true, "Station that receives the arrivals"),
        Field("rate", .rate, "Poisson arrivals at this rate, e.g. 7.2/s"),
        Field("interarrival", .distribution(.duration), "Renewal arrivals with this inter-arrival time distribution"),
        Field("profile", .array(.object(profilePoint)), "Piecewise-constant rate multipliers over time (Poisson only)"),
    ])

    static let profilePoint = ObjectSchema("From `at` on, the rate is multiplied by `multiplier`", [
        Field("at", .duration, required: true, "Start of this piece"),
        Field("multiplier", .number(min: 0, max: 1_000_000), required: true, "Rate multiplier"),
    ])

    static let route = ObjectSchema("After service, go to `to` with this probability", [
        Field("to", .string, required: true, "Next station"),
        Field("probability", .probability, required: true, "Routing probability; what is left over leaves the network"),
    ])

    static let station = ObjectSchema("c identical servers with one FIFO queue", [
        Field("servers", .integer(min: 1, max: 1_000_000), required: true, "Number of servers c"),
        Field("service", .distribution(.duration), required: true, "Service time distribution"),
        Field("routing", .array(.object(route)), "Where customers go after service (default: leave)"),
    ])

    public static let queueing = ObjectSchema("A network of queueing stations", [
        Field("stations", .map(.object(station), keyDescription: "station"), required: true, "The stations, by name"),
        Field("arrivals", .array(.object(arrival)), required: true, "External arrival streams"),
        Field("customers", .integer(min: 1, max: 10_000_000_000), "Stop after this many external arrivals have left the network"),
        Field("warmup_customers", .integer(min: 0, max: 10_000_000_000), default: "0", "Discard the statistics of the first N arrivals"),
    ])
}
