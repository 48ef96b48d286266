/// JUnit XML for CI systems: one `<testsuite>` per scenario (in the order checked), one
/// `<testcase>` per check, a `<failure>` carrying the check's message. No timestamps or
/// durations, so the file is as reproducible as the reports.
public enum JUnitWriter {
    public static func xml(_ outcome: GateOutcome, name: String = "capsim check") -> String {
        var scenarios: [String] = []
        for c in outcome.checks where !scenarios.contains(c.scenario) { scenarios.append(c.scenario) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"\(esc(name))\" tests=\"\(outcome.checks.count)\" failures=\"\(outcome.failed)\" errors=\"0\">\n"
        for s in scenarios {
            let checks = outcome.checks.filter { $0.scenario == s }
            let failed = checks.filter { !$0.passed }.count
            out += "  <testsuite name=\"\(esc(s))\" tests=\"\(checks.count)\" failures=\"\(failed)\" errors=\"0\" skipped=\"0\">\n"
            for c in checks {
                let open = "    <testcase classname=\"capsim.\(esc(s)).\(c.kind.rawValue)\" name=\"\(esc(c.name))\""
                if c.passed {
                    out += open + "/>\n"
                } else {
                    out += open + ">\n      <failure type=\"\(c.kind.rawValue)\" message=\"\(esc(c.message))\">\(esc(c.lines.joined(separator: "\n")))</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// XML escaping for text and attributes; control characters other than tab and
    /// newline are not allowed in XML 1.0 and are dropped.
    static func esc(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t": out.unicodeScalars.append(u)
            case _ where u.value < 0x20: continue
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
