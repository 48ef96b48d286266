import CapsimTestSupport
import Foundation
import Testing

/// `capsim plan` on the queueing model against Erlang C, and its bad-input handling.
///
/// The M/M/c cases are chosen so the answer is not a coin toss at the boundary: the exact
/// figure at the Erlang C answer c* is at most 70 % of the target and at c* − 1 at least
/// 140 % of it (asserted below from the closed form). With 5 replications of 20,000
/// customers, the 95 % one-sided bound of the mean wait sits within about ±10 % of the true
/// value and that of the p99 within about ±20 % (the p99 comes from ~200 tail samples per
/// replication), so the bound separates c* from c* − 1 with room to spare.
@Suite(.serialized) struct PlanCommandTests {
    /// Erlang C: probability that an arrival waits in M/M/c with offered load a = λ/μ.
    static func erlangC(_ c: Int, _ a: Double) -> Double {
        guard a < Double(c) else { return 1 }
        var term = 1.0, sum = 1.0
        for k in 1..<c { term *= a / Double(k); sum += term }
        let top = term * a / Double(c) * Double(c) / (Double(c) - a)
        return top / (sum + top)
    }

    /// Mean wait in queue (μ = 1/s), seconds.
    static func meanWait(_ c: Int, _ lambda: Double) -> Double {
        lambda < Double(c) ? erlangC(c, lambda) / (Double(c) - lambda) : .infinity
    }

    /// The p99 of the wait (μ = 1/s), seconds: P(W > t) = C·e^{−(c−λ)t}.
    static func p99Wait(_ c: Int, _ lambda: Double) -> Double {
        guard lambda < Double(c) else { return .infinity }
        let C = erlangC(c, lambda)
        return C <= 0.01 ? 0 : log(C / 0.01) / (Double(c) - lambda)
    }

    static func smallest(_ f: (Int) -> Double, _ target: Double) -> Int { (1...200).first { f($0) <= target }! }

    static func scenario(_ slo: String) -> String {
        """
        name: mmcplan
        seed: 11
        model: queueing
        queueing:
          customers: 20000
          warmup_customers: 1000
          arrivals:
            - { to: server, rate: 1/s }
          stations:
            server:
              servers: 8
              service: { exponential: { mean: 1s } }
        costs:
          currency: USD
          stations: { server: { server_hour: 0.5 } }
        slos:
          - \(slo)
        """
    }

    static func plan(_ ws: Workspace, _ args: [String]) throws -> [String: Any] {
        let r = try CapsimBinary.run(["plan", "s.yaml", "--vary", "queueing.stations.server.servers=1..24", "--replications", "5",
                                      "--out", "out", "--quiet"] + args, in: ws.path)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: ws.dir.file("out/mmcplan-plan/plan.json")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func answers(_ json: [String: Any]) -> [(demand: Double, servers: Int, feasible: Bool)] {
        ((json["levels"] as? [[String: Any]]) ?? []).map { l in
            let conf = l["configuration"] as? [String: Any]
            return ((l["demand"] as? NSNumber)?.doubleValue ?? 0, (conf?["queueing.stations.server.servers"] as? NSNumber)?.intValue ?? -1,
                    (l["feasible"] as? Bool) ?? false)
        }
    }

    /// Mean wait ≤ 100 ms at λ = 4/s and 6/s: Erlang C gives c = 7 and 9.
    @Test func meanWaitTargetMatchesErlangC() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("s.yaml", Self.scenario("{ metric: server.wait, stat: mean, max: 100ms }"))
        let json = try Self.plan(ws, ["--demand", "4/s..6/s", "--steps", "2", "--no-sensitivity"])
        let got = Self.answers(json)
        #expect(got.count == 2)
        for (lambda, row) in zip([4.0, 6.0], got) {
            let c = Self.smallest({ Self.meanWait($0, lambda) }, 0.1)
            #expect(Self.meanWait(c, lambda) <= 0.7 * 0.1 && Self.meanWait(c - 1, lambda) >= 1.4 * 0.1, "test design at λ=\(lambda)")
            #expect(abs(row.demand - lambda * 3600) < 1e-6)
            #expect(row.feasible)
            #expect(row.servers == c, "λ=\(lambda)/s: plan \(row.servers), Erlang C \(c)")
        }
        // Monotone in demand: more demand never needs fewer servers.
        #expect(got[1].servers >= got[0].servers)
        let search = try #require(json["search"] as? [String: Any])
        let runs = (search["runs"] as? NSNumber)?.intValue ?? 0
        #expect((search["full_grid_runs"] as? NSNumber)?.intValue == 2 * 24 * 5)
        #expect(runs > 0 && runs < 2 * 24 * 5, "the search must take fewer runs than the full grid (\(runs))")
    }

