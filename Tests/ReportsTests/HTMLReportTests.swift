import Reports
import SimCore
import Testing

/// The HTML report's structure: every series kind charted by the naming convention, every
/// figure of report.json in a table, nothing fetched from the network, stable bytes.
@Suite struct HTMLReportTests {
    /// The charts of a page: the text of each `<svg class="chart" ...>...</svg>`.
    static func charts(_ html: String) -> [Substring] {
        var out: [Substring] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg class=\"chart\""), let end = rest[start.upperBound...].range(of: "</svg>") {
            out.append(rest[start.lowerBound..<end.upperBound])
            rest = rest[end.upperBound...]
        }
        return out
    }

    static func title(_ chart: Substring) -> String {
        guard let a = chart.range(of: "aria-label=\""), let b = chart[a.upperBound...].firstIndex(of: "\"") else { return "" }
        return String(chart[a.upperBound..<b])
    }

    @Test func platformReportChartsEverySeriesKind() {
        let html = SyntheticReports.platform().html
        let titles = Self.charts(html).map(Self.title)
        for expected in ["place_order.latency over time", "track.latency over time", "order_service replicas", "dispatch replicas",
                         "CPU utilisation", "Kafka consumer lag", "Cache hit ratio", "Queue length", "couriers.idle", "lonely.point",
                         "click_to_door distribution", "place_order.latency distribution"] {
            #expect(titles.contains(expected), "missing chart \(expected); have \(titles)")
        }
        // Click-to-door leads the distributions; a metric without samples gets no chart.
        #expect(titles.firstIndex(of: "click_to_door distribution")! < titles.firstIndex(of: "place_order.latency distribution")!)
        #expect(!titles.contains("track.latency distribution"))
        // Every chart draws data.
        for c in Self.charts(html) { #expect(c.contains("class=\"series\" d=\"M"), "\(Self.title(c)) has no data path") }
    }

    @Test func chartsLabelAxesWithUnitsAndHaveLegends() {
        let charts = Self.charts(SyntheticReports.platform().html)
        func chart(_ t: String) -> Substring { charts.first { Self.title($0) == t }! }
        let latency = chart("place_order.latency over time")
        #expect(latency.contains(">simulated time (min)</text>"))
        #expect(latency.contains(">place_order.latency (ms)</text>"))
        for line in ["eu p50", "eu p99", "us p50", "us p99"] { #expect(latency.contains("class=\"legend\"") && latency.contains(">\(line)</text>")) }
        #expect(latency.contains(">warm-up</text>"))
        #expect(chart("CPU utilisation").contains(">CPU (%)</text>"))
        #expect(chart("Cache hit ratio").contains(">hit ratio (%)</text>"))
        #expect(chart("Kafka consumer lag").contains(">lag (messages)</text>"))
        #expect(chart("click_to_door distribution").contains(">click_to_door (min)</text>"))
        #expect(chart("click_to_door distribution").contains(">percentile</text>"))
        // Replicas: observed extremes in the legend per region (labels on the plot
        // overprinted each other), configured bounds drawn.
        let replicas = chart("order_service replicas")
        #expect(replicas.contains(">eu pods (max "))
        #expect(replicas.contains(">us pods (max "))
        #expect(!replicas.contains("class=\"mark-label\""))
        #expect(replicas.contains(">configured min 2</text>"))
        #expect(replicas.contains(">configured max 20</text>"))
        #expect(chart("dispatch replicas").contains(">configured max 12</text>"))
    }

    @Test func queueingReportChartsQueuesWaitsAndDistributions() {
        let titles = Self.charts(SyntheticReports.queueing().html).map(Self.title)
        #expect(titles == ["server.wait over time", "Queue length", "network.sojourn distribution",
                           "server.sojourn distribution", "server.wait distribution"])
    }

    @Test func tablesHoldEveryFigureOfTheJSON() {
        let r = SyntheticReports.platform()
        let html = r.html
        for (name, s) in r.latencies {
            #expect(html.contains("<td>\(name)</td>"))
            #expect(html.contains(">\(s.count)</td>"))
        }
        for g in r.gauges { #expect(html.contains("<td>\(g.name)</td>")) }
        for c in r.counters { #expect(html.contains("<td>\(c.name)</td>")) }
        #expect(html.contains("<td>orders_conserved[rep 0]</td>") && html.contains("<td>orders_conserved[rep 1]</td>"))
        #expect(html.contains(", cache.cold_start)</h3>"))  // findings grouped under their code
        #expect(html.contains("Resolved scenario"))
        // Two replications: the tables carry the confidence half-widths.
        #expect(html.contains(" ± "))
    }

    /// Determinism is checked across two processes (the hash seed is fixed within one, so a
    /// second render here could not catch Dictionary order reaching the page):
    /// Tests/CLITests/CrossProcessDeterminismTests.
    @Test func pageIsSelfContained() {
        let a = SyntheticReports.platform().html
        for forbidden in ["http://", "https://", "src=", "href=", "@import", "url(", "@font-face"] {
            #expect(!a.contains(forbidden), "\(forbidden)")
        }
        #expect(a.contains("Content-Security-Policy"))
        #expect(a.hasPrefix("<!DOCTYPE html>"))
    }
}

/// The SVG writer, the axis scale and the naming convention.
@Suite struct SVGWriterTests {
    @Test func numbersAreFixedTwoDecimalsWithoutLocale() {
        #expect(SVGWriter.num(0) == "0")
        #expect(SVGWriter.num(-0.0001) == "0")
        #expect(SVGWriter.num(12) == "12")
        #expect(SVGWriter.num(12.5) == "12.5")
        #expect(SVGWriter.num(12.345) == "12.35" || SVGWriter.num(12.345) == "12.34")
        #expect(SVGWriter.num(-3.07) == "-3.07")
        #expect(SVGWriter.num(0.05) == "0.05")
        #expect(SVGWriter.num(1e20) == "90000000000000")
        #expect(SVGWriter.num(.nan) == "0")
    }

    @Test func markupIsEscaped() {
        var w = SVGWriter()
        w.element("text", [("data-x", "a\"b<c>")], "x < y & \"z\"")
        #expect(w.text == "<text data-x=\"a&quot;b&lt;c&gt;\">x &lt; y &amp; &quot;z&quot;</text>")
    }

    @Test func axisScaleUsesNiceSteps() {
        let s = AxisScale(covering: 0, 46.6, ticks: 5)
        #expect(s.step == 10)
        #expect(s.ticks == [0, 10, 20, 30, 40, 50])
        let r = AxisScale(covering: 0.81, 0.97)
        #expect(r.step == 0.05)
        #expect(r.lower == 0.8 && abs(r.upper - 1.0) < 1e-12)
        #expect(r.label(0.85) == "0.85")
        let flat = AxisScale(covering: 5, 5)
        #expect(flat.lower < 5 && flat.upper > 5)
    }

    @Test func seriesNamesMapToChartRoles() {
        #expect(SeriesCatalog.role(of: "place_order@eu.latency.p99") == .statistic(metric: "place_order.latency", region: "eu", stat: "p99"))
        #expect(SeriesCatalog.role(of: "x.latency.p99.9") == .statistic(metric: "x.latency", region: nil, stat: "p99.9"))
        #expect(SeriesCatalog.role(of: "server.wait.mean") == .statistic(metric: "server.wait", region: nil, stat: "mean"))
        #expect(SeriesCatalog.role(of: "order_service@us.replicas") == .replicas(service: "order_service", region: "us", variant: "total"))
        #expect(SeriesCatalog.role(of: "order_service@us.replicas.ready.min") == .replicas(service: "order_service", region: "us", variant: "ready_min"))
        #expect(SeriesCatalog.role(of: "order_service@us.replicas.max") == .replicas(service: "order_service", region: "us", variant: "max"))
        #expect(SeriesCatalog.role(of: "place_order@us.throughput") == .throughput(metric: "place_order", region: "us"))
        #expect(SeriesCatalog.role(of: "dispatch.cpu") == .cpu(service: "dispatch", region: nil))
        #expect(SeriesCatalog.role(of: "kafka.location_updates.lag") == .kafkaLag(topic: "location_updates", variant: "mean"))
        #expect(SeriesCatalog.role(of: "kafka.location_updates.lag.max") == .kafkaLag(topic: "location_updates", variant: "max"))
        #expect(SeriesCatalog.role(of: "cache.l1.hit_ratio") == .cacheHitRatio(tier: "l1"))
        #expect(SeriesCatalog.role(of: "server.queue_length") == .queueLength(station: "server"))
        #expect(SeriesCatalog.role(of: "couriers.idle") == .other)
        #expect(SeriesCatalog.splitRegion("a@b.c.d") == ("a.c.d", "b"))
    }
}
