import Foundation

extension GateOutcome {
    /// A summary for a CI job page (e.g. appended to `$GITHUB_STEP_SUMMARY`): the verdict
    /// first, then the failures, then every check.
    public var markdown: String {
        var out = "## capsim check: \(failed == 0 ? "passed" : "FAILED")\n\n**\(summaryLine)**\n\n"
        let failures = checks.filter { !$0.passed }
        if !failures.isEmpty {
            out += "### Failures\n\n"
            for c in failures {
                out += "- `\(c.scenario)`: \(GateOutcome.cell(c.message))\n"
                for cause in c.causes { out += "  - cause: \(GateOutcome.cell(cause))\n" }
            }
            out += "\n"
        }
        if !checks.isEmpty {
            out += "| result | scenario | check | detail |\n|:--|:--|:--|:--|\n"
            for c in checks {
                out += "| \(c.passed ? "pass" : "**FAIL**") | \(GateOutcome.cell(c.scenario)) | \(GateOutcome.cell(c.name)) | \(GateOutcome.cell(c.message)) |\n"
            }
        }
        return out
    }

    /// Text safe inside a Markdown table cell.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