    /// P(wait > 1 s) ≤ 1 % (the p99 of the wait ≤ 1 s) at λ = 2/s: Erlang C gives c = 5.
    @Test func waitTailTargetMatchesErlangC() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("s.yaml", Self.scenario("{ metric: server.wait, stat: p99, max: 1s }"))
        let json = try Self.plan(ws, ["--demand", "2/s", "--no-sensitivity"])
        let c = Self.smallest({ Self.p99Wait($0, 2) }, 1)
        #expect(c == 5)
        #expect(Self.p99Wait(c, 2) <= 0.7 && Self.p99Wait(c - 1, 2) >= 1.4)
        #expect(Self.answers(json).map(\.servers) == [c])
        let level = try #require((json["levels"] as? [[String: Any]])?.first)
        #expect(level["limiting_resource"] as? String == "server.servers")
        // One step less fails, and says which SLO and at which bound.
        let below = try #require(level["below_limit"] as? [String: Any])
        #expect(below["holds"] as? Bool == false)
    }

    /// More demand never needs fewer servers over a range of levels; the files are written.
    @Test func answersAreMonotoneInDemand() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("s.yaml", Self.scenario("{ metric: server.wait, stat: mean, max: 200ms }"))
        let json = try Self.plan(ws, ["--demand", "1/s..9/s", "--steps", "5", "--no-sensitivity"])
        let servers = Self.answers(json).map(\.servers)
        #expect(servers.count == 5)
        #expect(zip(servers, servers.dropFirst()).allSatisfy { $0 <= $1 }, "\(servers)")
        for lambda in [1.0, 3, 5, 7, 9] {
            // Within one server of Erlang C everywhere (some levels sit near the boundary).
            let c = Self.smallest({ Self.meanWait($0, lambda) }, 0.2)
            let got = servers[Int((lambda - 1) / 2)]
            #expect(abs(got - c) <= 1, "λ=\(lambda): plan \(got), Erlang C \(c)")
        }
        for f in ["plan.json", "plan.md", "plan.html", "plan.csv"] { #expect(ws.exists("out/mmcplan-plan/\(f)")) }
        let html = try ws.read("out/mmcplan-plan/plan.html")
        #expect(html.contains("<svg") && html.contains("SLO ≤ 200 ms"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "nothing loaded from the network")
        let csv = try ws.read("out/mmcplan-plan/plan.csv")
        #expect(csv.hasPrefix("demand_per_hour,feasible,queueing.stations.server.servers,cost_per_hour,cost_per_order,limiting_resource"))
    }

    /// The plan does not depend on the thread count: plan.json and plan.csv are byte-identical
    /// with 1 and 2 threads.
    @Test func planIsIndependentOfThreadCount() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("s.yaml", Self.scenario("{ metric: server.wait, stat: mean, max: 100ms }"))
        let args = ["plan", "s.yaml", "--vary", "queueing.stations.server.servers=1..12", "--demand", "2/s..5/s", "--steps", "2",
                    "--replications", "3", "--quiet", "--sensitivity", "queueing.stations.server.service"]
        #expect(try CapsimBinary.run(args + ["--threads", "1", "--out", "t1"], in: ws.path).status == 0)
        #expect(try CapsimBinary.run(args + ["--threads", "2", "--out", "t2"], in: ws.path).status == 0)
        for f in ["plan.json", "plan.csv", "plan.md", "plan.html"] {
            #expect(try ws.read("t1/mmcplan-plan/\(f)") == ws.read("t2/mmcplan-plan/\(f)"), "\(f)")
        }
        // The service time ×1.25 needs more servers than ×0.75 (the sensitivity rows).
        let md = try ws.read("t1/mmcplan-plan/plan.md")
        #expect(md.contains("| queueing.stations.server.service | ×0.75 |") && md.contains("| queueing.stations.server.service | ×1.25 |"), "\(md)")
    }

    /// Every run's report carries its costs: servers × price per hour, and cost per order ×
    /// customers served = cost per hour × simulated hours.
    @Test func runReportShowsCosts() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("s.yaml", Self.scenario("{ metric: server.wait, stat: mean, max: 100ms }"))
        let r = try ws.capsim("run", "s.yaml", "--out", "out", "--quiet")
        #expect(r.status == 0, "\(r.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: ws.dir.file("out/mmcplan/report.json")))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let costs = try #require(json["costs"] as? [String: Any])
        let perHour = try #require((costs["per_hour"] as? NSNumber)?.doubleValue)
        #expect(abs(perHour - 8 * 0.5) < 1e-9)
        let perOrder = try #require((costs["per_order"] as? NSNumber)?.doubleValue)
        let run = try #require(json["run"] as? [String: Any])
        let hours = try #require((run["simulated_seconds"] as? NSNumber)?.doubleValue) / 3600
        let counters = try #require(json["counters"] as? [String: Any])
        let served = try #require((counters["network.departures"] as? NSNumber)?.doubleValue)
        #expect(abs(perOrder * served - perHour * hours) / (perHour * hours) < 1e-5)   // report.json rounds to 6 digits
        #expect(costs["currency"] as? String == "USD")
        #expect(try ws.read("out/mmcplan/report.md").contains("## Costs (USD)"))
    }

    /// Bad input: exit 2, the problem and a fix named, no report written.
    @Test(arguments: [
        (["--vary", "queueing.stations.server.servers=10..2"], "empty"),
        (["--vary", "queueing.stations.server.servers=1,3,2"], "strictly increasing"),
        (["--vary", "queueing.stations.server.servers=1..8", "--demand", "9/s..3/s"], "empty"),
        (["--vary", "queueing.stations.srever.servers=1..8"], "no value"),
    ])
    func badFlagsExitTwo(args: [String], message: String) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("s.yaml", Self.scenario("{ metric: server.wait, stat: mean, max: 100ms }"))
        let r = try CapsimBinary.run(["plan", "s.yaml", "--out", "out", "--no-sensitivity"] + args, in: ws.path)
        #expect(r.status == 2, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stderr.contains("s.yaml") || r.stderr.contains("--vary"), "\(r.stderr)")
        #expect(!ws.exists("out/mmcplan-plan"))
    }

    /// A costs: section naming an unknown station, a GB price without a size per call, and a
    /// plan assumption that names nothing: exit 2, each with file:line and a fix.
    @Test func badCostsSectionExitsTwo() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        let text = Self.scenario("{ metric: server.wait, stat: mean, max: 100ms }")
            .replacingOccurrences(of: "stations: { server: { server_hour: 0.5 } }",
                                  with: "stations: { srever: { server_hour: 0.5 } }\n  cross_region_gb: 0.02")
            + "\nplan: { assumptions: [queueing.stations.server.nope] }\n"
        try ws.write("s.yaml", text)
        let r = try ws.capsim("plan", "s.yaml", "--vary", "queueing.stations.server.servers=1..8", "--out", "out")
        #expect(r.status == 2, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("s.yaml:15:") && r.stderr.contains("no queueing station 'srever'") && r.stderr.contains("did you mean 'server'"), "\(r.stderr)")
        #expect(r.stderr.contains("bytes_per_cross_region_call"), "\(r.stderr)")
        #expect(r.stderr.contains("'queueing.stations.server.nope' names no value"), "\(r.stderr)")
        #expect(!ws.exists("out/mmcplan-plan"))
    }

    /// An SLO naming a metric the model does not have: exit 2 naming the file, the SLO and
    /// the metric it probably meant; nothing written.
    @Test func unknownMetricExitsTwo() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("s.yaml", Self.scenario("{ metric: server.wiat, stat: mean, max: 100ms }"))
        let r = try CapsimBinary.run(["plan", "s.yaml", "--vary", "queueing.stations.server.servers=1..8", "--out", "out"], in: ws.path)
        #expect(r.status == 2, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stderr.contains("s.yaml:"), "\(r.stderr)")
        #expect(r.stderr.contains("did you mean 'server.wait'"), "\(r.stderr)")
        #expect(!ws.exists("out/mmcplan-plan"))
    }
}
