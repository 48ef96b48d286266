import SimCore

/// One chart of the HTML reports: lines over a linear or categorical x axis, with labelled
/// axes, a legend, annotated points (min/max, knee) and dashed reference lines (limits,
/// SLOs, the warm-up cut). Rendered to inline SVG by `svg()`.
///
/// Everything that draws data is a `<path class="series">` (or a `<circle class="point">`
/// for a lone point), so the browser test and the page's own check can tell a chart that
/// drew from one that only has axes.
public struct LineChart: Sendable {
    public enum Dash: Sendable { case solid, dashed, dotted }

    public struct Line: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: Int
        public var dash: Dash
        public init(name: String, points: [(x: Double, y: Double)], color: Int, dash: Dash = .solid) {
            self.name = name; self.points = points; self.color = color; self.dash = dash
        }
    }

    /// An annotated point.
    public struct Mark: Sendable {
        public var x: Double, y: Double
        public var label: String
        public var color: Int
        public init(x: Double, y: Double, label: String, color: Int) { self.x = x; self.y = y; self.label = label; self.color = color }
    }

    /// A dashed reference line at `value` on the y axis (horizontal) or the x axis (vertical).
    public struct Rule: Sendable {
        public var value: Double
        public var label: String
        public var vertical: Bool
        public init(value: Double, label: String, vertical: Bool = false) { self.value = value; self.label = label; self.vertical = vertical }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Labels of a categorical x axis; the lines' x values are then the category indices.
    public var categories: [String]?
    public var lines: [Line]
    public var marks: [Mark] = []
    public var rules: [Rule] = []
    /// Incidents drawn as ticks on the time axis (`Event`).
    public var events: [Event] = []
    /// Whether the y axis starts at zero (levels, latencies) or at the data (anything else).
    public var includeZero = true

    public init(title: String, xLabel: String, yLabel: String, categories: [String]? = nil, lines: [Line]) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.categories = categories; self.lines = lines
    }

    /// Colour-blind-safe palette (Okabe & Ito), yellow left out for contrast on white.
    public static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"]
    public static func color(_ i: Int) -> String { palette[((i % palette.count) + palette.count) % palette.count] }

    /// True when at least one line has a finite point: charts without data are left out.
    public var hasData: Bool { lines.contains { $0.points.contains { $0.x.isFinite && $0.y.isFinite } } }

    static let width = 760.0
    static let margin = (left: 74.0, right: 18.0, top: 34.0, bottom: 48.0)
    static let plotHeight = 220.0
    static let legendColumns = 3
    static let legendRow = 18.0

    /// The chart as an `<svg class="chart">` element.
    public func svg() -> String {
        let m = LineChart.margin
        // Long names take wider legend columns, so they never run into each other.
        let longest = lines.map(\.name.count).max() ?? 0
        let columns = longest > 52 ? 1 : longest > 30 ? 2 : LineChart.legendColumns
        let legendRows = (lines.count + columns - 1) / columns
        let height = m.top + LineChart.plotHeight + m.bottom + Double(legendRows) * LineChart.legendRow + 6
        let plotW = LineChart.width - m.left - m.right, plotH = LineChart.plotHeight
        let (xs, ys) = scales()
        func px(_ x: Double) -> Double { m.left + xs.fraction(x) * plotW }
        func py(_ y: Double) -> Double { m.top + (1 - ys.fraction(y)) * plotH }

        var w = SVGWriter()
        w.open("svg", [("class", "chart"), ("viewBox", "0 0 \(SVGWriter.num(LineChart.width)) \(SVGWriter.num(height))"),
                       ("width", SVGWriter.num(LineChart.width)), ("height", SVGWriter.num(height)),
                       ("role", "img"), ("aria-label", title),
                       // The page's hover script reads values back from the plot with these.
                       ("data-plot", [m.left, m.top, plotW, plotH].map(SVGWriter.num).joined(separator: " ")),
                       ("data-x", [xs.lower, xs.upper].map(LineChart.exact).joined(separator: " ")),
                       ("data-y", [ys.lower, ys.upper].map(LineChart.exact).joined(separator: " "))]
                       + (categories.map { [("data-categories", $0.joined(separator: "\t"))] } ?? []))
        w.element("title", [], title)
        w.element("text", [("class", "title"), ("x", SVGWriter.num(m.left)), ("y", "20")], title)

        // Grid and y ticks.
        for t in ys.ticks {
            let y = py(t)
            w.leaf("line", [("class", "grid"), ("x1", SVGWriter.num(m.left)), ("x2", SVGWriter.num(m.left + plotW)),
                            ("y1", SVGWriter.num(y)), ("y2", SVGWriter.num(y))])
            w.element("text", [("class", "tick"), ("x", SVGWriter.num(m.left - 6)), ("y", SVGWriter.num(y + 4)), ("text-anchor", "end")], ys.label(t))
        }
        // X ticks: categories, or the nice scale.
        if let cats = categories {
            let every = max(1, (cats.count + 11) / 12)
            for (i, c) in cats.enumerated() where i % every == 0 {
                let x = px(Double(i))
                w.leaf("line", [("class", "axis"), ("x1", SVGWriter.num(x)), ("x2", SVGWriter.num(x)),
                                ("y1", SVGWriter.num(m.top + plotH)), ("y2", SVGWriter.num(m.top + plotH + 4))])
                w.element("text", [("class", "tick"), ("x", SVGWriter.num(x)), ("y", SVGWriter.num(m.top + plotH + 17)), ("text-anchor", "middle")], c)
            }
        } else {
            for t in xs.ticks {
                let x = px(t)
                w.leaf("line", [("class", "axis"), ("x1", SVGWriter.num(x)), ("x2", SVGWriter.num(x)),
                                ("y1", SVGWriter.num(m.top + plotH)), ("y2", SVGWriter.num(m.top + plotH + 4))])
                w.element("text", [("class", "tick"), ("x", SVGWriter.num(x)), ("y", SVGWriter.num(m.top + plotH + 17)), ("text-anchor", "middle")], xs.label(t))
            }
        }
        // Axes and their labels.
        w.leaf("line", [("class", "axis"), ("x1", SVGWriter.num(m.left)), ("x2", SVGWriter.num(m.left)),
                        ("y1", SVGWriter.num(m.top)), ("y2", SVGWriter.num(m.top + plotH))])
        w.leaf("line", [("class", "axis"), ("x1", SVGWriter.num(m.left)), ("x2", SVGWriter.num(m.left + plotW)),
                        ("y1", SVGWriter.num(m.top + plotH)), ("y2", SVGWriter.num(m.top + plotH))])
        w.element("text", [("class", "label"), ("x", SVGWriter.num(m.left + plotW / 2)), ("y", SVGWriter.num(m.top + plotH + 36)),
                           ("text-anchor", "middle")], xLabel)
        let yMid = m.top + plotH / 2
        w.element("text", [("class", "label"), ("x", "16"), ("y", SVGWriter.num(yMid)), ("text-anchor", "middle"),
                           ("transform", "rotate(-90 16 \(SVGWriter.num(yMid)))")], yLabel)

        // Reference lines under the data.
        for r in rules {
            if r.vertical {
                let x = px(r.value)
                w.leaf("line", [("class", "rule"), ("x1", SVGWriter.num(x)), ("x2", SVGWriter.num(x)),
                                ("y1", SVGWriter.num(m.top)), ("y2", SVGWriter.num(m.top + plotH))])
                w.element("text", [("class", "rule-label"), ("x", SVGWriter.num(x + 4)), ("y", SVGWriter.num(m.top + 12))], r.label)
            } else {
                let y = py(r.value)
                w.leaf("line", [("class", "rule"), ("x1", SVGWriter.num(m.left)), ("x2", SVGWriter.num(m.left + plotW)),
                                ("y1", SVGWriter.num(y)), ("y2", SVGWriter.num(y))])
                w.element("text", [("class", "rule-label"), ("x", SVGWriter.num(m.left + plotW - 4)), ("y", SVGWriter.num(y - 4)),
                                   ("text-anchor", "end")], r.label)
            }
        }

        // Incidents: a faint line and a tick at the top, the text on hover.
        for e in events where e.x.isFinite && e.x >= xs.lower && e.x <= xs.upper {
            let x = px(e.x), c = Event.color(e.kind)
            w.open("g", [("class", "event"), ("data-kind", e.kind)])
            w.element("title", [], e.label)
            w.leaf("line", [("x1", SVGWriter.num(x)), ("x2", SVGWriter.num(x)), ("y1", SVGWriter.num(m.top)), ("y2", SVGWriter.num(m.top + plotH)),
                            ("stroke", c), ("stroke-opacity", "0.35"), ("stroke-width", "1")])
            w.leaf("path", [("d", "M\(SVGWriter.num(x - 4)) \(SVGWriter.num(m.top - 7))L\(SVGWriter.num(x + 4)) \(SVGWriter.num(m.top - 7))L\(SVGWriter.num(x)) \(SVGWriter.num(m.top))Z"),
                            ("fill", c)])
            w.close("g")
        }

        // Data.
        for line in lines {
            let finite = line.points.filter { $0.x.isFinite && $0.y.isFinite }
            guard !finite.isEmpty else { continue }
            var d = ""
            var pen = false
            for p in line.points {
                guard p.x.isFinite && p.y.isFinite else { pen = false; continue }
                d += (pen ? "L" : (d.isEmpty ? "M" : " M")) + SVGWriter.num(px(p.x)) + " " + SVGWriter.num(py(p.y))
                pen = true
            }
            var attrs: [(String, String)] = [("class", "series"), ("d", d), ("fill", "none"),
                                             ("stroke", LineChart.color(line.color)), ("stroke-width", "1.8")]
            if let dash = LineChart.dashArray(line.dash) { attrs.append(("stroke-dasharray", dash)) }
            w.open("path", attrs)
            w.element("title", [], line.name)
            w.close("path")
            if finite.count == 1 {
                w.open("circle", [("class", "point"), ("cx", SVGWriter.num(px(finite[0].x))), ("cy", SVGWriter.num(py(finite[0].y))),
                                  ("r", "3"), ("fill", LineChart.color(line.color))])
                w.element("title", [], line.name)
                w.close("circle")
            }
        }
        for mk in marks where mk.x.isFinite && mk.y.isFinite {
            let x = px(mk.x), y = py(mk.y)
            w.open("circle", [("class", "mark"), ("cx", SVGWriter.num(x)), ("cy", SVGWriter.num(y)), ("r", "4.5"),
                              ("fill", "#fff"), ("stroke", LineChart.color(mk.color)), ("stroke-width", "2")])
            w.element("title", [], mk.label)
            w.close("circle")
            // Keep the label inside the plot: flip it left of the point near the right edge.
            let right = x > m.left + plotW * 0.75
            let ty = max(m.top + 10, y - 8)
            w.element("text", [("class", "mark-label"), ("x", SVGWriter.num(right ? x - 7 : x + 7)), ("y", SVGWriter.num(ty)),
                               ("text-anchor", right ? "end" : "start")], mk.label)
        }

        // Legend.
        let colW = (LineChart.width - m.left - m.right) / Double(columns)
        for (i, line) in lines.enumerated() {
            let col = Double(i % columns), row = Double(i / columns)
            let x = m.left + col * colW, y = m.top + plotH + m.bottom + row * LineChart.legendRow + 6
            var attrs: [(String, String)] = [("class", "swatch"), ("x1", SVGWriter.num(x)), ("x2", SVGWriter.num(x + 22)),
                                             ("y1", SVGWriter.num(y - 4)), ("y2", SVGWriter.num(y - 4)),
                                             ("stroke", LineChart.color(line.color)), ("stroke-width", "2.5")]
            if let dash = LineChart.dashArray(line.dash) { attrs.append(("stroke-dasharray", dash)) }
            w.leaf("line", attrs)
            w.element("text", [("class", "legend"), ("x", SVGWriter.num(x + 28)), ("y", SVGWriter.num(y))], line.name)
        }
        w.close("svg")
        return w.text
    }

    /// A scale bound for the hover script: up to 9 significant digits, no exponent.
    static func exact(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        return DurationFormat.significant(x, 9)
    }

    static func dashArray(_ d: Dash) -> String? {
        switch d {
        case .solid: return nil
        case .dashed: return "6 4"
        case .dotted: return "2 3"
        }
    }

    /// The x and y scales: the data, the marks and the reference lines all fit.
    func scales() -> (AxisScale, AxisScale) {
        var xlo = Double.infinity, xhi = -Double.infinity, ylo = Double.infinity, yhi = -Double.infinity
        func addX(_ x: Double) { if x.isFinite { xlo = min(xlo, x); xhi = max(xhi, x) } }
        func addY(_ y: Double) { if y.isFinite { ylo = min(ylo, y); yhi = max(yhi, y) } }
        for l in lines { for p in l.points where p.x.isFinite && p.y.isFinite { addX(p.x); addY(p.y) } }
        for mk in marks { addX(mk.x); addY(mk.y) }
        for r in rules { if r.vertical { addX(r.value) } else { addY(r.value) } }
        if !xlo.isFinite { xlo = 0; xhi = 1 }
        if !ylo.isFinite { ylo = 0; yhi = 1 }
        if includeZero { ylo = min(ylo, 0); yhi = max(yhi, 0) }
        let ys = AxisScale(covering: ylo, yhi)
        if let cats = categories {
            // Category i sits at i; half a slot of room at either end.
            var xs = AxisScale(covering: 0, Double(max(1, cats.count - 1)))
            xs.lower = -0.5; xs.upper = Double(max(1, cats.count)) - 0.5; xs.step = 1
            return (xs, ys)
        }
        return (AxisScale(covering: xlo, xhi, ticks: 8), ys)
    }
}
