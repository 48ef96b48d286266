import CapsimTestSupport
import Foundation
import Reports
import SimCore
import Testing

/// Renders the HTML pages in a real browser (Debian's `chromium`, headless): takes a
/// screenshot, dumps the DOM after load, and asserts that every chart drew (the page's own
/// check marks each `<svg class="chart">` with `data-drawn` after measuring its paths) and
/// that the page logged nothing to the console (no script error, no blocked network load).
///
/// Skipped when chromium is not installed, unless CAPSIM_REQUIRE_REAL_SYSTEMS=1 (scripts/test),
/// where its absence fails the test. CAPSIM_RENDER_DIR keeps the pages and screenshots.
@Suite(.serialized) struct BrowserRenderTests {
    static var chromium: String? { Subprocess.which("chromium") ?? Subprocess.which("chromium-browser") }
    static var enabled: Bool { chromium != nil || RealSystems.required }

    struct Rendering {
        var dom: String
        var console: [String]
        var screenshotBytes: Int
    }

    static func render(_ html: String, name: String) throws -> Rendering {
        let browser = try #require(chromium, "chromium is not installed (apt-get install chromium)")
        let dir = try TemporaryDirectory(prefix: "capsim-browser")
        defer { dir.remove() }
        let page = dir.file("\(name).html"), shot = dir.file("\(name).png")
        try html.write(toFile: page, atomically: true, encoding: .utf8)
        let r = try Subprocess.run(browser, [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
            "--user-data-dir=\(dir.file("profile"))", "--enable-logging=stderr", "--v=0",
            "--window-size=1400,2400", "--screenshot=\(shot)", "--dump-dom", "file://\(page)",
        ], timeout: 180)
        #expect(r.status == 0, "chromium exited \(r.status): \(r.stderr.suffix(2000))")
        let console = r.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        let size = ((try? FileManager.default.attributesOfItem(atPath: shot))?[.size] as? Int) ?? 0
        // CAPSIM_RENDER_DIR=/some/folder keeps the pages and screenshots for a look.
        if let keep = ProcessInfo.processInfo.environment["CAPSIM_RENDER_DIR"], !keep.isEmpty {
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            for f in [page, shot] {
                let target = (keep as NSString).appendingPathComponent((f as NSString).lastPathComponent)
                try? FileManager.default.removeItem(atPath: target)
                try? FileManager.default.copyItem(atPath: f, toPath: target)
            }
        }
        return Rendering(dom: r.stdout, console: console, screenshotBytes: size)
    }

    static func occurrences(_ needle: String, in s: String) -> Int { s.components(separatedBy: needle).count - 1 }

    /// Every chart of the page drew, the page counted them all, nothing was logged.
    static func expectDrawn(_ html: String, name: String, atLeast minimum: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try render(html, name: name)
        let charts = occurrences("<svg class=\"chart\"", in: html)
        #expect(charts >= minimum, "\(name): only \(charts) charts", sourceLocation: sourceLocation)
        #expect(r.dom.contains("data-charts=\"\(charts)\""), "\(name): the page's check did not run", sourceLocation: sourceLocation)
        #expect(occurrences("data-drawn=\"true\"", in: r.dom) == charts, "\(name): not every chart drew", sourceLocation: sourceLocation)
        #expect(occurrences("data-drawn=\"false\"", in: r.dom) == 0, sourceLocation: sourceLocation)
        // Each chart in the rendered DOM has a data path with a non-empty d attribute.
        for chart in HTMLReportTests.charts(r.dom) {
            #expect(chart.contains("class=\"series\" d=\"M"), "\(HTMLReportTests.title(chart)): no data path", sourceLocation: sourceLocation)
        }
        #expect(r.console.isEmpty, "\(name): console output \(r.console)", sourceLocation: sourceLocation)
        #expect(r.screenshotBytes > 10_000, "\(name): screenshot of \(r.screenshotBytes) bytes", sourceLocation: sourceLocation)
    }

    @Test(.enabled(if: enabled)) func platformReportRenders() throws {
        try Self.expectDrawn(SyntheticReports.platform().html, name: "platform", atLeast: 12)
    }

    @Test(.enabled(if: enabled)) func queueingReportRenders() throws {
        try Self.expectDrawn(SyntheticReports.queueing().html, name: "queueing", atLeast: 5)
    }

    @Test(.enabled(if: enabled)) func comparisonRenders() throws {
        let a = ReportSnapshot(report: SyntheticReports.platform()), b = ReportSnapshot(report: SyntheticReports.platform())
        try Self.expectDrawn(ReportComparison(a: a, b: b).html, name: "compare", atLeast: 3)
    }

    @Test(.enabled(if: enabled)) func sweepRenders() throws {
        try Self.expectDrawn(SweepTests.sampleSweep().html, name: "sweep", atLeast: 3)
    }

    /// The check itself works: a page whose chart has no data is caught.
    @Test(.enabled(if: enabled)) func emptyChartIsCaught() throws {
        var page = HTMLPage(title: "broken")
        page.raw("<svg class=\"chart\" aria-label=\"empty\" width=\"100\" height=\"100\"><path class=\"series\" d=\"\"></path></svg>")
        let r = try Self.render(page.render(), name: "broken")
        #expect(r.dom.contains("data-drawn=\"false\""))
        #expect(r.console.contains { $0.contains("chart did not draw: empty") })
    }
}
