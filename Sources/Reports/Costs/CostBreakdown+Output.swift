import SimCore

extension CostBreakdown {
    /// The `costs` member of report.json.
    public var json: JSONValue {
        .object([
            ("currency", .string(currency)),
            ("per_hour", Report.round6(perHour)),
            ("per_order", Report.round6(perOrder)),
            ("hours", Report.round6(hours)),
            ("orders_delivered", Report.round6(ordersDelivered)),
            ("orders_metric", .string(ordersMetric)),
            ("unpriced", .array(unpriced.map { .string($0) })),
            ("resources", .array(lines.map { l in
                .object([("resource", .string(l.resource)), ("quantity", Report.round6(l.quantity)), ("unit", .string(l.unit)),
                         ("price", Report.round6(l.price)), ("per_hour", Report.round6(l.perHour))])
            })),
        ])
    }

    /// Table rows: resource, quantity, price, cost per hour.
    var rows: [[String]] {
        lines.map { l in
            [l.resource, "\(Report.num(l.quantity)) \(l.unit)\(l.unit.hasSuffix("/h") ? "" : "s")",
             "\(Report.num(l.price)) \(currency)/\(l.unit.hasSuffix("/h") ? "GB" : l.unit + "-hour")",
             "\(Report.num(l.perHour)) \(currency)/h"]
        }
    }

    var summaryLine: String {
        "Cost \(Report.num(perHour)) \(currency)/h, \(Report.num(perOrder)) \(currency) per delivered order "
            + "(\(Report.num(ordersDelivered)) \(ordersMetric) in \(Report.num(hours)) h)."
            + (unpriced.isEmpty ? "" : " Not priced: \(unpriced.joined(separator: ", ")).")
    }

    /// The Markdown section of report.md.
    public var markdown: String {
        var out = "## Costs (\(currency))\n\n\(summaryLine)\n\n| resource | quantity | price | cost |\n|:--|--:|--:|--:|\n"
        for r in rows { out += "| " + r.joined(separator: " | ") + " |\n" }
        return out + "\n"
    }

    /// The HTML section of report.html.
    public func render(into page: inout HTMLPage) {
        page.heading(2, "Costs (\(currency))")
        page.paragraph(summaryLine)
        page.table(["resource", "quantity", "price", "cost"], rows, numeric: [1, 2, 3])
    }
}
