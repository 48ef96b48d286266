import CapsimTestSupport
import Foundation
import Testing

/// `capsim sweep`: grid expansion, parallel runs, the combined report and its knees.
@Suite(.serialized) struct SweepCommandTests {
    static let rates = "queueing.arrivals.0.rate=2/s,2.5/s,3/s,3.4/s,3.7/s,3.85/s"

    @Test func sweepWritesCombinedReportWithKnee() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        let r = try ws.capsim("sweep", "gate.yaml", "--param", Self.rates, "--out", "out")
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("gate: 6 points swept over queueing.arrivals.0.rate"))
        #expect(r.stdout.contains("knee: server.wait p99 at queueing.arrivals.0.rate="))
        for f in ["sweep.html", "sweep.md", "sweep.csv", "sweep.json"] { #expect(ws.exists("out/gate-sweep/\(f)")) }
        for i in 0..<6 { #expect(ws.exists("out/gate-sweep/points/\(i)/report.html")) }
        let md = try ws.read("out/gate-sweep/sweep.md")
        #expect(md.contains("| server.wait p99 | — | queueing.arrivals.0.rate="))
        #expect(md.contains("| 5 | 3.85/s |"))
        let csv = try ws.read("out/gate-sweep/sweep.csv")
        #expect(csv.hasPrefix("point,queueing.arrivals.0.rate,metric,stat,unit,value\n"))
        let html = try ws.read("out/gate-sweep/sweep.html")
        #expect(html.contains("server.wait vs queueing.arrivals.0.rate"))
        #expect(html.contains("queueing.arrivals.0.rate (per s)"))
        #expect(html.contains("class=\"mark\""))  // the knee
        #expect(html.contains("SLO p99 ≤ 8 s"))
    }

    /// Results must not depend on the thread count: the combined report and every point's
    /// report are byte-identical with 1 and with 2 threads.
    @Test func sweepIsIndependentOfThreadCount() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        let grid = ["--param", "queueing.arrivals.0.rate=2/s,3/s,3.6/s", "--param", "queueing.stations.server.servers=4,5", "--replications", "2"]
        #expect(try CapsimBinary.run(["sweep", "gate.yaml", "--out", "t1", "--threads", "1", "--quiet"] + grid, in: ws.path).status == 0)
        #expect(try CapsimBinary.run(["sweep", "gate.yaml", "--out", "t2", "--threads", "2", "--quiet"] + grid, in: ws.path).status == 0)
        for f in ["sweep.html", "sweep.md", "sweep.csv", "sweep.json"] {
            #expect(try ws.read("t1/gate-sweep/\(f)") == ws.read("t2/gate-sweep/\(f)"), "\(f)")
        }
        for i in 0..<6 {
            #expect(try ws.read("t1/gate-sweep/points/\(i)/report.json") == ws.read("t2/gate-sweep/points/\(i)/report.json"), "point \(i)")
        }
        // Two parameters: 3 × 2 points, curves per value of the second.
        let md = try ws.read("t1/gate-sweep/sweep.md")
        #expect(md.contains("3 × 2") || md.contains("6 points"))
        let html = try ws.read("t1/gate-sweep/sweep.html")
        #expect(html.contains("p99 · queueing.stations.server.servers=4"))
        #expect(html.contains("p99 · queueing.stations.server.servers=5"))
    }

    @Test(arguments: [
        ["--param", "queueing.arrivals.0.rate"],                 // no values
        ["--param", "queueing.arrivals.0.rate=2/s,,3/s"],        // an empty value
        ["--param", "queueing.arrivals.0.rate=2/s,2/s"],         // a value twice
        ["--param", "queueing.arivals.0.rate=2/s,3/s"],          // a path the scenario does not have
        ["--param", "queueing.arrivals.0.rate=fast,slow"],       // values the schema refuses
        [],                                                      // no --param at all
    ])
    func badParametersExit2(_ args: [String]) throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        let r = try CapsimBinary.run(["sweep", "gate.yaml", "--out", "out"] + args, in: ws.path)
        #expect(r.status == 2, "\(args): \(r.stdout)\n\(r.stderr)")
        #expect(!ws.exists("out/gate-sweep/sweep.html"))
    }
}
