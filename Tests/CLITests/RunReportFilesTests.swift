import CapsimTestSupport
import Foundation
import Testing

/// `capsim run` writes the HTML report beside report.json, report.md and the CSVs, and the
/// page is a function of the run alone.
@Suite(.serialized) struct RunReportFilesTests {
    @Test func runWritesAllReportFilesDeterministically() throws {
        let ws = try Workspace()
        defer { ws.remove() }
        try ws.write("gate.yaml", Workspace.gate)
        #expect(try ws.capsim("run", "gate.yaml", "--out", "a", "--quiet", "--threads", "1", "--replications", "2").status == 0)
        #expect(try ws.capsim("run", "gate.yaml", "--out", "b", "--quiet", "--threads", "2", "--replications", "2").status == 0)
        for f in ["report.json", "report.md", "report.html", "series.csv", "summary.csv"] {
            #expect(ws.exists("a/gate/\(f)"), "\(f)")
            #expect(try ws.read("a/gate/\(f)") == ws.read("b/gate/\(f)"), "\(f)")
        }
        let html = try ws.read("a/gate/report.html")
        #expect(html.contains("Queue length"))
        #expect(html.contains("server.wait over time"))
        #expect(html.contains("server.wait distribution"))
        #expect(!html.contains("http://") && !html.contains("https://"))
    }
}
