import Foundation
import SimCore

extension ReportComparison {
    /// The comparison as Markdown (what `capsim compare` prints): what differs in the
    /// scenarios first, then the largest significant moves, then SLO and finding changes,
    /// then every figure with the unchanged ones folded away.
    public var markdown: String {
        var out = "# Compare \(a.name) (A) with \(b.name) (B)\n\n"
        out += "| | A | B |\n|:--|:--|:--|\n"
        for r in headerRows { out += "| " + r.map(cell).joined(separator: " | ") + " |\n" }
        out += "\n"
        if let note = modelNote { out += "**Note:** \(note)\n\n" }
        out += "## Scenario differences\n\n"
        if scenarioDiff.isEmpty { out += "None: the same resolved scenario, seed and replications.\n\n" }
        else { for l in scenarioDiff.lines { out += "- `\(cell(l))`\n" } ; out += "\n" }
        out += "## Largest \(method == "none" ? "" : "significant ")moves\n\n"
        let moves = largestMoves
        if moves.isEmpty { out += method == "none" ? "No figure changed.\n\n" : "No significant change.\n\n" }
        else { out += table(moves) + "\n" }
        out += "## SLOs and findings\n\n"
        let slo = sloChanges
        if slo.isEmpty { out += "No SLOs in either report.\n\n" }
        else {
            out += "| SLO | A | B | |\n|:--|:--|:--|:--|\n"
            for s in slo { out += "| \(cell(s.name)) | \(s.a) | \(s.b) | \(s.changed ? "**changed**" : "") |\n" }
            out += "\n"
        }
        let f = findingChanges
        if f.isEmpty { out += "Findings: the same kinds and counts on both sides.\n\n" }
        else {
            out += "| finding | A | B |\n|:--|--:|--:|\n"
            for x in f { out += "| \(FindingGuide.title(x.code)) (`\(x.code)`) | \(x.a) | \(x.b) |\n" }
            out += "\n"
        }
        out += "## All figures\n\n" + methodNote + "\n\n"
        let changed = rows.filter { !isUnchanged($0) }, same = rows.filter { isUnchanged($0) }
        out += changed.isEmpty ? "No figure changed.\n\n" : table(changed) + "\n"
        if !same.isEmpty {
            out += "<details><summary>\(same.count) unchanged figures</summary>\n\n" + table(same) + "\n</details>\n"
        }
        return out
    }

    /// report, scenario, seed, replications, simulated, model version.
    var headerRows: [[String]] {
        [["report", a.source, b.source], ["scenario", "\(a.name) (\(a.file))", "\(b.name) (\(b.file))"],
         ["seed", String(a.seed), String(b.seed)], ["replications", String(a.replications), String(b.replications)],
         ["simulated", Report.num(a.simulatedSeconds) + " s", Report.num(b.simulatedSeconds) + " s"],
         ["model version", a.modelVersion == 0 ? "—" : String(a.modelVersion), b.modelVersion == 0 ? "—" : String(b.modelVersion)]]
    }

    func table(_ rs: [Row]) -> String {
        var out = "| figure | unit | A | B | Δ | Δ % | significant |\n|:--|:--|--:|--:|--:|--:|:--|\n"
        for r in rs {
            out += "| \(cell(r.label)) | \(r.unit) | \(ReportComparison.value(r.a)) | \(ReportComparison.value(r.b)) | "
                + "\(ReportComparison.signed(r.delta)) | \(ReportComparison.percent(r.relative)) | \(ReportComparison.verdict(r)) |\n"
        }
        return out
    }

    static func value(_ x: Double?) -> String { x.map { $0.isFinite ? Report.num($0) : "—" } ?? "—" }

    static func signed(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "—" }
        return (x > 0 ? "+" : "") + Report.num(x)
    }

    /// `yes [+3.1, +9]` / `no [−1, +2]` / `—`.
    static func verdict(_ r: Row) -> String {
        guard case .interval(let lo, let hi, _) = r.significance else { return "—" }
        return "\(r.significance.isSignificant ? "**yes**" : "no") [\(signed(lo)), \(signed(hi))]"
    }

    func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
}
