import SimCore

/// A network of c-server FIFO stations with probabilistic routing (a Jackson network when
/// arrivals are Poisson and service exponential).
public struct QueueingConfig: Sendable {
    public struct Station: Sendable {
        public var name: String
        public var servers: Int
        public var service: Distribution
        /// (station index, probability); what is left of 1 leaves the network.
        public var routing: [(to: Int, probability: Double)]
    }

    public enum ArrivalProcess: Sendable {
        /// Poisson at `rate` per second, times the profile's multiplier in force.
        case poisson(rate: Double, profile: [(at: SimTime, multiplier: Double)])
        case renewal(Distribution)
    }

    public struct Arrival: Sendable {
        public var station: Int
        public var process: ArrivalProcess
    }

    public var stations: [Station]
    public var arrivals: [Arrival]
    public var customers: Int?
    public var warmupCustomers: Int

    /// Decodes the validated `queueing:` section (`n`, written at `location`); an absent key
    /// takes the schema's default (`SchemaReader`).
    static func decode(_ n: SchemaReader, at location: SourceLocation, errors: inout [ScenarioError]) -> QueueingConfig? {
        let stationEntries = n.entries("stations")
        let names = stationEntries.map(\.key)
        func index(_ node: ConfigNode?, _ path: String) -> Int? {
            guard let node, let s = node.stringValue else { return nil }
            if let i = names.firstIndex(of: s) { return i }
            let hint = Suggest.closest(s, among: names).map { "did you mean '\($0)'? " } ?? ""
            errors.append(ScenarioError(node.location, path: path, "no station called '\(s)'",
                                        fix: "\(hint)stations: \(names.joined(separator: ", "))"))
            return nil
        }
        var stations: [Station] = []
        for e in stationEntries {
            var routing: [(Int, Double)] = []
            var total = 0.0
            for (i, r) in e.reader.items("routing").enumerated() {
                let p = r.double("probability")
                total += p
                if let to = index(r.given("to"), "queueing.stations.\(e.key).routing[\(i)].to") { routing.append((to, p)) }
            }
            if total > 1 + 1e-9 {
                errors.append(ScenarioError(e.reader.given("routing")?.location ?? location, path: "queueing.stations.\(e.key).routing",
                                            "routing probabilities add up to \(total), more than 1", fix: "make them sum to at most 1"))
            }
            stations.append(Station(name: e.key, servers: e.reader.int("servers"), service: e.reader.distribution("service"), routing: routing))
        }
        var arrivals: [Arrival] = []
        for (i, a) in n.items("arrivals").enumerated() {
            guard let to = index(a.given("to"), "queueing.arrivals[\(i)].to") else { continue }
            if let rate = a.optional("rate", \.rateValue) {
                var profile = a.items("profile").map { ($0.duration("at"), $0.double("multiplier")) }
                profile.sort { $0.0 < $1.0 }
                arrivals.append(Arrival(station: to, process: .poisson(rate: rate, profile: profile)))
            } else if let d = a.optional("interarrival", { $0.distribution(.duration) }) {
                arrivals.append(Arrival(station: to, process: .renewal(d)))
            } else {
                errors.append(ScenarioError(a.node?.location ?? location, path: "queueing.arrivals[\(i)]", "an arrival stream needs a rate or an interarrival distribution",
                                            fix: "add `rate: 7.2/s`"))
            }
        }
        if arrivals.isEmpty, errors.isEmpty {
            errors.append(ScenarioError(location, path: "queueing.arrivals", "no arrival streams", fix: "add one: `- { to: \(names.first ?? "server"), rate: 1/s }`"))
        }
        return QueueingConfig(stations: stations, arrivals: arrivals, customers: n.optional("customers", \.intValue),
                              warmupCustomers: n.int("warmup_customers"))
    }
}
