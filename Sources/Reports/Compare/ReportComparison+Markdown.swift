import Foundation
import SimCore

extension ReportComparison {
    /// The comparison as Markdown (what `capsim compare` prints).
    public var markdown: String {
        var out = "# Compare \(a.name) (A) with \(b.name) (B)\n\n"
        out += "| | A | B |\n|:--|:--|:--|\n"
        out += "| report | \(cell(a.source)) | \(cell(b.source)) |\n"
        out += "| scenario | \(cell(a.name)) (\(cell(a.file))) | \(cell(b.name)) (\(cell(b.file))) |\n"
        out += "| seed | \(a.seed) | \(b.seed) |\n| replications | \(a.replications) | \(b.replications) |\n"
        out += "| simulated | \(Report.num(a.simulatedSeconds)) s | \(Report.num(b.simulatedSeconds)) s |\n\n"
        out += methodNote + "\n\n"
        out += "| figure | unit | A | B | Δ | Δ % | significant |\n|:--|:--|--:|--:|--:|--:|:--|\n"
        for r in rows {
            out += "| \(cell(r.label)) | \(r.unit) | \(ReportComparison.value(r.a)) | \(ReportComparison.value(r.b)) | "
                + "\(ReportComparison.signed(r.delta)) | \(r.relative.map { ReportComparison.signed($0 * 100) + " %" } ?? "—") | \(ReportComparison.verdict(r)) |\n"
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
