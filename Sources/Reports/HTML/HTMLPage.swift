/// The frame shared by every HTML page capsim writes (report, comparison, sweep): one
/// self-contained file with its style inline, no fonts, images or scripts from elsewhere.
///
/// A Content-Security-Policy forbids every network load, so a page that tried one would
/// fail loudly (a console error) instead of quietly depending on the network. The one
/// inline script checks after load that every chart drew a non-empty path and marks each
/// `<svg class="chart">` with `data-drawn`; a chart that did not draw logs a console error,
/// which the browser test catches.
public struct HTMLPage: Sendable {
    public var title: String
    var body = SVGWriter()

    public init(title: String) { self.title = title }

    public mutating func heading(_ level: Int, _ text: String, id: String? = nil) {
        body.element("h\(level)", id.map { [("id", $0)] } ?? [], text)
    }

    public mutating func paragraph(_ text: String, className: String? = nil) {
        body.element("p", className.map { [("class", $0)] } ?? [], text)
    }

    /// Charts in a wrapping grid; charts without data are left out.
    public mutating func charts(_ charts: [LineChart]) {
        let drawn = charts.filter(\.hasData)
        guard !drawn.isEmpty else { return }
        body.open("div", [("class", "charts")])
        for c in drawn { body.raw(c.svg()) }
        body.close("div")
    }

    /// A table; cells of `numeric` columns are right-aligned.
    public mutating func table(_ headers: [String], _ rows: [[String]], numeric: Set<Int> = [], rowClasses: [String?]? = nil) {
        body.open("table")
        body.open("thead")
        body.open("tr")
        for (i, h) in headers.enumerated() { body.element("th", numeric.contains(i) ? [("class", "num")] : [], h) }
        body.close("tr")
        body.close("thead")
        body.open("tbody")
        for (r, row) in rows.enumerated() {
            let cls = rowClasses?[r]
            body.open("tr", cls.map { [("class", $0)] } ?? [])
            for (i, cell) in row.enumerated() { body.element("td", numeric.contains(i) ? [("class", "num")] : [], cell) }
            body.close("tr")
        }
        body.close("tbody")
        body.close("table")
    }

    /// A collapsed block of preformatted text (the resolved scenario).
    public mutating func details(_ summary: String, preformatted: String) {
        body.open("details")
        body.element("summary", [], summary)
        body.element("pre", [], preformatted)
        body.close("details")
    }

    /// A folded section: its summary line shown, the content opened on click.
    public mutating func folded(_ summary: String, _ content: (inout HTMLPage) -> Void) {
        body.open("details", [("class", "folded")])
        body.element("summary", [], summary)
        content(&self)
        body.close("details")
    }

    public mutating func raw(_ markup: String) { body.raw(markup) }

    public mutating func open(_ tag: String, _ attributes: [(String, String)] = []) { body.open(tag, attributes) }
    public mutating func close(_ tag: String) { body.close(tag) }
    public mutating func element(_ tag: String, _ attributes: [(String, String)] = [], _ text: String) { body.element(tag, attributes, text) }

