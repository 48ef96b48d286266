import SimCore

/// Side-by-side comparison of replays (policies x instances) as a Markdown table and as a
/// self-contained HTML page with inline SVG bar charts (no scripts, no external fonts or
/// styles), for `capsim replay mdrp` reports.
///
/// Rows keep the order given. Numbers are formatted without locale (`DurationFormat.fixed`),
/// so the output is byte-identical for identical metrics; wall-clock runtime, the only
/// non-deterministic metric, appears only with `includeRuntime`.
public struct MDRPComparison: Sendable {
    public var rows: [MDRPMetrics]
    public var includeRuntime: Bool

    public init(rows: [MDRPMetrics], includeRuntime: Bool = false) {
        self.rows = rows
        self.includeRuntime = includeRuntime
    }

    static func f(_ x: Double, _ decimals: Int) -> String { DurationFormat.fixed(x, decimals) }
    static func pct(_ x: Double) -> String { f(x * 100, 1) + " %" }

    /// The table's columns: (header, cell for a row).
    var columns: [(String, (MDRPMetrics) -> String)] {
        var c: [(String, (MDRPMetrics) -> String)] = [
            ("instance", { $0.instance }),
            ("policy", { $0.policy }),
            ("delivered", { "\($0.ordersDelivered) / \($0.ordersTotal)" }),
            ("click-to-door mean (min)", { Self.f($0.clickToDoor.mean, 2) }),
            ("p50", { Self.f($0.clickToDoor.p50, 1) }),
            ("p90", { Self.f($0.clickToDoor.p90, 1) }),
            ("p99", { Self.f($0.clickToDoor.p99, 1) }),
            ("within target", { Self.pct($0.shareWithinTarget) }),
            ("within max", { Self.pct($0.shareWithinMaximum) }),
            ("ready-to-pickup mean (min)", { Self.f($0.readyToPickup.mean, 2) }),
            ("orders / bundle", { Self.f($0.meanOrdersPerAssignment, 2) }),
            ("orders / courier-hour", { Self.f($0.ordersPerCourierHour, 2) }),
            ("utilisation", { Self.pct($0.courierUtilization) }),
            ("payment", { Self.f($0.totalPayment, 2) }),
            ("on guarantee", { Self.pct($0.shareOnGuarantee) }),
        ]
        if includeRuntime { c.append(("runtime (s)", { Self.f($0.wallSeconds, 3) })) }
        return c
    }

    /// A GitHub-flavoured Markdown table, one line per replay, then the definitions.
    public func markdown() -> String {
        let cols = columns
        var out = "| " + cols.map(\.0).joined(separator: " | ") + " |\n"
        out += "|" + cols.map { i in i.0 == "instance" || i.0 == "policy" ? " --- |" : " ---: |" }.joined() + "\n"
        for r in rows { out += "| " + cols.map { $0.1(r) }.joined(separator: " | ") + " |\n" }
        out += "\n" + Self.definitions + "\n"
        return out
    }

    static let definitions = """
        Click-to-door = drop-off minus placement, over delivered orders (percentiles interpolated \
        linearly). "Within target" and "within max" are shares of all orders delivered within the \
        instance's target and maximum click-to-door (undelivered orders count as misses). \
        Utilisation = (driving + pickup and drop-off service) / shift, averaged over couriers. \
        Payment = sum over couriers of max(orders x pay per order, shift hours x guaranteed pay), \
        as grubhub/mdrplib compute_performance_summary.py computes it.
        """

    /// A complete HTML page: the table, then bar charts of mean click-to-door, share within
    /// target and orders delivered, one group of bars per instance, one bar per policy.
    public func html(title: String = "MDRP replay: policy comparison") -> String {
        let cols = columns
        var table = "<table>\n<thead><tr>" + cols.map { "<th>\(Self.escape($0.0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for r in rows {
            table += "<tr>" + cols.map { "<td>\(Self.escape($0.1(r)))</td>" }.joined() + "</tr>\n"
        }
        table += "</tbody>\n</table>\n"
        let charts = [
            chart(title: "Mean click-to-door (minutes, lower is better)", value: { $0.clickToDoor.mean }, format: { Self.f($0, 1) }),
            chart(title: "Orders delivered within target (share of all orders)", value: { $0.shareWithinTarget },
                  format: { Self.f($0 * 100, 1) + "%" }, fixedMax: 1),
            chart(title: "Orders delivered (share of all orders)",
                  value: { $0.ordersTotal == 0 ? 0 : Double($0.ordersDelivered) / Double($0.ordersTotal) },
                  format: { Self.f($0 * 100, 1) + "%" }, fixedMax: 1),
        ]
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>\(Self.escape(title))</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; font-size: 0.85em; }
            th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: right; }
            th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
            thead { background: #eee; }
            svg { display: block; margin: 1.5em 0; }
            p.note { font-size: 0.85em; max-width: 60em; }
            </style>
            </head>
            <body>
            <h1>\(Self.escape(title))</h1>
            \(table)<p class="note">\(Self.escape(Self.definitions))</p>
            \(charts.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    static let palette = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948"]

    /// Grouped vertical bars: groups = instances (first-appearance order), bars = policies
    /// (first-appearance order), with value labels and a legend.
    func chart(title: String, value: (MDRPMetrics) -> Double, format: (Double) -> String, fixedMax: Double? = nil) -> String {
        var instances: [String] = [], policies: [String] = []
        for r in rows {
            if !instances.contains(r.instance) { instances.append(r.instance) }
            if !policies.contains(r.policy) { policies.append(r.policy) }
        }
        let barWidth = 36.0, gap = 8.0, groupGap = 40.0, plotHeight = 200.0
        let left = 50.0, top = 40.0, bottom = 60.0
        let groupWidth = Double(policies.count) * (barWidth + gap) - gap
        let width = left + Double(instances.count) * (groupWidth + groupGap) + 20
        let height = top + plotHeight + bottom
        var maxValue = fixedMax ?? 0
        if fixedMax == nil { for r in rows { maxValue = Swift.max(maxValue, value(r)) } }
        if maxValue <= 0 { maxValue = 1 }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.f(width, 0))\" height=\"\(Self.f(height, 0))\" "
        svg += "viewBox=\"0 0 \(Self.f(width, 0)) \(Self.f(height, 0))\" role=\"img\" aria-label=\"\(Self.escape(title))\">\n"
        svg += "<text x=\"\(Self.f(left, 0))\" y=\"20\" font-size=\"14\" font-family=\"sans-serif\">\(Self.escape(title))</text>\n"
        let baseY = top + plotHeight
        svg += "<line x1=\"\(Self.f(left - 5, 0))\" y1=\"\(Self.f(baseY, 0))\" x2=\"\(Self.f(width - 10, 0))\" y2=\"\(Self.f(baseY, 0))\" stroke=\"#333\"/>\n"
        for (g, inst) in instances.enumerated() {
            let gx = left + Double(g) * (groupWidth + groupGap)
            for (k, pol) in policies.enumerated() {
                guard let r = rows.first(where: { $0.instance == inst && $0.policy == pol }) else { continue }
                let v = value(r)
                let h = Swift.max(0, Swift.min(1, v / maxValue)) * plotHeight
                let x = gx + Double(k) * (barWidth + gap)
                svg += "<rect x=\"\(Self.f(x, 1))\" y=\"\(Self.f(baseY - h, 1))\" width=\"\(Self.f(barWidth, 0))\" height=\"\(Self.f(h, 1))\" fill=\"\(Self.palette[k % Self.palette.count])\"><title>\(Self.escape("\(inst) \(pol): \(format(v))"))</title></rect>\n"
                svg += "<text x=\"\(Self.f(x + barWidth / 2, 1))\" y=\"\(Self.f(baseY - h - 4, 1))\" font-size=\"10\" font-family=\"sans-serif\" text-anchor=\"middle\">\(Self.escape(format(v)))</text>\n"
            }
            svg += "<text x=\"\(Self.f(gx + groupWidth / 2, 1))\" y=\"\(Self.f(baseY + 16, 1))\" font-size=\"11\" font-family=\"sans-serif\" text-anchor=\"middle\">\(Self.escape(inst))</text>\n"
        }
        for (k, pol) in policies.enumerated() {
            let lx = left + Double(k) * 110
            let ly = baseY + 36
            svg += "<rect x=\"\(Self.f(lx, 0))\" y=\"\(Self.f(ly, 0))\" width=\"12\" height=\"12\" fill=\"\(Self.palette[k % Self.palette.count])\"/>"
            svg += "<text x=\"\(Self.f(lx + 16, 0))\" y=\"\(Self.f(ly + 10, 0))\" font-size=\"11\" font-family=\"sans-serif\">\(Self.escape(pol))</text>\n"
        }
        svg += "</svg>"
        return svg
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