    /// The complete document.
    public func render() -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>" + SVGWriter.escape(title) + "</title>\n<style>\n" + HTMLPage.style + "</style>\n</head>\n<body>\n"
        out += body.text
        out += "\n<script>\n" + HTMLPage.checkScript + "</script>\n</body>\n</html>\n"
        return out
    }

    static let style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1600px; padding: 0 16px; color: #1b1b1b; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        p.meta { color: #555; margin-top: 0; }
        .charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(620px, 1fr)); gap: 18px; }
        svg.chart { width: 100%; height: auto; background: #fff; border: 1px solid #e3e3e3; border-radius: 4px; }
        #tip { position: fixed; pointer-events: none; background: rgba(255,255,255,0.95); border: 1px solid #999; border-radius: 3px;
               padding: 4px 6px; font-size: 12px; white-space: pre; display: none; z-index: 10; font-variant-numeric: tabular-nums; }
        details.folded summary { cursor: pointer; color: #555; }
        svg .title { font-size: 14px; font-weight: 600; fill: #1b1b1b; }
        svg .tick, svg .legend { font-size: 11px; fill: #333; }
        svg .label { font-size: 12px; fill: #333; }
        svg .grid { stroke: #ececec; stroke-width: 1; }
        svg .axis { stroke: #555; stroke-width: 1; }
        svg .rule { stroke: #b22; stroke-width: 1.2; stroke-dasharray: 5 4; }
        svg .rule-label { font-size: 11px; fill: #b22; }
        svg .mark-label { font-size: 11px; fill: #1b1b1b; font-weight: 600; }
        table { border-collapse: collapse; margin: 8px 0 16px; font-size: 13px; }
        th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; }
        th { background: #f4f4f4; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.fail td { background: #fde8e8; }
        tr.pass td { background: #eaf6ea; }
        tr.worse td { background: #fdf0e6; }
        tr.better td { background: #eaf3fb; }
        pre { background: #f7f7f7; padding: 8px; overflow-x: auto; font-size: 12px; }
        .ok { color: #1a7f37; } .bad { color: #b22; }

        """

    static let checkScript = #"""
        (function () {
          var charts = document.querySelectorAll('svg.chart');
          charts.forEach(function (svg) {
            var drawn = false;
            svg.querySelectorAll('path.series').forEach(function (p) {
              var b = p.getBBox();
              if (p.getAttribute('d') && (b.width > 0 || b.height > 0)) { drawn = true; }
            });
            svg.querySelectorAll('circle.point').forEach(function (c) {
              if (c.getBBox().width > 0) { drawn = true; }
            });
            svg.setAttribute('data-drawn', drawn ? 'true' : 'false');
            if (!drawn) { console.error('chart did not draw: ' + svg.getAttribute('aria-label')); }
          });
          document.body.setAttribute('data-charts', String(charts.length));

          // Values on hover: the nearest point of every line at the pointer's x, read back
          // from the drawn path and the chart's scale (data-plot, data-x, data-y).
          var tip = document.createElement('div');
          tip.id = 'tip';
          document.body.appendChild(tip);
          function fmt(v) { var a = Math.abs(v); return a >= 1000 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toPrecision(3); }
          charts.forEach(function (svg) {
            var plot = (svg.getAttribute('data-plot') || '').split(' ').map(Number);
            var xr = (svg.getAttribute('data-x') || '').split(' ').map(Number);
            var yr = (svg.getAttribute('data-y') || '').split(' ').map(Number);
            var cats = svg.getAttribute('data-categories');
            cats = cats ? cats.split('\t') : null;
            if (plot.length !== 4 || xr.length !== 2 || yr.length !== 2) { return; }
            var lines = [];
            svg.querySelectorAll('path.series').forEach(function (p) {
              var pts = [], re = /[ML]\s*(-?[\d.]+)\s+(-?[\d.]+)/g, mt;
              while ((mt = re.exec(p.getAttribute('d') || '')) !== null) { pts.push([+mt[1], +mt[2]]); }
              var t = p.querySelector('title');
              lines.push({ name: t ? t.textContent : '', pts: pts });
            });
            svg.addEventListener('mousemove', function (ev) {
              var ctm = svg.getScreenCTM();
              if (!ctm) { return; }
              var pt = svg.createSVGPoint(); pt.x = ev.clientX; pt.y = ev.clientY;
              var q = pt.matrixTransform(ctm.inverse());
              if (q.x < plot[0] || q.x > plot[0] + plot[2]) { tip.style.display = 'none'; return; }
              var xv = xr[0] + (q.x - plot[0]) / plot[2] * (xr[1] - xr[0]);
              var head = cats ? (cats[Math.round(xv)] || '') : fmt(xv);
              var out = [svg.getAttribute('aria-label') + ' @ ' + head];
              lines.forEach(function (l) {
                var best = null;
                l.pts.forEach(function (p) { if (best === null || Math.abs(p[0] - q.x) < Math.abs(best[0] - q.x)) { best = p; } });
                if (best !== null && Math.abs(best[0] - q.x) < plot[2] / 20) {
                  out.push(l.name + ': ' + fmt(yr[0] + (plot[1] + plot[3] - best[1]) / plot[3] * (yr[1] - yr[0])));
                }
              });
              tip.textContent = out.join('\n');
              tip.style.left = (ev.clientX + 14) + 'px'; tip.style.top = (ev.clientY + 10) + 'px';
              tip.style.display = 'block';
            });
            svg.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
          });
        })();

        """#
}
